// `npm run eval -- <scenario files or folders> [--json] [--speed N] [--mqtt URL] [--database URL]`:
// runs each scenario through the real pipeline (simulator → broker → edge → cloud) and prints, per
// scenario and overall, visits exactly right, receipt-line F1, lines sent to staff, lines wrong but
// confident, and exit → receipt latency. With --json the last line is one JSON object.
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { DEFAULT_VISION } from '../edge/vision/vision-config.ts';
import { ScaledClock } from '../shared/clock.ts';
import { evaluateScenario, type ScenarioRun } from '../simulators/evaluation/evaluate-scenario.ts';
import { scoreVisits, type VisitScore } from '../simulators/evaluation/score-visits.ts';
import { startStoreStack } from '../simulators/harness/store-stack.ts';
import { type LoadedScenario, loadScenario } from '../simulators/scenario/scenario-loader.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    speed: { type: 'string', default: '1' },
    mqtt: { type: 'string' },
    database: { type: 'string' },
  },
});
const paths = positionals.length > 0 ? positionals : ['scenarios/suite'];
const speed = Number(values.speed);
if (!(speed > 0)) throw new Error(`--speed must be a positive number, got ${values.speed}`);

function scenarioFiles(path: string): string[] {
  if (statSync(path).isDirectory())
    return readdirSync(path)
      .sort()
      .flatMap((f) => scenarioFiles(join(path, f)));
  return path.endsWith('.json') ? [path] : [];
}

const progress = (line: string) => process.stderr.write(`${line}\n`);
const loaded: LoadedScenario[] = paths.flatMap(scenarioFiles).map((file) => loadScenario(file));
if (loaded.length === 0) throw new Error(`no scenario files (*.json) under ${paths.join(', ')}`);
const logger = pino({ level: 'silent' });
const runs: ScenarioRun[] = [];
// every scenario gets a store of its own (fresh broker session, cloud schema and edge state), so no track,
// session or open exception of one scenario can touch the next
for (const [i, scenario] of loaded.entries()) {
  const { name, shoppers, cameras } = scenario.scenario;
  progress(
    `[${i + 1}/${loaded.length}] ${name} (${shoppers.length} shoppers${cameras ? ', cameras' : ''}) at ×${speed}…`,
  );
  const stack = await startStoreStack({
    store: scenario.store,
    mqttUrl: values.mqtt,
    databaseUrl: values.database,
    postgresSchema: values.database === undefined ? undefined : `eval_${randomBytes(5).toString('hex')}`,
    exceptionHoldMs: 3000,
    // scenarios with ceiling cameras need the edge's tracking to attribute picks among several shoppers
    ...(cameras === undefined ? {} : { vision: DEFAULT_VISION }),
  });
  try {
    const clock = new ScaledClock(Date.now(), speed);
    runs.push(await evaluateScenario(stack, scenario, { speed, clock, receiptWaitMs: 15_000, logger }));
  } finally {
    await stack.stop();
  }
}

// a doubtful line counts once for the scenario, however many shoppers it could belong to
const rows = runs.map((run) => ({
  name: run.name,
  ...scoreVisits(run.outcomes),
  toStaff: run.staffExceptions,
}));
const overall = {
  ...scoreVisits(runs.flatMap((r) => r.outcomes)),
  toStaff: runs.reduce((s, r) => s + r.staffExceptions, 0),
};
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const line = (name: string, s: VisitScore) =>
  `${name.padEnd(34)} ${String(s.visits).padStart(6)} ${pct(s.visitsExact).padStart(9)} ${pct(s.lineF1).padStart(8)} ${String(s.toStaff).padStart(8)} ${String(s.wrongConfident).padStart(10)} ${String(s.receiptLatencyP99Ms).padStart(11)}`;
console.log(
  `${'scenario'.padEnd(34)} ${'visits'.padStart(6)} ${'exact'.padStart(9)} ${'line F1'.padStart(8)} ${'to staff'.padStart(8)} ${'wrong+conf'.padStart(10)} ${'p99 ms'.padStart(11)}`,
);
for (const row of rows) console.log(line(row.name, row));
console.log(line('OVERALL', overall));
if (values.json) {
  const pick = (s: VisitScore) => ({
    visits: s.visits,
    visitsExact: Number(s.visitsExact.toFixed(4)),
    lineF1: Number(s.lineF1.toFixed(4)),
    toStaff: s.toStaff,
    wrongConfident: s.wrongConfident,
    receiptLatencyP99Ms: s.receiptLatencyP99Ms,
  });
  console.log(
    JSON.stringify({ scenarios: rows.map((r) => ({ name: r.name, ...pick(r) })), overall: pick(overall) }),
  );
}
process.exit(0);
