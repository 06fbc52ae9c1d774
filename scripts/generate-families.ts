// `npm run scenarios:generate -- [--out DIR] [--per-family N] [--seed S] [--families a,b] [--store FILE]
// [--set family.param=value ...] [--max-end S]`: writes generated scenario families (issue 11) as
// `<family>-<nn>.json` into DIR, each naming its store relative to DIR. The defaults rewrite the shipped
// set, scenarios/suite/generated (a unit test fails when it is stale). Old files of the written families
// that this run did not write again are removed.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { coverageWarnings, laneCoverage } from '../shared/lane-coverage.ts';
import { loadStoreConfig } from '../shared/store-config.ts';
import {
  FAMILY_NAMES,
  type FamilyName,
  type FamilyParams,
  generateFamilies,
  isFamilyName,
  SHIPPED_FAMILIES,
} from '../simulators/scenario/family-generator.ts';
import { commandLine } from './cli/command-line.ts';

const USAGE = `usage: npm run scenarios:generate -- [--out DIR] [--per-family N] [--seed S] [--families a,b]
                                      [--store FILE] [--set family.param=value …] [--max-end S]
  --out DIR         where the files are written (default ${SHIPPED_FAMILIES.out}, the shipped set)
  --per-family N    scenarios per family, 1–99 (default ${SHIPPED_FAMILIES.perFamily})
  --seed S          an integer 0 … 2³²−1 (default ${SHIPPED_FAMILIES.seed})
  --families a,b    only these families (default all: ${FAMILY_NAMES.join(', ')})
  --store FILE      the store config (default ${SHIPPED_FAMILIES.store})
  --set f.p=value   hold a family's parameter fixed, e.g. crowd-at-shelf.people=5 (repeatable)
  --max-end S       the last action (an exit scan) should come by this time, seconds (default 35)
Old files of the written families that this run did not write again are removed.`;

const cli = commandLine({
  command: 'scenarios:generate',
  usage: USAGE,
  options: {
    out: { type: 'string', default: SHIPPED_FAMILIES.out },
    'per-family': { type: 'string', default: String(SHIPPED_FAMILIES.perFamily) },
    seed: { type: 'string', default: String(SHIPPED_FAMILIES.seed) },
    families: { type: 'string' },
    store: { type: 'string', default: SHIPPED_FAMILIES.store },
    set: { type: 'string', multiple: true, default: [] },
    'max-end': { type: 'string' },
  },
});
const { values } = cli;
// a declared `never` function, so that TypeScript narrows after each call
function fail(message: string): never {
  return cli.fail(message);
}

const perFamily = cli.integer('per-family', { min: 1, max: 99 });
const seed = cli.integer('seed', { min: 0, max: 0xffffffff });
const families = (values.families?.split(',') ?? FAMILY_NAMES).map((f) =>
  isFamilyName(f) ? f : fail(`unknown family ${f} (one of ${FAMILY_NAMES.join(', ')})`),
);
const params: Partial<Record<FamilyName, Partial<FamilyParams>>> = {};
for (const setting of values.set) {
  const match = /^([a-z-]+)\.([A-Za-z]+)=(.+)$/.exec(setting);
  const [, family = '', key = '', value = ''] = match ?? [];
  if (!isFamilyName(family)) fail(`--set ${setting}: expected <family>.<param>=<number>`);
  params[family] = { ...params[family], [key]: Number(value) };
}
const maxEndS = cli.positiveNumber('max-end');

const out = resolve(values.out);
const storePath = resolve(values.store);
const storeRef = relative(out, storePath).split(sep).join('/');
const store = loadStoreConfig(storePath);
let generated: ReturnType<typeof generateFamilies>;
try {
  generated = generateFamilies({ store, storeRef, seed, perFamily, families, params, maxEndS });
} catch (err) {
  fail((err as Error).message);
}

mkdirSync(out, { recursive: true });
const written = new Set<string>();
let visits = 0;
let people = 0;
for (const { file, scenario } of generated) {
  writeFileSync(join(out, file), `${JSON.stringify(scenario, null, 2)}\n`);
  written.add(file);
  const enters = scenario.shoppers.flatMap((s) => s.script.filter((a) => a.do === 'enter'));
  const crowd = scenario.shoppers.reduce((n, s) => n + (s.party ?? 1), 0);
  const end = Math.max(...scenario.shoppers.flatMap((s) => s.script.map((a) => a.at)));
  visits += enters.length;
  people += crowd;
  console.log(
    `wrote ${join(values.out, file)}: ${scenario.shoppers.length} shopper${scenario.shoppers.length === 1 ? '' : 's'}, ${crowd} people, last action at ${end} s`,
  );
}
const stale = new RegExp(`^(${families.join('|')})-\\d+\\.json$`);
for (const file of readdirSync(out)) {
  if (stale.test(file) && !written.has(file)) {
    rmSync(join(out, file));
    console.log(`removed ${join(values.out, file)} (not generated any more)`);
  }
}
console.log(`${generated.length} scenarios, ${visits} shopper visits, ${people} people (seed ${seed})`);
// picks on a lane one camera sees go to staff while that camera is dark (the dark-camera family does that)
const coverage = laneCoverage(store);
for (const warning of coverageWarnings(coverage)) {
  process.stderr.write(
    `note: in ${values.store}, ${warning.lanes.length} of ${coverage.length} lanes are seen by fewer than two cameras (npm run store:check -- ${values.store} lists them)\n`,
  );
}
