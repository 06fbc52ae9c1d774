// Proves the money adds up, per currency: ledgered charges − ledgered refunds = paid receipts − granted
// disputes and refunded returns (items put back after the receipt, visit-returns.ts), and per receipt
// (charged = total, refunded = granted); with the sandbox provider in the same database, also that the ledger
// matches what the provider captured and refunded. Entry holds: none may be left open after its visit's
// receipt or its expiry (hold-reconciliation.ts). Collections: what is still owed, collected by other means and
// written off, and every resolved receipt with its one resolution (collection-resolutions.ts).
import { type Clock, systemClock } from '../../shared/clock.ts';
import { type Database, toNumber } from '../db/database.ts';
import { type CollectionsReport, reconcileCollections } from './collection-resolutions.ts';
import { type HoldsReport, reconcileHolds } from './hold-reconciliation.ts';

export interface CurrencyTotals {
  currency: string;
  chargesCents: number;
  refundsCents: number;
  receiptsCents: number;
  disputesGrantedCents: number;
  /** charges − refunds − (receipts − granted): 0 when it reconciles. */
  differenceCents: number;
}

export interface ReceiptMismatch {
  receiptId: string;
  totalCents: number;
  chargedCents: number;
  refundedCents: number;
  grantedCents: number;
}

export interface Reconciliation {
  ok: boolean;
  currencies: CurrencyTotals[];
  /** Receipts whose own ledger disagrees with their total or granted disputes (first 50). */
  receiptMismatches: ReceiptMismatch[];
  /** Provider ledger vs ours: undefined when the provider's tables are not in this database. */
  provider: { chargesCents: number; refundsCents: number; matches: boolean } | undefined;
  /** Entry holds: open, overdue (must be 0), in collection. */
  holds: HoldsReport;
  /** Receipts in collection, collected by other means and written off; mismatches must be none. */
  collections: CollectionsReport;
}

const PER_RECEIPT_SQL = `
SELECT r.receipt_id, r.currency, r.status, r.total_cents,
       COALESCE(c.charged, 0) AS charged, COALESCE(f.refunded, 0) AS refunded, COALESCE(g.granted, 0) AS granted
FROM receipts r
LEFT JOIN (SELECT receipt_id, sum(amount_cents) AS charged FROM ledger_entries WHERE kind = 'charge'
           GROUP BY receipt_id) c ON c.receipt_id = r.receipt_id
LEFT JOIN (SELECT receipt_id, sum(amount_cents) AS refunded FROM ledger_entries WHERE kind = 'refund'
           GROUP BY receipt_id) f ON f.receipt_id = r.receipt_id
LEFT JOIN (SELECT receipt_id, sum(amount_cents) AS granted FROM (
             SELECT receipt_id, amount_cents FROM disputes WHERE status = 'refunded'
             UNION ALL
             SELECT receipt_id, amount_cents FROM visit_returns WHERE status = 'refunded' AND amount_cents > 0
           ) granted GROUP BY receipt_id) g ON g.receipt_id = r.receipt_id
WHERE r.status = 'paid' OR c.charged IS NOT NULL OR f.refunded IS NOT NULL OR g.granted IS NOT NULL`;

interface PerReceiptRow {
  receipt_id: string;
  currency: string;
  status: string;
  total_cents: unknown;
  charged: unknown;
  refunded: unknown;
  granted: unknown;
}

/** Pure: totals and mismatches from per-receipt rows. */
export function reconcileRows(
  rows: readonly PerReceiptRow[],
): Omit<Reconciliation, 'provider' | 'holds' | 'collections'> {
  /** by currency */
  const totals = new Map<string, CurrencyTotals>();
  const receiptMismatches: ReceiptMismatch[] = [];
  for (const row of rows) {
    const total = row.status === 'paid' ? toNumber(row.total_cents) : 0;
    const charged = toNumber(row.charged);
    const refunded = toNumber(row.refunded);
    const granted = toNumber(row.granted);
    const sums = totals.get(row.currency) ?? {
      currency: row.currency,
      chargesCents: 0,
      refundsCents: 0,
      receiptsCents: 0,
      disputesGrantedCents: 0,
      differenceCents: 0,
    };
    sums.chargesCents += charged;
    sums.refundsCents += refunded;
    sums.receiptsCents += total;
    sums.disputesGrantedCents += granted;
    sums.differenceCents =
      sums.chargesCents - sums.refundsCents - (sums.receiptsCents - sums.disputesGrantedCents);
    totals.set(row.currency, sums);
    if (charged !== total || refunded !== granted) {
      receiptMismatches.push({
        receiptId: row.receipt_id,
        totalCents: total,
        chargedCents: charged,
        refundedCents: refunded,
        grantedCents: granted,
      });
    }
  }
  const currencies = [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
  return {
    ok: receiptMismatches.length === 0 && currencies.every((c) => c.differenceCents === 0),
    currencies,
    receiptMismatches: receiptMismatches.slice(0, 50),
  };
}

export async function reconcile(db: Database, clock: Clock = systemClock): Promise<Reconciliation> {
  const rows = await db.query<PerReceiptRow>(PER_RECEIPT_SQL);
  const holds = await reconcileHolds(db, clock.now());
  const collections = await reconcileCollections(db);
  const holdsOk = holds.overdue === 0 && holds.provider?.matches !== false;
  const ours = { ...reconcileRows(rows), holds, collections };
  ours.ok = ours.ok && holdsOk && collections.mismatches.length === 0;
  const [hasProvider] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('provider_charges') IS NOT NULL AS present",
  );
  if (hasProvider?.present !== true) return { ...ours, provider: undefined };
  const [sums] = await db.query<{
    provider_charges: unknown;
    provider_refunds: unknown;
    ledger_charges: unknown;
    ledger_refunds: unknown;
  }>(
    `SELECT (SELECT COALESCE(sum(amount_cents), 0) FROM provider_charges
             WHERE status = 'succeeded' AND idempotency_key LIKE 'charge:visit:%') AS provider_charges,
            (SELECT COALESCE(sum(p.amount_cents), 0) FROM provider_refunds p
             WHERE p.idempotency_key LIKE 'refund:dispute:%' OR p.idempotency_key LIKE 'refund:return:%')
              AS provider_refunds,
            (SELECT COALESCE(sum(amount_cents), 0) FROM ledger_entries WHERE kind = 'charge') AS ledger_charges,
            (SELECT COALESCE(sum(amount_cents), 0) FROM ledger_entries WHERE kind = 'refund') AS ledger_refunds`,
  );
  const provider = {
    chargesCents: toNumber(sums?.provider_charges ?? 0),
    refundsCents: toNumber(sums?.provider_refunds ?? 0),
    matches:
      toNumber(sums?.provider_charges ?? 0) === toNumber(sums?.ledger_charges ?? 0) &&
      toNumber(sums?.provider_refunds ?? 0) === toNumber(sums?.ledger_refunds ?? 0),
  };
  return { ...ours, ok: ours.ok && provider.matches, provider };
}
