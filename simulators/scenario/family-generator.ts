// Generates families of short crowded scenarios (GitHub issue 11): parameters + seed → scenario file objects
// in the documented format, on any store config (shelves and lanes chosen from it at random, walks timed on
// its floor). Pure and deterministic: the same store, seed and parameters give the same files.
import { Random } from '../../shared/random.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import { deriveSeed } from '../world/derived-random.ts';
import { crossingArms, crowdAtShelf, handOver, sameLane } from './families/close-quarters.ts';
import { darkCamera, noisyCells } from './families/conditions.ts';
import type { FamilyBuilder, FamilyContext, FamilyDraft, FamilyParams } from './families/family-kit.ts';
import { lookAlikes, lostAtGate, partyOnOneScan } from './families/identity.ts';
import { parseScenario } from './scenario-loader.ts';
import type { ScenarioFile } from './scenario-schema.ts';
import { storeSites } from './store-sites.ts';
import { endOf, scheduleVisits, shopperFile, VISIT_TIMING } from './visit-schedule.ts';

export type { FamilyParams } from './families/family-kit.ts';

interface ParamSpec {
  min: number;
  max: number;
  integer: boolean;
  /** Values the n-th scenario of a family takes when the parameter is not given (n modulo the length). */
  cycle: readonly number[];
}

interface FamilySpec {
  /** Variants, taken in turn: the n-th scenario of a family is variant n modulo their number. */
  variants: readonly string[];
  params: Partial<Record<keyof FamilyParams, ParamSpec>>;
  build: FamilyBuilder;
}

const people: ParamSpec = { min: 2, max: 6, integer: true, cycle: [3, 6, 2, 5, 4] };
const shoppers: ParamSpec = { min: 2, max: 3, integer: true, cycle: [2, 3] };

export const FAMILIES = {
  'crowd-at-shelf': {
    variants: ['side-by-side', 'put-backs', 'multi-unit'],
    params: { people },
    build: crowdAtShelf,
  },
  'crossing-arms': {
    variants: ['swap-adjacent', 'swap-wide', 'reach-past'],
    params: {},
    build: crossingArms,
  },
  'same-lane': {
    variants: ['both-keep', 'one-returns', 'with-bystander'],
    params: { gapS: { min: 0, max: 2, integer: false, cycle: [0.2, 1, 2, 0.5, 1.5] } },
    build: sameLane,
  },
  'look-alikes': { variants: ['side-by-side', 'swap-places', 'follow'], params: {}, build: lookAlikes },
  'hand-over': { variants: ['keeps', 'puts-back', 'keeps-one-of-two'], params: {}, build: handOver },
  family: {
    variants: ['same-shelf', 'two-shelves', 'with-stranger'],
    params: { size: { min: 2, max: 5, integer: true, cycle: [3, 5, 2, 4] } },
    build: partyOnOneScan,
  },
  'dark-camera': {
    variants: ['one-camera', 'every-camera', 'blink'],
    params: { shoppers },
    build: darkCamera,
  },
  'noisy-cells': {
    variants: ['apart', 'same-shelf', 'light-items'],
    params: { shoppers },
    build: noisyCells,
  },
  'lost-at-gate': {
    variants: ['alone', 'pair', 'busy'],
    params: { darkS: { min: 2, max: 10, integer: false, cycle: [4, 6, 8] } },
    build: lostAtGate,
  },
} as const satisfies Record<string, FamilySpec>;

export type FamilyName = keyof typeof FAMILIES;
export const FAMILY_NAMES = Object.keys(FAMILIES) as FamilyName[];

export function isFamilyName(name: string): name is FamilyName {
  return Object.hasOwn(FAMILIES, name);
}

export interface GenerateOptions {
  store: StoreConfig;
  /** The `store` field written into each file: the store config relative to where the file will live. */
  storeRef: string;
  seed: number;
  /** Parameters to hold fixed (per family); the rest take their family's cycle. */
  params?: Partial<Record<FamilyName, Partial<FamilyParams>>>;
  /** The last action (an exit scan) should come by this time, seconds (default 35). */
  maxEndS?: number;
}

export interface GeneratedScenario {
  family: FamilyName;
  /** `<family>-<nn>.json`, nn from 01. */
  file: string;
  scenario: ScenarioFile;
}

/**
 * The generated families shipped in the suite: `npm run scenarios:generate` with no options rewrites them
 * (paths from the repository root; a unit test fails when the files are stale).
 */
export const SHIPPED_FAMILIES = {
  out: 'scenarios/suite/generated',
  store: 'stores/sample-store.json',
  perFamily: 3,
  seed: 11,
} as const;

/** Scenarios tried per file until one fits the time budget (shelves drawn again each time). */
const ATTEMPTS = 12;
const DEFAULT_MAX_END_S = 35;
const NAMES = [
  'ada',
  'ben',
  'cleo',
  'dev',
  'eva',
  'finn',
  'gia',
  'hugo',
  'ines',
  'jay',
  'kira',
  'leo',
  'mia',
  'nils',
];

/** `perFamily` scenarios of each family (default all), in family order. */
export function generateFamilies(
  options: GenerateOptions & { perFamily: number; families?: readonly FamilyName[] },
): GeneratedScenario[] {
  const families = options.families ?? FAMILY_NAMES;
  return families.flatMap((family) =>
    Array.from({ length: options.perFamily }, (_, i) => {
      const scenario = generateScenario(family, i, options);
      return { family, file: `${scenario.name}.json`, scenario };
    }),
  );
}

/** The `index`-th scenario (from 0) of a family: its variant, parameters and seed follow from the index. */
export function generateScenario(family: FamilyName, index: number, options: GenerateOptions): ScenarioFile {
  const spec: FamilySpec = FAMILIES[family];
  const variant = spec.variants[index % spec.variants.length] as string;
  const params = resolveParams(family, spec, index, options.params?.[family] ?? {});
  const seed = deriveSeed(options.seed, `${family}:${index}`);
  const random = new Random(deriveSeed(seed, 'generator'));
  const maxEndS = options.maxEndS ?? DEFAULT_MAX_END_S;
  const sites = storeSites(options.store, VISIT_TIMING.paceMps);
  const ctx: FamilyContext = {
    family,
    sites,
    random,
    variant,
    params,
    names: random.shuffle([...NAMES]),
    maxEndS,
  };
  // shelves are drawn at random: keep the first draw that fits the budget, else the shortest one
  let best: { draft: FamilyDraft; timed: ReturnType<typeof scheduleVisits>; end: number } | undefined;
  for (let attempt = 0; attempt < ATTEMPTS && (best === undefined || best.end > maxEndS); attempt++) {
    const draft = spec.build(ctx);
    const timed = scheduleVisits(sites, draft.visits);
    const end = endOf(timed);
    if (best === undefined || end < best.end) best = { draft, timed, end };
  }
  if (best === undefined) throw new RangeError('no attempt');
  const { draft, timed } = best;
  const name = `${family}-${String(index + 1).padStart(2, '0')}`;
  const shown = Object.keys(spec.params).map((k) => `${k} ${params[k as keyof FamilyParams]}`);
  const faults = draft.faults?.(timed) ?? [];
  const scenario: ScenarioFile = {
    name,
    family,
    description: `${draft.summary} (family ${family}, variant ${variant}${shown.map((s) => `, ${s}`).join('')}; generated by npm run scenarios:generate)`,
    store: options.storeRef,
    seed,
    noise: draft.noise ?? 'standard',
    cameras: { fps: 10 },
    ...(faults.length > 0 ? { faults } : {}),
    shoppers: timed.map(shopperFile),
  };
  // a generator bug must not ship a file the loader rejects
  parseScenario(scenario, options.store, name);
  return scenario;
}

function resolveParams(
  family: string,
  spec: FamilySpec,
  index: number,
  given: Partial<FamilyParams>,
): FamilyParams {
  const resolved: FamilyParams = { people: 3, size: 3, gapS: 1, shoppers: 2, darkS: 5 };
  for (const [key, value] of Object.entries(given) as Array<[keyof FamilyParams, number | undefined]>) {
    const p = spec.params[key];
    if (value === undefined) continue;
    if (p === undefined) throw new RangeError(`${family} has no parameter ${key}`);
    if (!(value >= p.min && value <= p.max) || (p.integer && !Number.isInteger(value)))
      throw new RangeError(
        `${family}: ${key} must be ${p.integer ? 'an integer ' : ''}in ${p.min}–${p.max}, got ${value}`,
      );
  }
  for (const [key, p] of Object.entries(spec.params) as Array<[keyof FamilyParams, ParamSpec]>) {
    resolved[key] = given[key] ?? (p.cycle[index % p.cycle.length] as number);
  }
  return resolved;
}
