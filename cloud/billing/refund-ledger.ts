// A refund the provider made, written once inside the caller's transaction (with the receipt's row locked, so
// refunds of one receipt take back points in turn): its ledger entry under the provider's refund id, and the
// points that money had earned taken back under the refund's own source (a dispute, a return).
import { type Queryable, toNumber } from '../db/database.ts';
import { type PointsRule, pointsTakenBack } from '../profile/points-rule.ts';

/** The locked receipt a refund is written against. */
export interface RefundedReceipt {
  receipt_id: string;
  account_id: string | null;
  total_cents: unknown;
  currency: string;
}

export interface LedgeredRefund {
  /** The provider's refund id: the ledger's key, so a repeat writes nothing. */
  refundId: string;
  amountCents: number;
  /** Where the points entry says the refund came from (`refund`: a dispute; `return`: put back after the receipt). */
  source: 'refund' | 'return';
  sourceId: string;
}

export async function ledgerRefund(
  tx: Queryable,
  receipt: RefundedReceipt,
  refund: LedgeredRefund,
  pointsRule: PointsRule,
  now: number,
): Promise<void> {
  const [before] = await tx.query<{ refunded: unknown }>(
    `SELECT COALESCE(sum(amount_cents), 0) AS refunded FROM ledger_entries
     WHERE receipt_id = $1 AND kind = 'refund'`,
    [receipt.receipt_id],
  );
  const ledgered = await tx.query(
    `INSERT INTO ledger_entries (provider_ref, receipt_id, kind, amount_cents, currency, created_at)
     VALUES ($1, $2, 'refund', $3, $4, $5) ON CONFLICT (provider_ref) DO NOTHING RETURNING provider_ref`,
    [refund.refundId, receipt.receipt_id, refund.amountCents, receipt.currency, now],
  );
  if (ledgered.length === 0 || receipt.account_id === null) return;
  const points = pointsTakenBack(
    toNumber(receipt.total_cents),
    toNumber(before?.refunded ?? 0),
    refund.amountCents,
    pointsRule,
  );
  if (points <= 0) return;
  await tx.query(
    `INSERT INTO points_entries (source, source_id, account_id, points, created_at)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (source, source_id) DO NOTHING`,
    [refund.source, refund.sourceId, receipt.account_id, -points, now],
  );
}
