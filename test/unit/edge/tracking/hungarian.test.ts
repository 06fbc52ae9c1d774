import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assign } from '../../../../edge/tracking/hungarian.ts';

function bruteForce(cost: number[][], maxCost: number): number {
  const rows = cost.length;
  const cols = cost[0]?.length ?? 0;
  let best = Number.POSITIVE_INFINITY;
  const used = new Set<number>();
  // maximise the number of allowed pairs first, then minimise their cost (what assign() guarantees)
  const walk = (r: number, pairs: number, total: number) => {
    if (r === rows) {
      const score = -pairs * 1e6 + total;
      if (score < best) best = score;
      return;
    }
    walk(r + 1, pairs, total);
    for (let c = 0; c < cols; c++) {
      const v = cost[r]?.[c] ?? Number.POSITIVE_INFINITY;
      if (used.has(c) || !(v <= maxCost)) continue;
      used.add(c);
      walk(r + 1, pairs + 1, total + v);
      used.delete(c);
    }
  };
  walk(0, 0, 0);
  return best;
}

describe('assign (Hungarian)', () => {
  it('finds the cheapest pairing, not the greedy one', () => {
    // greedy would take (0,0)=1 and be left with (1,1)=10; optimal is 2 + 3
    expect(
      assign([
        [1, 2],
        [3, 10],
      ]),
    ).toEqual([1, 0]);
  });

  it('handles more rows than columns and forbidden pairs', () => {
    const inf = Number.POSITIVE_INFINITY;
    expect(assign([[0.5], [0.2], [inf]])).toEqual([-1, 0, -1]);
    expect(
      assign(
        [
          [0.1, 5],
          [0.2, 0.3],
        ],
        1,
      ),
    ).toEqual([0, 1]);
    expect(assign([[2, 3]], 1)).toEqual([-1]);
    expect(assign([])).toEqual([]);
  });

  it('matches brute force on random small matrices', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 25, maxLength: 25 }),
        (rows, cols, values) => {
          const cost = Array.from({ length: rows }, (_, r) => values.slice(r * 5, r * 5 + cols));
          const result = assign(cost, 2);
          const cols2 = new Set(result.filter((c) => c >= 0));
          expect(cols2.size).toBe(result.filter((c) => c >= 0).length);
          let pairs = 0;
          let total = 0;
          result.forEach((c, r) => {
            if (c < 0) return;
            const v = cost[r]?.[c] ?? 0;
            expect(v).toBeLessThanOrEqual(2);
            pairs++;
            total += v;
          });
          expect(-pairs * 1e6 + total).toBeCloseTo(bruteForce(cost, 2), 6);
        },
      ),
      { numRuns: 200 },
    );
  });
});
