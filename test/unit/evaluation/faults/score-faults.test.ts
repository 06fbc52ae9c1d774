// Scoring a fault case: lost units, double charges (a second provider or ledger charge, a second receipt
// for one visit) and exactness, from the ground truth and what the cloud billed.
import { describe, expect, it } from 'vitest';
import type { BilledVisit } from '../../../../evaluation/faults/fault-database.ts';
import { scoreFaultCase } from '../../../../evaluation/faults/score-faults.ts';
import type { GroundTruth } from '../../../../simulators/scenario/ground-truth.ts';

const expected = [
  { sku: 'SKU-0003', quantity: 1 },
  { sku: 'SKU-0055', quantity: 2 },
];
const truth = {
  shoppers: [
    {
      id: 'alice',
      accountId: 'acc-1',
      visits: [{ enteredAt: 1000, exitedAt: 9000, expectedLines: expected }],
    },
  ],
} as unknown as GroundTruth;
const receipt = (over: Partial<BilledVisit> = {}): BilledVisit => ({
  visitId: 'v1',
  accountId: 'acc-1',
  status: 'paid',
  lines: expected,
  providerCharges: 1,
  ledgerCharges: 1,
  ...over,
});

describe('scoreFaultCase', () => {
  it('is exact when the one receipt has every line, charged once', () => {
    expect(scoreFaultCase(truth, [receipt()])).toEqual({
      visits: 1,
      lost: 0,
      doubleCharges: 0,
      exact: true,
      problems: [],
    });
  });

  it('counts every unit of a visit without a receipt as lost', () => {
    expect(scoreFaultCase(truth, [])).toMatchObject({ lost: 3, exact: false });
  });

  it('counts a missing unit as lost unless staff were asked about it', () => {
    const short = receipt({
      lines: [
        { sku: 'SKU-0003', quantity: 1 },
        { sku: 'SKU-0055', quantity: 1 },
      ],
    });
    expect(scoreFaultCase(truth, [short])).toMatchObject({ lost: 1, exact: false });
    expect(scoreFaultCase(truth, [short], new Map([['acc-1', 1]]))).toMatchObject({ lost: 0, exact: false });
  });

  it('counts a second charge and a second receipt for one visit as double charges', () => {
    expect(scoreFaultCase(truth, [receipt({ providerCharges: 2 })]).doubleCharges).toBe(1);
    expect(scoreFaultCase(truth, [receipt({ ledgerCharges: 2 })]).doubleCharges).toBe(1);
    expect(scoreFaultCase(truth, [receipt(), receipt({ visitId: 'v2' })])).toMatchObject({
      doubleCharges: 1,
      exact: false,
    });
  });
});
