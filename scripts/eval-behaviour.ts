// `npm run eval:behaviour -- [scenario files or folders…] [--seeds N] [--filter S]… [--json]`: plays the
// behaviour scenarios; scores the lingers, comparisons and dwell times derived from the floor against truth.
import {
  type BehaviourRun,
  runBehaviourScenario,
} from '../evaluation/behaviour-eval/run-behaviour-scenario.ts';
import { scenarioFiles } from '../evaluation/scenario-files.ts';
import { loadScenario } from '../simulators/scenario/scenario-loader.ts';
import { scenarioVariant } from '../simulators/scenario/seed-variant.ts';
import { commandLine } from './cli/command-line.ts';

const USAGE = `usage: npm run eval:behaviour -- [scenario files or folders…] [--seeds N] [--filter S]…
                                   [--json]
  (folders are searched recursively; default scenarios/behaviour)
  --seeds N   play every scenario N times with different seeds (default 2)
  --filter S  only scenario files whose path contains S (repeatable)
  --json      last line: {"lingerPrecision","lingerRecall","comparisonAccuracy","dwellErrorPct"}`;

const cli = commandLine({
  command: 'eval:behaviour',
  usage: USAGE,
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '2' },
    filter: { type: 'string', multiple: true },
  },
});
const { values, positionals } = cli;
const seeds = cli.integer('seeds', { min: 1 });

let files: string[] = [];
try {
  files = scenarioFiles(positionals.length > 0 ? positionals : ['scenarios/behaviour'], values.filter);
} catch (error) {
  cli.fail((error as Error).message);
}

const runs: BehaviourRun[] = [];
const total = files.length * seeds;
for (const file of files) {
  const loaded = loadScenario(file);
  for (let variant = 0; variant < seeds; variant++) {
    const scenario = scenarioVariant(loaded.scenario, variant);
    const run = await runBehaviourScenario({ ...loaded, scenario });
    runs.push(run);
    process.stderr.write(
      `[${runs.length}/${total}] ${run.scenario} seed ${run.seed}: ${Math.round(run.wallMs / 1000)} s\n`,
    );
  }
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const dwellError = (d: BehaviourRun['score']['dwell']) =>
  d.length === 0
    ? 0
    : (100 * d.reduce((s, p) => s + Math.abs(p.derivedMs - p.trueMs) / p.trueMs, 0)) / d.length;

const rows = runs.map((r) => {
  const { lingers, comparisons, dwell } = r.score;
  return [
    `${r.scenario} #${r.seed}`,
    `${lingers.matched}/${lingers.truth}`,
    pct(ratio(lingers.matched, lingers.derived)),
    pct(ratio(lingers.matched, lingers.truth)),
    `${comparisons.correct}/${comparisons.pairs}`,
    dwell.length === 0 ? '–' : `${dwellError(dwell).toFixed(1)} %`,
  ];
});
const header = ['run', 'lingers found', 'precision', 'recall', 'comparisons right', 'dwell error'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
console.log(line(header));
for (const row of rows) console.log(line(row));

const sum = (f: (r: BehaviourRun) => number) => runs.reduce((s, r) => s + f(r), 0);
const allDwell = runs.flatMap((r) => r.score.dwell);
const overall = {
  lingerPrecision: ratio(
    sum((r) => r.score.lingers.matched),
    sum((r) => r.score.lingers.derived),
  ),
  lingerRecall: ratio(
    sum((r) => r.score.lingers.matched),
    sum((r) => r.score.lingers.truth),
  ),
  comparisonAccuracy: ratio(
    sum((r) => r.score.comparisons.correct),
    sum((r) => r.score.comparisons.pairs),
  ),
  dwellErrorPct: Number(dwellError(allDwell).toFixed(2)),
};
console.log(
  `\noverall: linger precision ${pct(overall.lingerPrecision)}, recall ${pct(overall.lingerRecall)}; comparisons ${pct(overall.comparisonAccuracy)}; dwell error ${overall.dwellErrorPct} % (mean over ${allDwell.length} shopper × category)`,
);
for (const r of runs)
  for (const w of r.score.comparisons.wrong)
    console.log(`  comparison wrong in ${r.scenario} #${r.seed}: ${w}`);
if (values.json)
  console.log(
    JSON.stringify({
      lingerPrecision: Number(overall.lingerPrecision.toFixed(4)),
      lingerRecall: Number(overall.lingerRecall.toFixed(4)),
      comparisonAccuracy: Number(overall.comparisonAccuracy.toFixed(4)),
      dwellErrorPct: overall.dwellErrorPct,
    }),
  );
