// The one points rule: whole currency units × points per unit; refunds take back exactly what they earned.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pointsFor, pointsTakenBack } from '../../../../cloud/profile/points-rule.ts';

describe('points rule', () => {
  it('earns per whole currency unit', () => {
    expect(pointsFor(0, { pointsPerUnit: 1 })).toBe(0);
    expect(pointsFor(99, { pointsPerUnit: 1 })).toBe(0);
    expect(pointsFor(1856, { pointsPerUnit: 1 })).toBe(18);
    expect(pointsFor(1856, { pointsPerUnit: 3 })).toBe(54);
  });

  it('takes back what the refunded money earned: 18.56 less 1.89 keeps 16', () => {
    expect(pointsTakenBack(1856, 0, 189, { pointsPerUnit: 1 })).toBe(2);
  });

  it('never takes back more than was earned, whatever the refunds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 100_000 }), { maxLength: 10 }),
        fc.integer({ min: 1, max: 5 }),
        (total, refunds, pointsPerUnit) => {
          const rule = { pointsPerUnit };
          let refunded = 0;
          let takenBack = 0;
          for (const refund of refunds) {
            if (refunded + refund > total) break;
            takenBack += pointsTakenBack(total, refunded, refund, rule);
            refunded += refund;
          }
          expect(takenBack).toBeGreaterThanOrEqual(0);
          expect(pointsFor(total, rule) - takenBack).toBe(pointsFor(total - refunded, rule));
        },
      ),
    );
  });
});
