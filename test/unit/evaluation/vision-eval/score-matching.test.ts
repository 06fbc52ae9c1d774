import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assign } from '../../../../edge/tracking/hungarian.ts';
import { matchWithin } from '../../../../evaluation/vision-eval/score-matching.ts';

const totals = (cost: number[][], pick: number[], maxCost: number) => {
  let pairs = 0;
  let sum = 0;
  pick.forEach((c, r) => {
    if (c < 0) return;
    const v = cost[r]?.[c] ?? Number.NaN;
    expect(v).toBeLessThanOrEqual(maxCost);
    pairs++;
    sum += v;
  });
  return { pairs, sum };
};

describe('matchWithin (the scorer’s own matching)', () => {
  it('matches the most pairs within reach, then the cheapest', () => {
    // row 0 could take column 0 (cheaper) but then row 1 has nothing within 1: both matched wins
    expect(
      matchWithin(
        [
          [0.1, 0.5],
          [0.2, 5],
        ],
        1,
      ),
    ).toEqual([1, 0]);
    expect(matchWithin([[2, 3]], 1)).toEqual([-1]);
    expect(matchWithin([], 1)).toEqual([]);
    expect(matchWithin([[0.3], [0.1], [Number.POSITIVE_INFINITY]])).toEqual([-1, 0, -1]);
  });

  it('agrees with the tracker’s independent Hungarian on how many pairs and what they cost', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 49, maxLength: 49 }),
        (rows, cols, values) => {
          const cost = Array.from({ length: rows }, (_, r) =>
            Array.from({ length: cols }, (_, c) => values[r * 7 + c] as number),
          );
          const mine = totals(cost, matchWithin(cost, 1), 1);
          const tracker = totals(cost, assign(cost, 1), 1);
          expect(mine.pairs).toBe(tracker.pairs);
          expect(mine.sum).toBeCloseTo(tracker.sum, 9);
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
