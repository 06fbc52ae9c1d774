// npm run faults [-- --json] [--case NAME …] [--mqtt URL] [--database URL]: kills, cuts and outages on a store
// running as separate processes (evaluation/faults/), every receipt checked against the ground truth; prints a
// table and, with --json, a last line {"cases":[{"name","visits","lost","doubleCharges","exact"}],"overall":{…}}.

import { resolve } from 'node:path';
import { FAULT_CASES } from '../evaluation/faults/fault-cases.ts';
import { runFaults, selectCases } from '../evaluation/faults/run-faults.ts';
import { loadStoreConfig } from '../shared/store-config.ts';
import { commandLine } from './cli/command-line.ts';
import { BROKER_SCHEMES, POSTGRES_SCHEMES } from './cli/url-option.ts';

const USAGE = `usage: npm run faults -- [--json] [--case NAME]… [--mqtt URL] [--database URL] [--store FILE]
  --case      run only this case (repeatable); cases: ${FAULT_CASES.map((c) => c.name).join(', ')}
  --mqtt      use this broker instead of the run's own Mosquitto (the broker-outage case is then skipped)
  --database  PostgreSQL URL (default postgres://postgres@127.0.0.1:5432/test when it answers, else PGlite)
  --store     store config (default stores/sample-store.json)
  --json      last line: {"cases":[{"name","visits","lost","doubleCharges","exact"}],"overall":{…}}`;

const cli = commandLine({
  command: 'faults',
  usage: USAGE,
  options: {
    json: { type: 'boolean', default: false },
    case: { type: 'string', multiple: true },
    mqtt: { type: 'string' },
    database: { type: 'string' },
    store: { type: 'string' },
  },
});
const { values } = cli;
const mqttUrl = cli.url('mqtt', BROKER_SCHEMES);
const databaseUrl = cli.url('database', POSTGRES_SCHEMES);
try {
  selectCases(values.case);
} catch (err) {
  cli.fail(err instanceof Error ? err.message : String(err));
}
const storeConfigPath = resolve(values.store ?? 'stores/sample-store.json');
const store = loadStoreConfig(storeConfigPath);
const started = Date.now();
console.log('faults — cloud, edge and simulator as separate processes; each case injects one fault');
const result = await runFaults({
  store,
  storeConfigPath,
  only: values.case,
  mqttUrl,
  databaseUrl,
  progress: (line) => console.log(line),
});
console.log('');
console.log(
  `${'case'.padEnd(28)} ${'visits'.padStart(6)} ${'lost'.padStart(5)} ${'double'.padStart(7)} ${'exact'.padStart(6)} ${'s'.padStart(6)}  fault`,
);
for (const c of result.cases) {
  const exact = c.skipped !== undefined ? 'skip' : c.exact ? 'yes' : 'NO';
  console.log(
    `${c.name.padEnd(28)} ${String(c.visits).padStart(6)} ${String(c.lost).padStart(5)} ${String(c.doubleCharges).padStart(7)} ${exact.padStart(6)} ${c.seconds.toFixed(1).padStart(6)}  ${c.fault}`,
  );
}
console.log('');
console.log(
  `overall: lost ${result.overall.lost} · double charges ${result.overall.doubleCharges} · ` +
    `${result.cases.length - result.overall.failed - result.cases.filter((c) => c.skipped).length} of ${result.cases.length} exact · ` +
    `${Math.round((Date.now() - started) / 1000)} s · logs in ${result.dir}`,
);
if (values.json) {
  console.log(
    JSON.stringify({
      cases: result.cases.map((c) => ({
        name: c.name,
        visits: c.visits,
        lost: c.lost,
        doubleCharges: c.doubleCharges,
        exact: c.exact,
        ...(c.skipped === undefined ? {} : { skipped: c.skipped }),
        ...(c.error === undefined ? {} : { error: c.error.split('\n')[0] }),
      })),
      overall: { lost: result.overall.lost, doubleCharges: result.overall.doubleCharges },
    }),
  );
}
process.exitCode =
  result.overall.failed === 0 && result.overall.lost === 0 && result.overall.doubleCharges === 0 ? 0 : 1;
