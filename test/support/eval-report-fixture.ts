// A realistic EvalReport for the report page's tests: four families of scenarios over three seeds, a few
// hundred decisions (most billed right, some wrong, some sent to staff) and a skewed latency sample.
// The family rows are given (the tests check the page shows them); the rest is seeded pseudo-random.

import type { Decision, EvalReport, ScoreBlock } from '../../evaluation/store-eval/eval-report-types.ts';
import { calibrationBins, wilsonInterval } from '../../evaluation/store-eval/interval-stats.ts';
import { percentile } from '../../evaluation/store-eval/percentile.ts';
import { Random } from '../../shared/random.ts';

interface FamilyCounts {
  family: string;
  scenarios: string[];
  visits: number;
  exact: number;
  lineF1: number;
  toStaff: number;
  linesTaken: number;
  wrongConfident: number;
  receiptLatencyP99Ms: number;
}

export const FIXTURE_FAMILIES: FamilyCounts[] = [
  {
    family: 'single-shopper',
    scenarios: ['01-one-shopper-simple', '02-put-backs-right-and-wrong-lanes', '04-multi-unit-picks'],
    visits: 30,
    exact: 29,
    lineF1: 0.9953,
    toStaff: 1,
    linesTaken: 96,
    wrongConfident: 0,
    receiptLatencyP99Ms: 912,
  },
  {
    family: 'two-shoppers',
    scenarios: ['05-two-shoppers-crossing-hands', '07-same-product-same-moment'],
    visits: 24,
    exact: 20,
    lineF1: 0.9612,
    toStaff: 3,
    linesTaken: 70,
    wrongConfident: 1,
    receiptLatencyP99Ms: 1480,
  },
  {
    family: 'crowded',
    scenarios: ['08-three-crowded-at-one-shelf', '09-four-crowded-at-one-shelf'],
    visits: 36,
    exact: 27,
    lineF1: 0.9238,
    toStaff: 8,
    linesTaken: 118,
    wrongConfident: 2,
    receiptLatencyP99Ms: 2210,
  },
  {
    family: 'degraded-sensors',
    scenarios: ['11-noisy-sensors', '12-camera-dark'],
    visits: 12,
    exact: 6,
    lineF1: 0.8811,
    toStaff: 5,
    linesTaken: 40,
    wrongConfident: 1,
    receiptLatencyP99Ms: 3050,
  },
];

/** The wrong decision the page must list (its evidence names why the cameras chose dan). */
export const KNOWN_WRONG: Decision = {
  scenario: '08-three-crowded-at-one-shelf',
  family: 'crowded',
  seed: 2,
  atS: 41.25,
  kind: 'pick',
  lane: 'S03-L02',
  sku: 'SKU-0217',
  count: 1,
  truthShopper: 'erin',
  billedTo: 'dan',
  attribution: 'vision',
  confidence: 0.91,
  correct: false,
  rule: 'reach',
  candidates: ['dan', 'erin', 'fay'],
  evidence: {
    vision: true,
    laneSeen: true,
    units: 1,
    candidates: [
      { sessionId: 'dan', handM: 0.08, bodyM: 0.45, identity: 0.93, tracks: ['t-17'] },
      { sessionId: 'erin', handM: 0.21, bodyM: 0.52, identity: 0.71, tracks: ['t-18'] },
      { sessionId: 'fay', handM: null, bodyM: 1.9, identity: 0.95 },
    ],
    rule: 'reach',
  },
};

const SHOPPERS = ['alice', 'bob', 'carol', 'dan', 'erin', 'fay', 'gus'];

function decisionsOf(scenario: string, family: string, seed: number, count: number, rnd: Random): Decision[] {
  const out: Decision[] = [];
  for (let i = 0; i < count; i++) {
    // half the events happen with one shopper in the store; crowds make the rest
    const candidates = rnd.shuffle([...SHOPPERS]).slice(0, rnd.next() < 0.5 ? 1 : rnd.int(2, 4));
    const truth = candidates[0] as string;
    const sole = candidates.length === 1;
    const toStaff = !sole && rnd.next() < 0.12;
    const confidence = sole ? 1 : 0.6 + 0.4 * Math.sqrt(rnd.next());
    // slightly under-confident in the middle, as a calibration plot should be able to show
    const correct = toStaff ? null : sole || rnd.next() < Math.min(1, confidence + 0.04);
    const billedTo = toStaff ? null : correct ? truth : (candidates[1] as string);
    const rule = sole ? 'sole-session' : toStaff ? 'close-call' : 'reach';
    out.push({
      scenario,
      family,
      seed,
      atS: Math.round((5 + i * 3.7 + rnd.next()) * 100) / 100,
      kind: rnd.next() < 0.2 ? 'put-back' : 'pick',
      lane: `S0${rnd.int(1, 4)}-L0${rnd.int(1, 6)}`,
      sku: toStaff && rnd.next() < 0.3 ? null : `SKU-0${rnd.int(100, 299)}`,
      count: rnd.int(1, 2),
      truthShopper: truth,
      billedTo,
      attribution: sole ? 'sole-session' : toStaff ? 'staff' : 'vision',
      confidence: toStaff ? null : confidence,
      correct,
      rule,
      candidates,
      evidence: { vision: true, laneSeen: true, rule, candidates: candidates.map((c) => ({ sessionId: c })) },
    });
  }
  return out;
}

function block(c: Omit<FamilyCounts, 'family' | 'scenarios'>, decisions: Decision[]): ScoreBlock {
  return {
    visits: c.visits,
    visitsExact: c.visits === 0 ? 1 : c.exact / c.visits,
    visitsExactCi95: wilsonInterval(c.exact, c.visits),
    lineF1: c.lineF1,
    toStaff: c.toStaff,
    linesTaken: c.linesTaken,
    linesToStaffShare: c.linesTaken === 0 ? 0 : c.toStaff / c.linesTaken,
    toStaffWhy: c.toStaff === 0 ? {} : { 'close-call': c.toStaff },
    wrongConfident: c.wrongConfident,
    receiptLatencyP99Ms: c.receiptLatencyP99Ms,
    receiptLatencyP99NoStaffMs: c.receiptLatencyP99Ms,
    slowNoStaffReceipts: {},
    calibration: calibrationBins(decisions),
  };
}

/** Splits `total` over `parts` as evenly as whole numbers allow, the first parts taking the remainder. */
const share = (total: number, parts: number, i: number) =>
  Math.floor(total / parts) + (i < total % parts ? 1 : 0);

export function evalReportFixture(seeds = 3): EvalReport {
  const rnd = new Random(20_240_611);
  const families: EvalReport['families'] = [];
  const scenarios: EvalReport['scenarios'] = [];
  const decisions: Decision[] = [];
  for (const f of FIXTURE_FAMILIES) {
    const { family, scenarios: names, ...counts } = f;
    const familyDecisions: Decision[] = [];
    const runs = names.length * seeds;
    for (const [s, name] of names.entries()) {
      for (let seed = 1; seed <= seeds; seed++) {
        const i = s * seeds + seed - 1;
        const own = decisionsOf(name, family, seed, share(counts.linesTaken, runs, i), rnd);
        familyDecisions.push(...own);
        const part = {
          visits: share(counts.visits, runs, i),
          exact: share(counts.exact, runs, i),
          lineF1: counts.lineF1,
          toStaff: share(counts.toStaff, runs, i),
          linesTaken: share(counts.linesTaken, runs, i),
          wrongConfident: share(counts.wrongConfident, runs, i),
          receiptLatencyP99Ms: counts.receiptLatencyP99Ms - 40 * i,
        };
        scenarios.push({ name, family, seed, ...block(part, own) });
      }
    }
    if (family === KNOWN_WRONG.family) familyDecisions.push(KNOWN_WRONG);
    families.push({ family, ...block(counts, familyDecisions) });
    decisions.push(...familyDecisions);
  }
  // receipts mostly in a second, a tail from the crowded and dark scenarios
  const receiptLatenciesMs = Array.from({ length: 102 }, () =>
    Math.round(Math.exp(6.55 + 0.38 * rnd.normal() + (rnd.next() < 0.08 ? 0.9 : 0))),
  );
  const total = (key: keyof Omit<FamilyCounts, 'family' | 'scenarios'>) =>
    FIXTURE_FAMILIES.reduce((n, f) => n + f[key], 0);
  const overall = block(
    {
      visits: total('visits'),
      exact: total('exact'),
      lineF1: 0.9468,
      toStaff: total('toStaff'),
      linesTaken: total('linesTaken'),
      wrongConfident: total('wrongConfident'),
      receiptLatencyP99Ms: percentile(receiptLatenciesMs, 0.99),
    },
    decisions,
  );
  return {
    mode: 'lockstep',
    seeds,
    startedAt: '2026-05-04T09:12:33.000Z',
    durationS: 734.2,
    commit: 'a3793c0f5e2b9d4c1a7e6f8b0c2d4e6f8a0b1c2d',
    families,
    scenarios,
    overall,
    receiptLatenciesMs,
    decisions,
  };
}
