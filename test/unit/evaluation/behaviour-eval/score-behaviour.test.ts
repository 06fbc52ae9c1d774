// The behaviour scorer counts what the edge got wrong: a linger on the wrong lane or at another time, a
// comparison missed or invented, dwell off from the truth.
import { describe, expect, it } from 'vitest';
import { scoreBehaviour } from '../../../../evaluation/behaviour-eval/score-behaviour.ts';
import type { VisitBehaviour } from '../../../../shared/schemas/visit-behaviour.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';
import type { GroundTruth } from '../../../../simulators/scenario/ground-truth.ts';
import type { Scenario } from '../../../../simulators/scenario/scenario-schema.ts';

const store = indexStore(loadStoreConfig('stores/sample-store.json'));
const scenario = {
  name: 's',
  shoppers: [
    { id: 'ann', consent: true },
    { id: 'bob', consent: false },
  ],
  moments: [{ kind: 'comparison', shopper: 'ann', category: 'dairy', kept: 'SKU-0012' }],
} as unknown as Scenario;
const truth = {
  shoppers: [
    { id: 'ann', entryResult: 'open' },
    { id: 'bob', entryResult: 'open' },
  ],
  events: [{ shopper: 'ann', kind: 'pick', lane: 'S01-L08', sku: 'SKU-0012', ts: 20_000 }],
  moments: [
    { kind: 'linger', shopper: 'ann', lane: 'S01-L01', ts: 10_000, forS: 5 },
    { kind: 'linger', shopper: 'bob', lane: 'S01-L05', ts: 10_000, forS: 5 },
  ],
} as unknown as GroundTruth;
const floor = (over: Partial<VisitBehaviour>): VisitBehaviour => ({
  v: 1,
  lingers: [{ lane: 'S01-L01', sku: 'SKU-0060', category: 'dairy', startTs: 9800, durationMs: 6000 }],
  comparisons: [
    { category: 'dairy', by: 'looked', skus: ['SKU-0012', 'SKU-0060'], kept: 'SKU-0012', ts: 20_000 },
  ],
  dwellByShelf: [],
  dwellByCategory: [{ category: 'dairy', dwellMs: 8000 }],
  path: [],
  ...over,
});
const dwell = new Map([['ann', new Map([['dairy', 10_000]])]]);

describe('scoreBehaviour', () => {
  it('scores a right derivation as right, and only consenting shoppers', () => {
    const score = scoreBehaviour(scenario, store, truth, [{ shopper: 'ann', floor: floor({}) }], dwell);
    expect(score.lingers).toEqual({ truth: 1, derived: 1, matched: 1 });
    expect(score.comparisons).toEqual({ pairs: 1, correct: 1, wrong: [] });
    expect(score.dwell).toEqual([{ shopper: 'ann', category: 'dairy', trueMs: 10_000, derivedMs: 8000 }]);
  });

  it('counts a linger on another lane or at another time as false, and a missed comparison as wrong', () => {
    const lingers = [
      { lane: 'S01-L02', startTs: 9800, durationMs: 6000 },
      { lane: 'S01-L01', startTs: 40_000, durationMs: 6000 },
    ];
    const score = scoreBehaviour(
      scenario,
      store,
      truth,
      [{ shopper: 'ann', floor: floor({ lingers, comparisons: [] }) }],
      dwell,
    );
    expect(score.lingers).toEqual({ truth: 1, derived: 2, matched: 0 });
    expect(score.comparisons.correct).toBe(0);
    expect(score.comparisons.wrong).toEqual(['ann/dairy: expected kept SKU-0012, derived none']);
  });
});
