// Reconciliation of entry holds: how many are open, and which should not be — bound to a visit whose receipt
// is settled, unbound past their expiry, or with a void due (a failed void) — plus receipts in staff
// collection; with the sandbox provider in the same database, also that its open authorisations are ours.
import { type Queryable, toNumber } from '../db/database.ts';

/** Why an open hold should be closed already. */
export type OverdueReason = 'void_due' | 'expired' | 'receipt_settled';

export interface OverdueHold {
  holdId: string;
  reason: OverdueReason;
  amountCents: number;
  currency: string;
  voidFailures: number;
  lastError: string | null;
}

export interface HoldsReport {
  /** Holds open now ('held' or 'voiding'), and the cents they hold (all currencies). */
  open: number;
  openCents: number;
  /** Open holds that should be closed (a leftover: `npm run reconcile -- --void-leftover` voids them). */
  overdue: number;
  /** The overdue holds, oldest expiry first (first 50). */
  overdueHolds: OverdueHold[];
  /** Receipts in staff collection (GET /v1/staff/collections). */
  inCollection: number;
  /** The provider's open authorisations vs our open holds: undefined when its tables are not here. */
  provider: { openAuthorisations: number; matches: boolean } | undefined;
}

const OVERDUE_SQL = `
SELECT h.hold_id, h.amount_cents, h.currency, h.void_failures, h.last_error,
       CASE WHEN h.status = 'voiding' THEN 'void_due'
            WHEN r.status IS NOT NULL AND r.status <> 'pending_payment' THEN 'receipt_settled'
            ELSE 'expired' END AS reason
FROM payment_holds h LEFT JOIN receipts r ON r.visit_id = h.visit_id
WHERE h.status = 'voiding'
   OR (h.status = 'held' AND r.status IS NOT NULL AND r.status <> 'pending_payment')
   OR (h.status = 'held' AND h.visit_id IS NULL AND h.expires_at <= $1)
ORDER BY h.expires_at, h.hold_id`;

export async function reconcileHolds(db: Queryable, now: number): Promise<HoldsReport> {
  const [counts] = await db.query<{ open: unknown; open_cents: unknown; collection: unknown }>(
    `SELECT (SELECT count(*) FROM payment_holds WHERE status IN ('held', 'voiding')) AS open,
            (SELECT COALESCE(sum(amount_cents), 0) FROM payment_holds WHERE status IN ('held', 'voiding'))
              AS open_cents,
            (SELECT count(*) FROM receipts WHERE status = 'collection') AS collection`,
  );
  const overdue = await db.query<{
    hold_id: string;
    amount_cents: unknown;
    currency: string;
    void_failures: number;
    last_error: string | null;
    reason: OverdueReason;
  }>(OVERDUE_SQL, [now]);
  const open = toNumber(counts?.open ?? 0);
  const [hasProvider] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('provider_authorisations') IS NOT NULL AS present",
  );
  let provider: HoldsReport['provider'];
  if (hasProvider?.present === true) {
    const [row] = await db.query<{ open: unknown }>(
      "SELECT count(*) AS open FROM provider_authorisations WHERE status = 'authorised'",
    );
    const openAuthorisations = toNumber(row?.open ?? 0);
    provider = { openAuthorisations, matches: openAuthorisations === open };
  }
  return {
    open,
    openCents: toNumber(counts?.open_cents ?? 0),
    overdue: overdue.length,
    overdueHolds: overdue.slice(0, 50).map((row) => ({
      holdId: row.hold_id,
      reason: row.reason,
      amountCents: toNumber(row.amount_cents),
      currency: row.currency,
      voidFailures: Number(row.void_failures),
      lastError: row.last_error,
    })),
    inCollection: toNumber(counts?.collection ?? 0),
    provider,
  };
}
