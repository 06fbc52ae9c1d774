// `npm run eval -- [scenario files or folders] [--seeds N] [--filter S]… [--jobs J] [--json] [--report out.html]
//                  [--decisions out.json] [--visits out.json]
//                  [--realtime [--speed N] [--compare earlier.json]] [--mqtt URL] [--database URL]`
// Plays every scenario (default: scenarios/suite, hand-written and generated families) N times with different
// seeds through the real pipeline (simulator → broker → edge → cloud), in lockstep so the numbers do not move
// with the machine's load, and prints per scenario, per family and overall: visits exactly right (95 %
// interval), receipt-line F1, lines sent to staff (and by which rule), lines wrong but confident, exit → receipt
// p99. A retrained model is measured end to end by naming its file as the edge would (VISION_DETECTOR_PATH,
// VISION_EMBEDDER_PATH, VISION_ARM_OWNER_PATH; nothing else of the edge's environment is read). With --json the
// last line is one JSON object; --report writes a self-contained HTML page.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { modelFilesNamed } from '../edge/vision/vision-config.ts';
import { scenarioFiles } from '../evaluation/scenario-files.ts';
import { countsText } from '../evaluation/store-eval/counts.ts';
import { runJobs } from '../evaluation/store-eval/eval-pool.ts';
import type { EvalReport, ScoreBlock } from '../evaluation/store-eval/eval-report-types.ts';
import type { EvalJob } from '../evaluation/store-eval/eval-worker.ts';
import type { ScenarioResult } from '../evaluation/store-eval/scenario-result.ts';
import { groupBy, scoreBlock } from '../evaluation/store-eval/score-blocks.ts';
import { SLOW_RECEIPT_MS } from '../evaluation/store-eval/score-visits.ts';
import { loadScenario } from '../simulators/scenario/scenario-loader.ts';
import { commandLine } from './cli/command-line.ts';
import { BROKER_SCHEMES, POSTGRES_SCHEMES } from './cli/url-option.ts';

/** Seeds per scenario by default: with the shipped suite this plays more than 300 visits. */
const DEFAULT_SEEDS = 3;

const USAGE = `usage: npm run eval -- [scenario files or folders…] [options]
  (folders are searched recursively; default scenarios/suite: hand-written scenarios and generated families)
  --seeds N         play every scenario N times: the file as written, then N−1 variants (default ${DEFAULT_SEEDS})
  --filter S        only scenario files whose path contains S; repeatable (those containing any of them)
  --jobs J          worker processes playing runs side by side (default 2; lockstep only)
  --json            last line of stdout: one JSON object
  --report FILE     write a self-contained HTML report to FILE
  --decisions FILE  write every shelf-event decision with its rule and evidence (npm run replay:decisions)
  --visits FILE     write every visit's receipt against its truth, with exit → receipt latency
  --realtime        wall-clock mode instead of lockstep: the machine's load moves the numbers; one job
  --speed N         realtime only: device seconds per wall second (default 1)
  --compare FILE    realtime only: how exact and to-staff moved against an earlier --json output
  --mqtt URL        run against this broker (e.g. Mosquitto) instead of the embedded aedes
  --database URL    run against PostgreSQL instead of PGlite
A retrained model is measured by naming its file: VISION_DETECTOR_PATH, VISION_EMBEDDER_PATH,
VISION_ARM_OWNER_PATH (empty: none).`;

const cli = commandLine({
  command: 'eval',
  usage: USAGE,
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    seeds: { type: 'string', default: String(DEFAULT_SEEDS) },
    filter: { type: 'string', multiple: true },
    jobs: { type: 'string', default: '2' },
    realtime: { type: 'boolean', default: false },
    speed: { type: 'string', default: '1' },
    compare: { type: 'string' },
    report: { type: 'string' },
    decisions: { type: 'string' },
    visits: { type: 'string' },
    mqtt: { type: 'string' },
    database: { type: 'string' },
  },
});
const { values, positionals } = cli;
const seeds = cli.integer('seeds', { min: 1 });
const speed = cli.positiveNumber('speed');
const mqttUrl = cli.url('mqtt', BROKER_SCHEMES);
const databaseUrl = cli.url('database', POSTGRES_SCHEMES);
// real time measures this machine under load: one run at a time, or the runs would load each other
const jobs = values.realtime ? 1 : cli.integer('jobs', { min: 1 });

let files: string[] = [];
try {
  files = scenarioFiles(positionals.length > 0 ? positionals : ['scenarios/suite'], values.filter);
} catch (error) {
  cli.fail((error as Error).message);
}
const scenarios = files.map((file) => ({ file, loaded: loadScenario(file) }));
/** Rough cost of a run in device seconds × cameras, to start the big ones first and estimate the ETA. */
const cost = (s: (typeof scenarios)[number]) => {
  const lastS = Math.max(...s.loaded.scenario.shoppers.flatMap((p) => p.script.map((a) => a.at)));
  return (lastS + 10) * (s.loaded.scenario.cameras === undefined ? 1 : s.loaded.store.cameras.length);
};
const costOf = new Map(scenarios.map((s) => [s.file, cost(s)]));
const queue: EvalJob[] = scenarios
  .flatMap(({ file }) => Array.from({ length: seeds }, (_, variant) => ({ file, variant })))
  .sort((a, b) => (costOf.get(b.file) ?? 0) - (costOf.get(a.file) ?? 0))
  .map(({ file, variant }, id) => ({
    id,
    file,
    variant,
    options: {
      mode: values.realtime ? 'realtime' : 'lockstep',
      speed,
      mqttUrl,
      databaseUrl,
    },
  }));

const progress = (line: string) => process.stderr.write(`${line}\n`);
const mode = values.realtime ? 'realtime' : 'lockstep';
progress(
  `eval: ${scenarios.length} scenarios × ${seeds} seeds = ${queue.length} runs, ${mode}, ${jobs} worker(s)${values.realtime ? ` at ×${speed}` : ''}`,
);
// another model file named the way the edge reads it is what this run measures (withModelsFromEnv): say so
const models = modelFilesNamed(process.env);
if (models.length > 0) progress(`eval: models other than the shipped ones: ${models.join(' ')}`);
const startedAt = new Date();
const started = performance.now();
const totalCost = queue.reduce((s, j) => s + (costOf.get(j.file) ?? 0), 0);
let doneCost = 0;
const results: ScenarioResult[] = [];
const failures: string[] = [];
await runJobs(queue, jobs, (answer, job) => {
  doneCost += costOf.get(job.file) ?? 0;
  const elapsedS = (performance.now() - started) / 1000;
  const etaS = doneCost === 0 ? 0 : (elapsedS * (totalCost - doneCost)) / doneCost;
  const at = `[${results.length + failures.length + 1}/${queue.length}] ${fmtS(elapsedS)} elapsed, ETA ${fmtS(etaS)}`;
  if (!answer.ok) {
    failures.push(`${job.file} seed #${job.variant}: ${answer.error}`);
    progress(`${at}  ${job.file} seed #${job.variant} FAILED: ${answer.error.split('\n')[0]}`);
    return;
  }
  const r = answer.result;
  results.push(r);
  const exact = scoreBlock([r]);
  progress(
    `${at}  ${r.name} #${r.variant}: ${Math.round(exact.visitsExact * exact.visits)}/${exact.visits} exact, ${r.toStaff} to staff, ${exact.wrongConfident} wrong+conf (${fmtS(r.wallMs / 1000)} for ${r.deviceS} s, ${r.framesSkipped}/${r.framesInferred + r.framesSkipped} frames skipped${r.framesDropped > 0 ? `, ${r.framesDropped} frames dropped` : ''})`,
  );
});
const durationS = Math.round((performance.now() - started) / 1000);

// rows in file order, however the workers finished
results.sort((a, b) => files.indexOf(fileOf(a)) - files.indexOf(fileOf(b)) || a.variant - b.variant);
function fileOf(r: ScenarioResult): string {
  return scenarios.find((s) => s.loaded.scenario.name === r.name)?.file ?? '';
}
const frameCounts = (rs: readonly ScenarioResult[]) => ({
  framesInferred: rs.reduce((s, r) => s + r.framesInferred, 0),
  framesSkipped: rs.reduce((s, r) => s + r.framesSkipped, 0),
});
const perScenario = [...groupBy(results, (r) => r.name)].map(([name, rs]) => ({
  name,
  family: rs[0]?.family ?? name,
  seeds: rs.length,
  framesDropped: rs.reduce((s, r) => s + r.framesDropped, 0),
  ...frameCounts(rs),
  ...scoreBlock(rs),
}));
const perFamily = [...groupBy(results, (r) => r.family)].map(([family, rs]) => ({
  family,
  scenarios: new Set(rs.map((r) => r.name)).size,
  ...scoreBlock(rs),
}));
const overall = {
  ...scoreBlock(results),
  framesDropped: results.reduce((s, r) => s + r.framesDropped, 0),
  ...frameCounts(results),
};

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const header = `${'name'.padEnd(36)} ${'visits'.padStart(6)} ${'exact'.padStart(7)} ${'95 % interval'.padStart(15)} ${'line F1'.padStart(8)} ${'to staff'.padStart(8)} ${'share'.padStart(7)} ${'wrong+conf'.padStart(10)} ${'p99 ms'.padStart(7)}`;
const row = (name: string, s: ScoreBlock) =>
  `${name.padEnd(36)} ${String(s.visits).padStart(6)} ${pct(s.visitsExact).padStart(7)} ${`${pct(s.visitsExactCi95[0])}–${pct(s.visitsExactCi95[1])}`.padStart(15)} ${pct(s.lineF1).padStart(8)} ${String(s.toStaff).padStart(8)} ${pct(s.linesToStaffShare).padStart(7)} ${String(s.wrongConfident).padStart(10)} ${String(s.receiptLatencyP99Ms).padStart(7)}`;
console.log(`\nper scenario (${seeds} seed${seeds > 1 ? 's' : ''} each, ${mode})`);
console.log(header);
for (const s of perScenario) console.log(row(s.name, s));
console.log('\nper family');
console.log(header);
for (const f of perFamily) console.log(row(f.family, f));
console.log(row('OVERALL', overall));
console.log(`\n${results.length} runs, ${overall.visits} visits in ${fmtS(durationS)} (${jobs} worker(s))`);
console.log(
  `exit → receipt p99 of visits with nothing sent to staff: ${overall.receiptLatencyP99NoStaffMs} ms`,
);
if (Object.keys(overall.slowNoStaffReceipts).length > 0)
  console.log(
    `  of those over ${SLOW_RECEIPT_MS} ms, held last for: ${countsText(overall.slowNoStaffReceipts)} (--visits lists each with its receiptWaitedFor)`,
  );
// what still goes to staff, and why: the rule that refused each line, overall and per family
if (overall.toStaff > 0) {
  console.log(`lines to staff by why: ${countsText(overall.toStaffWhy)}`);
  for (const f of perFamily)
    if (f.toStaff > 0) console.log(`  ${f.family.padEnd(34)} ${countsText(f.toStaffWhy)}`);
}
const framesSeen = overall.framesInferred + overall.framesSkipped;
if (framesSeen > 0)
  console.log(
    `camera frames inferred / skipped by the motion gate: ${overall.framesInferred} / ${overall.framesSkipped} (${pct(overall.framesSkipped / framesSeen)} skipped)`,
  );
if (values.realtime) {
  console.log(`frames dropped (cameras behind + edge behind): ${overall.framesDropped}`);
  if (values.compare !== undefined) compareWith(values.compare);
}
if (failures.length > 0) {
  console.log(`\n${failures.length} run(s) FAILED:`);
  for (const f of failures) console.log(`  ${f}`);
}

if (values.decisions !== undefined) {
  // every shelf-event decision with its rule and evidence, for whoever improves fusion or the models
  writeFileSync(
    values.decisions,
    `${JSON.stringify(
      results.flatMap((r) => r.decisions),
      null,
      1,
    )}\n`,
  );
  console.log(`decisions: ${values.decisions}`);
}
if (values.visits !== undefined) {
  // every visit's receipt against its truth, with its staff lines and exit → receipt latency
  writeFileSync(
    values.visits,
    `${JSON.stringify(
      results.flatMap((r) =>
        r.outcomes.map((o) => ({ scenario: r.name, family: r.family, seed: r.seed, ...o })),
      ),
      null,
      1,
    )}\n`,
  );
  console.log(`visits: ${values.visits}`);
}
if (values.report !== undefined) {
  const { writeEvalReport } = await import('../evaluation/store-eval/eval-report-html.ts');
  const report: EvalReport = {
    mode,
    seeds,
    startedAt: startedAt.toISOString(),
    durationS,
    commit: currentCommit(),
    families: perFamily,
    scenarios: perScenario.map((s) => ({ ...s, seed: s.seeds })),
    overall,
    receiptLatenciesMs: results.flatMap((r) => r.outcomes.flatMap((o) => o.receiptLatencyMs ?? [])),
    decisions: results.flatMap((r) => r.decisions),
  };
  await writeEvalReport(report, values.report);
  console.log(`report: ${values.report}`);
}
if (values.json) {
  // `scenarios` and `overall` keep the fields of the first contract; `overall` comes last
  console.log(
    JSON.stringify({
      mode,
      seeds,
      runs: results.length,
      failedRuns: failures.length,
      durationS,
      scenarios: perScenario,
      families: perFamily,
      overall,
    }),
  );
}
process.exit(failures.length > 0 ? 1 : 0);

function fmtS(s: number): string {
  return s < 90
    ? `${s.toFixed(0)} s`
    : `${Math.floor(s / 60)} min ${String(Math.round(s % 60)).padStart(2, '0')} s`;
}

function currentCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** Real time against an earlier (lockstep) --json: how the machine's load moved the numbers. */
function compareWith(path: string): void {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const earlier = JSON.parse(lines[lines.length - 1] ?? '{}') as {
    mode?: string;
    scenarios?: Array<{ name: string } & Partial<ScoreBlock>>;
    overall?: Partial<ScoreBlock>;
  };
  console.log(`\nreal time against ${path} (${earlier.mode ?? '?'}): exact and to-staff, earlier → now`);
  for (const s of perScenario) {
    const before = earlier.scenarios?.find((e) => e.name === s.name);
    if (before === undefined) continue;
    console.log(
      `${s.name.padEnd(36)} exact ${pct(before.visitsExact ?? 0)} → ${pct(s.visitsExact)}   to staff ${before.toStaff ?? '?'} → ${s.toStaff}`,
    );
  }
  const o = earlier.overall ?? {};
  console.log(
    `${'OVERALL'.padEnd(36)} exact ${pct(o.visitsExact ?? 0)} → ${pct(overall.visitsExact)}   to staff ${o.toStaff ?? '?'} → ${overall.toStaff}`,
  );
}
