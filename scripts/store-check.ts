// `npm run store:check -- [<store.json>] [--json]` (default STORE_CONFIG, else the sample store): validates a
// store config and prints, per lane, the cameras that see its aisle (stated in the config or computed from the
// homographies), how many lanes no, one, or two or more cameras see, and the coverage warnings. Exit 1 when
// the config is invalid; warnings alone do not fail.
import {
  coverageCounts,
  coverageWarnings,
  laneCoverage,
  MIN_CAMERAS_PER_LANE,
} from '../shared/lane-coverage.ts';
import { loadStoreConfig, type StoreConfig, StoreConfigError } from '../shared/store-config.ts';
import { commandLine } from './cli/command-line.ts';

const cli = commandLine({
  command: 'store:check',
  usage: `usage: npm run store:check -- [<store.json>] [--json]
  validates a store config (default STORE_CONFIG, else stores/sample-store.json) and prints, per lane, the
  cameras that see its aisle and the coverage warnings; exit 1 when the config is invalid
  --json  one JSON object instead of the table`,
  allowPositionals: true,
  options: { json: { type: 'boolean', default: false } },
});
const { values, positionals } = cli;
if (positionals.length > 1) cli.fail(`one store config at most, got ${positionals.join(' ')}`);
const path = positionals[0] ?? process.env.STORE_CONFIG ?? 'stores/sample-store.json';

let config: StoreConfig;
try {
  config = loadStoreConfig(path);
} catch (err) {
  if (!(err instanceof StoreConfigError)) throw err;
  if (values.json) console.log(JSON.stringify({ store: path, valid: false, problems: err.problems }));
  else console.error(err.message);
  process.exit(1);
}

const coverage = laneCoverage(config);
const counts = coverageCounts(coverage);
const warnings = coverageWarnings(coverage);

if (values.json) {
  console.log(
    JSON.stringify({
      store: path,
      storeId: config.storeId,
      valid: true,
      lanes: coverage,
      counts,
      warnings: warnings.map((w) => ({
        code: w.code,
        lanes: w.lanes.map((l) => l.lane),
        message: w.message,
      })),
    }),
  );
} else {
  console.log(`${config.storeId} (${path}): ${config.cameras.length} cameras, ${coverage.length} lanes`);
  console.log(`${'lane'.padEnd(12)} ${'cameras'.padStart(7)}  ${'source'.padEnd(8)}  ids`);
  for (const c of coverage) {
    const flag = c.cameras.length < MIN_CAMERAS_PER_LANE ? '  ←' : '';
    console.log(
      `${c.lane.padEnd(12)} ${String(c.cameras.length).padStart(7)}  ${c.source.padEnd(8)}  ${c.cameras.join(', ') || '–'}${flag}`,
    );
  }
  console.log(
    `seen by no camera: ${counts.none}, by one: ${counts.one}, by two or more: ${counts.twoOrMore} (of ${coverage.length})`,
  );
  for (const w of warnings) console.log(`warning: ${w.message}`);
}
