// Reconciliation arithmetic over per-receipt rows: totals per currency and the receipts that disagree.
import { describe, expect, it } from 'vitest';
import { reconcileRows } from '../../../../cloud/billing/reconciliation.ts';

const row = (
  receipt_id: string,
  total: number,
  charged: number,
  refunded: number,
  granted: number,
  status = 'paid',
) => ({
  receipt_id,
  currency: 'EUR',
  status,
  total_cents: total,
  charged,
  refunded,
  granted,
});

describe('reconcileRows', () => {
  it('balances charges − refunds against receipts − disputes granted', () => {
    const result = reconcileRows([
      row('a', 1000, 1000, 189, 189),
      row('b', 500, 500, 0, 0),
      row('c', 0, 0, 0, 0),
    ]);
    expect(result.ok).toBe(true);
    expect(result.currencies).toEqual([
      {
        currency: 'EUR',
        chargesCents: 1500,
        refundsCents: 189,
        receiptsCents: 1500,
        disputesGrantedCents: 189,
        differenceCents: 0,
      },
    ]);
  });

  it('names a receipt charged twice, a refund without a granted dispute and a paid receipt never charged', () => {
    const result = reconcileRows([
      row('twice', 300, 600, 0, 0),
      row('stray', 300, 300, 50, 0),
      row('free', 300, 0, 0, 0),
    ]);
    expect(result.ok).toBe(false);
    expect(result.receiptMismatches.map((m) => m.receiptId)).toEqual(['twice', 'stray', 'free']);
    // charges 900 − refunds 50 − (receipts 900 − granted 0)
    expect(result.currencies[0]?.differenceCents).toBe(-50);
  });

  it('counts a declined receipt as nothing owed', () => {
    expect(reconcileRows([row('d', 700, 0, 0, 0, 'declined')]).ok).toBe(true);
  });
});
