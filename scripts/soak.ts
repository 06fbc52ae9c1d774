// npm run soak -- --minutes N [--json] [--database URL]: busy-hour traffic without pause on the store as
// separate processes (evaluation/faults/soak-run.ts); prints the numbers and, with --json, a last line
// {"minutes","visits","lost","doubleCharges","rssGrowthPct","edgeDbGrowthMbPerHour","eventLoopLagP99Ms"}.
import { resolve } from 'node:path';
import { runSoak } from '../evaluation/faults/soak-run.ts';
import { loadStoreConfig } from '../shared/store-config.ts';
import { commandLine } from './cli/command-line.ts';
import { POSTGRES_SCHEMES } from './cli/url-option.ts';

const USAGE = `usage: npm run soak -- --minutes N [--json] [--database URL]
  --minutes   how long the traffic plays (> 0 and ≤ 1440; the issue's run is 60, CI's 3)
  --database  PostgreSQL URL (default postgres://postgres@127.0.0.1:5432/test when it answers, else PGlite)
  --json      last line: {"minutes","visits","lost","doubleCharges","rssGrowthPct",…}`;

const cli = commandLine({
  command: 'soak',
  usage: USAGE,
  options: {
    minutes: { type: 'string' },
    json: { type: 'boolean', default: false },
    database: { type: 'string' },
  },
});
const minutes = cli.positiveNumber('minutes', { max: 24 * 60 }) ?? cli.fail('--minutes N is needed');
const database = cli.url('database', POSTGRES_SCHEMES);
const storeConfigPath = resolve('stores/sample-store.json');
const result = await runSoak({
  store: loadStoreConfig(storeConfigPath),
  storeConfigPath,
  busyHourPath: resolve('scenarios/suite/13-busy-hour.json'),
  minutes,
  databaseUrl: database,
  progress: (line) => console.log(line),
});
console.log('');
console.log(`minutes                   ${result.minutes}`);
if (result.stoppedEarly !== undefined) console.log(`stopped early             ${result.stoppedEarly}`);
console.log(
  `visits scored             ${result.visits} (${result.passes} passes; staff asked ${result.toStaff} time(s) whose a unit was)`,
);
console.log(`exceptions staff cleared  ${result.staffCleared} (after their receipt went without them)`);
console.log(`lost                      ${result.lost}`);
console.log(`double charges            ${result.doubleCharges}`);
console.log(
  `edge RSS growth           ${result.rssGrowthPct} % after a ${result.warmupS} s warm-up ` +
    `(${result.rssMb.afterWarmup} → ${result.rssMb.atEnd} MB, medians of the first and last tenth)`,
);
console.log(`edge V8 heap growth       ${result.heapGrowthPct} % (the same tenths)`);
console.log(`edge database growth      ${result.edgeDbGrowthMbPerHour} MB/h`);
console.log(`event-loop lag p99        ${result.eventLoopLagP99Ms} ms (worst 5 s window)`);
if (cli.values.json) {
  const {
    visits,
    lost,
    doubleCharges,
    rssGrowthPct,
    heapGrowthPct,
    edgeDbGrowthMbPerHour,
    eventLoopLagP99Ms,
  } = result;
  console.log(
    JSON.stringify({
      minutes: result.minutes,
      visits,
      lost,
      doubleCharges,
      rssGrowthPct,
      edgeDbGrowthMbPerHour,
      eventLoopLagP99Ms,
      heapGrowthPct,
    }),
  );
}
process.exitCode =
  result.lost === 0 && result.doubleCharges === 0 && result.stoppedEarly === undefined ? 0 : 1;
