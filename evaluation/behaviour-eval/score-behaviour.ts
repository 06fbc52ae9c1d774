// Scores what the edge derived on the floor (the behaviour the cloud kept for each consenting shopper)
// against the ground truth: lingering (precision, recall; same shopper, same lane, overlapping in time),
// comparisons (per shopper and category the shopper touched or looked at: compared or not, and what was kept),
// and dwell per category (absolute error against the motion plan). Pure.
import type { VisitBehaviour } from '../../shared/schemas/visit-behaviour.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { GroundTruth } from '../../simulators/scenario/ground-truth.ts';
import type { Scenario } from '../../simulators/scenario/scenario-schema.ts';

/** A truth linger is [its ts − this, ts + its seconds + this] (ms): the walk in and the step back. */
const LINGER_SLACK_MS = 1500;
/** Dwell is scored where the shopper really stood at least this long in the category (ms). */
const MIN_TRUE_DWELL_MS = 1000;

export interface BehaviourScore {
  lingers: { truth: number; derived: number; matched: number };
  comparisons: { pairs: number; correct: number; wrong: string[] };
  /** One per (shopper, category) scored: true and derived ms. */
  dwell: Array<{ shopper: string; category: string; trueMs: number; derivedMs: number }>;
}

export interface DerivedVisit {
  shopper: string;
  /** The floor behaviour the cloud kept for the visit (undefined: none). */
  floor: VisitBehaviour | undefined;
}

/** What every part of the score reads: the run, and who is scored. */
interface ScoringRun {
  scenario: Scenario;
  store: StoreIndex;
  truth: GroundTruth;
  consenting: Set<string>;
  /** A consenting shopper who got in. */
  scored: (shopper: string) => boolean;
  /** The floor behaviour kept for a shopper's visits. */
  ofShopper: (shopper: string) => VisitBehaviour[];
}

type TruthMoment = GroundTruth['moments'][number];

export function scoreBehaviour(
  scenario: Scenario,
  store: StoreIndex,
  truth: GroundTruth,
  derived: readonly DerivedVisit[],
  trueDwell: Map<string, Map<string, number>>,
): BehaviourScore {
  const consenting = new Set(scenario.shoppers.filter((s) => s.consent === true).map((s) => s.id));
  const inside = new Set(truth.shoppers.filter((s) => s.entryResult === 'open').map((s) => s.id));
  const run: ScoringRun = {
    scenario,
    store,
    truth,
    consenting,
    scored: (shopper) => consenting.has(shopper) && inside.has(shopper),
    ofShopper: (shopper) =>
      derived.filter((d) => d.shopper === shopper).flatMap((d) => (d.floor === undefined ? [] : [d.floor])),
  };
  const truthLingers = truth.moments.filter((m) => m.kind === 'linger' && run.scored(m.shopper));
  return {
    lingers: scoreLingers(run, truthLingers),
    comparisons: scoreComparisons(run, truthLingers),
    dwell: scoreDwell(run, trueDwell),
  };
}

/** Lingering: greedy one-to-one in time order, same shopper and lane, overlapping the slackened truth. */
function scoreLingers(run: ScoringRun, truthLingers: TruthMoment[]): BehaviourScore['lingers'] {
  let derivedLingers = 0;
  let matched = 0;
  for (const shopper of run.consenting) {
    const mine = run.ofShopper(shopper).flatMap((f) => f.lingers);
    derivedLingers += mine.length;
    const used = new Set<number>();
    for (const t of truthLingers.filter((m) => m.shopper === shopper)) {
      const from = t.ts - LINGER_SLACK_MS;
      const to = t.ts + (t.forS ?? 0) * 1000 + LINGER_SLACK_MS;
      const hit = mine.findIndex(
        (l, i) => !used.has(i) && l.lane === t.lane && l.startTs < to && l.startTs + l.durationMs > from,
      );
      if (hit >= 0) {
        used.add(hit);
        matched++;
      }
    }
  }
  return { truth: truthLingers.length, derived: derivedLingers, matched };
}

/** Comparisons: every category the shopper took from or lingered at is a question, compared or not. */
function scoreComparisons(run: ScoringRun, truthLingers: TruthMoment[]): BehaviourScore['comparisons'] {
  const declared = run.scenario.moments?.filter((m) => m.kind === 'comparison') ?? [];
  let pairs = 0;
  let correct = 0;
  const wrong: string[] = [];
  for (const shopper of run.consenting) {
    if (!run.scored(shopper)) continue;
    const found = run.ofShopper(shopper).flatMap((f) => f.comparisons);
    const touched = touchedCategories(run, shopper, truthLingers);
    for (const d of declared) if (d.shopper === shopper) touched.add(d.category);
    for (const f of found) touched.add(f.category);
    for (const category of touched) {
      pairs++;
      const expected = declared.find((d) => d.shopper === shopper && d.category === category);
      const got = found.find((f) => f.category === category);
      const ok =
        expected === undefined
          ? got === undefined
          : got !== undefined && (expected.kept === undefined || expected.kept === got.kept);
      if (ok) correct++;
      else
        wrong.push(
          `${shopper}/${category}: expected ${expected === undefined ? 'none' : `kept ${expected.kept ?? 'any'}`}, derived ${got === undefined ? 'none' : `${got.by} kept ${got.kept}`}`,
        );
    }
  }
  return { pairs, correct, wrong };
}

/** Categories the shopper really took from or lingered at. */
function touchedCategories(run: ScoringRun, shopper: string, truthLingers: TruthMoment[]): Set<string> {
  const { store } = run;
  const touched = new Set<string>();
  for (const e of run.truth.events) {
    const c = e.shopper === shopper ? store.productBySku.get(e.sku)?.category : undefined;
    if (c !== undefined) touched.add(c);
  }
  for (const m of truthLingers) {
    const c = m.shopper === shopper && m.lane !== undefined ? categoryOfLane(store, m.lane) : undefined;
    if (c !== undefined) touched.add(c);
  }
  return touched;
}

function categoryOfLane(store: StoreIndex, lane: string): string | undefined {
  const sku = store.laneById.get(lane)?.lane.sku;
  return sku === undefined ? undefined : store.productBySku.get(sku)?.category;
}

/** Dwell: the declared (shopper, category) pairs, or every one where the shopper really stood. */
function scoreDwell(run: ScoringRun, trueDwell: Map<string, Map<string, number>>): BehaviourScore['dwell'] {
  const declaredDwell = run.scenario.moments?.filter((m) => m.kind === 'dwell') ?? [];
  const dwellPairs =
    declaredDwell.length > 0
      ? declaredDwell.map((d) => ({ shopper: d.shopper, category: d.category }))
      : [...trueDwell.entries()].flatMap(([shopper, byCategory]) =>
          [...byCategory.keys()].map((category) => ({ shopper, category })),
        );
  return dwellPairs
    .filter((p) => run.scored(p.shopper))
    .map((p) => ({
      ...p,
      trueMs: trueDwell.get(p.shopper)?.get(p.category) ?? 0,
      derivedMs: run
        .ofShopper(p.shopper)
        .flatMap((f) => f.dwellByCategory)
        .filter((d) => d.category === p.category)
        .reduce((sum, d) => sum + d.dwellMs, 0),
    }))
    .filter((p) => p.trueMs >= MIN_TRUE_DWELL_MS);
}
