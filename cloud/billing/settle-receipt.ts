// Records a charge's outcome on a pending receipt in ONE statement: moves the receipt out of pending_payment,
// ledgers the charge, credits the points and marks a declining account. Only the delivery that moves the
// receipt does any of it, so concurrent and repeated settlements record the outcome once.
import type { Queryable } from '../db/database.ts';
import type { ReceiptStatus } from '../receipts/receipt-schemas.ts';

export interface ChargeOutcome {
  receiptId: string;
  status: Exclude<ReceiptStatus, 'pending_payment'>;
  chargeId: string | null;
  declineCode: string | null;
  /** Points the receipt earns when paid. */
  points: number;
  now: number;
}

const SETTLE_SQL = `
WITH moved AS (
  UPDATE receipts
  SET status = $1, charge_id = $2, decline_code = $3, updated_at = $4,
      points_earned = CASE WHEN $1::text = 'paid' THEN $5::bigint ELSE 0 END
  WHERE receipt_id = $6 AND status = 'pending_payment'
  RETURNING receipt_id, account_id, total_cents, currency
), ledger AS (
  INSERT INTO ledger_entries (provider_ref, receipt_id, kind, amount_cents, currency, created_at)
  SELECT $2, receipt_id, 'charge', total_cents, currency, $4 FROM moved
  WHERE $1::text = 'paid' AND $2::text IS NOT NULL AND total_cents > 0
  ON CONFLICT (provider_ref) DO NOTHING
), points AS (
  INSERT INTO points_entries (source, source_id, account_id, points, created_at)
  SELECT 'receipt', receipt_id, account_id, $5::bigint, $4 FROM moved
  WHERE $1::text = 'paid' AND $5::bigint > 0 AND account_id IS NOT NULL
  ON CONFLICT (source, source_id) DO NOTHING
), standing AS (
  UPDATE accounts SET payment_standing = 'declined'
  WHERE $1::text = 'declined' AND account_id IN (SELECT account_id FROM moved)
)
SELECT count(*) AS moved FROM moved`;

/** True when this call moved the receipt (and so recorded the outcome). */
export async function settleReceipt(db: Queryable, outcome: ChargeOutcome): Promise<boolean> {
  const rows = await db.query<{ moved: unknown }>(SETTLE_SQL, [
    outcome.status,
    outcome.chargeId,
    outcome.declineCode,
    outcome.now,
    outcome.points,
    outcome.receiptId,
  ]);
  return Number(rows[0]?.moved ?? 0) > 0;
}
