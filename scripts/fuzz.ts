// npm run fuzz [-- --cases N] [--seed S] [--json]: hostile payloads on every topic the edge subscribes to and
// every cloud route (evaluation/fuzz/boundary-fuzz.ts), then a normal visit; prints a table per target and,
// with --json, a last line {"cases":…,"crashes":0,"serverErrors":0,"visitAfterExact":true,…}.
import { runBoundaryFuzz } from '../evaluation/fuzz/boundary-fuzz.ts';
import { loadScenario } from '../simulators/scenario/scenario-loader.ts';
import { commandLine } from './cli/command-line.ts';

const USAGE = `usage: npm run fuzz -- [--cases N] [--seed S] [--json]
  --cases N  hostile payloads in all, half on the edge's topics, half on the cloud's routes (default 20000)
  --seed S   fast-check seed, an integer ≥ 1 (default 14)
  --json     last line: {"cases":…,"crashes":0,"serverErrors":0,"visitAfterExact":true,…}`;

const cli = commandLine({
  command: 'fuzz',
  usage: USAGE,
  options: {
    // 20,000 cases take about 2–3 minutes on the project's 2-core machine (half topics, half routes)
    cases: { type: 'string', default: '20000' },
    seed: { type: 'string', default: '14' },
    json: { type: 'boolean', default: false },
  },
});
const cases = cli.integer('cases', { min: 1 });
const seed = cli.integer('seed', { min: 1 });
const { json } = cli.values;
const { scenario, store } = loadScenario('scenarios/skeleton-one-shopper.json');
console.log(
  `fuzz — ${cases} cases (seed ${seed}) on the edge's topics and the cloud's routes, then a normal visit`,
);
const result = await runBoundaryFuzz({ store, scenario, cases, seed });
console.log('');
console.log(`${'target'.padEnd(58)} ${'cases'.padStart(7)} ${'refused'.padStart(8)} ${'5xx'.padStart(5)}`);
for (const t of result.targets) {
  const refused = t.target.startsWith('mqtt') ? '—' : String(t.refused);
  console.log(
    `${t.target.padEnd(58)} ${String(t.cases).padStart(7)} ${refused.padStart(8)} ${String(t.serverErrors).padStart(5)}`,
  );
}
console.log('');
console.log(
  `cases ${result.cases} (mqtt ${result.mqttCases}, http ${result.httpCases}) · crashes ${result.crashes} · ` +
    `server errors ${result.serverErrors} · edge dropped and counted ${result.edgeRejected} · ` +
    `visit afterwards exact: ${result.visitAfterExact ? 'yes' : 'NO'} · ${result.seconds} s`,
);
for (const problem of result.problems) console.log(`  problem: ${problem}`);
if (json) {
  const { targets: _perTarget, problems, ...summary } = result;
  console.log(JSON.stringify({ ...summary, problems: problems.length }));
}
process.exitCode = result.crashes === 0 && result.serverErrors === 0 && result.visitAfterExact ? 0 : 1;
