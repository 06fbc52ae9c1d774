import { describe, expect, it } from 'vitest';
import {
  type ReceiptWaitedFor,
  SLOW_RECEIPT_MS,
  scoreVisits,
} from '../../../../evaluation/store-eval/score-visits.ts';

describe('scoreVisits', () => {
  it('counts a visit exact only when its receipt matches and staff were not needed', () => {
    const score = scoreVisits([
      {
        shopper: 'a',
        expected: [{ sku: 'X', quantity: 2 }],
        billed: [{ sku: 'X', quantity: 2 }],
        toStaff: 0,
        receiptLatencyMs: 800,
      },
      { shopper: 'b', expected: [{ sku: 'Y', quantity: 1 }], billed: [], toStaff: 1, receiptLatencyMs: 1200 },
      {
        shopper: 'c',
        expected: [{ sku: 'Z', quantity: 1 }],
        billed: [
          { sku: 'Z', quantity: 1 },
          { sku: 'W', quantity: 1 },
        ],
        toStaff: 0,
        receiptLatencyMs: 900,
      },
    ]);
    expect(score.visits).toBe(3);
    expect(score.visitsExact).toBeCloseTo(1 / 3);
    // billed units: X2 + Z1 + W1 = 4, correct 3; true units 4
    expect(score.linePrecision).toBeCloseTo(3 / 4);
    expect(score.lineRecall).toBeCloseTo(3 / 4);
    expect(score.lineF1).toBeCloseTo(0.75);
    expect(score.wrongConfident).toBe(1);
    expect(score.toStaff).toBe(1);
    expect(score.receiptLatencyP99Ms).toBe(1200);
    // the visit with a staff line waited for it: the others are what the cameras alone cost
    expect(score.receiptLatencyP99NoStaffMs).toBe(900);
  });

  it('counts the slow receipts of visits staff never saw by what the edge held them for', () => {
    const visit = (receiptLatencyMs: number, toStaff: number, receiptWaitedFor?: ReceiptWaitedFor) => ({
      shopper: 'a',
      expected: [],
      billed: [],
      toStaff,
      receiptLatencyMs,
      ...(receiptWaitedFor === undefined ? {} : { receiptWaitedFor }),
    });
    const score = scoreVisits([
      visit(SLOW_RECEIPT_MS, 0, ['exit-watch']),
      visit(SLOW_RECEIPT_MS + 1, 0, ['exit-watch']),
      visit(4000, 0, ['exit-watch', 'open-exceptions']),
      visit(5000, 0, ['exit-watch']),
      visit(6000, 1, ['open-exceptions']),
      visit(2000, 0, []),
      visit(3000, 0),
    ]);
    expect(score.slowNoStaffReceipts).toEqual({
      'exit-watch': 2,
      'exit-watch+open-exceptions': 1,
      nothing: 1,
      unknown: 1,
    });
  });

  it('counts an over-charge as a confident mistake, a unit left to staff as a miss', () => {
    const score = scoreVisits([
      {
        shopper: 'a',
        expected: [{ sku: 'X', quantity: 2 }],
        billed: [{ sku: 'X', quantity: 1 }],
        toStaff: 1,
        receiptLatencyMs: 1,
      },
      {
        shopper: 'b',
        expected: [{ sku: 'X', quantity: 1 }],
        billed: [{ sku: 'X', quantity: 2 }],
        toStaff: 1,
        receiptLatencyMs: 1,
      },
      {
        shopper: 'c',
        expected: [{ sku: 'Y', quantity: 3 }],
        billed: [{ sku: 'Y', quantity: 2 }],
        toStaff: 0,
        receiptLatencyMs: 1,
      },
    ]);
    expect(score.wrongConfident).toBe(2);
    expect(score.visitsExact).toBe(0);
  });

  it('treats a missing receipt as billing nothing', () => {
    const score = scoreVisits([
      {
        shopper: 'a',
        expected: [{ sku: 'X', quantity: 1 }],
        billed: undefined,
        toStaff: 0,
        receiptLatencyMs: undefined,
      },
    ]);
    expect(score).toMatchObject({ visitsExact: 0, lineRecall: 0, missingReceipts: 1 });
  });
});
