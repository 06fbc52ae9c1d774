// Stores a priced (and, when it could be, already charged) visit in ONE statement: visit (with the shopper's
// flags), receipt, lines, the behaviour summary (with consent), for a settled receipt its ledger entry, points
// and a declining account's standing, and the end of its live cart (#18). One commit per visit, and a
// concurrent duplicate inserts everything or nothing.
import type { VisitEvent, VisitUpload } from '../../shared/schemas/visit.ts';
import type { VisitBehaviour } from '../../shared/schemas/visit-behaviour.ts';
import type { Queryable } from '../db/database.ts';
import type { BehaviourSummary } from '../profile/behaviour-summary.ts';
import type { ReceiptLine, ReceiptStatus } from './receipt-schemas.ts';

export interface VisitToStore {
  storeId: string;
  visit: VisitUpload;
  /** The entry tokens the visit was claimed on (empty only for an allowed legacy upload). */
  entryTokenIds: string[];
  fingerprint: string;
  receiptId: string;
  lines: ReceiptLine[];
  totalCents: number;
  currency: string;
  status: ReceiptStatus;
  paymentMethodToken: string | null;
  chargeId: string | null;
  declineCode: string | null;
  /** Points credited when paid. */
  points: number;
  /** Events of billed products: kept as dispute evidence whatever the consent. */
  evidence: VisitEvent[];
  behaviour: BehaviourSummary;
  /** What the edge derived on the floor (only for a shopper whose token carried consent); kept with consent. */
  floor: VisitBehaviour | undefined;
  now: number;
}

export type StoreVisitOutcome = 'created' | 'exists' | 'unknown_account';

// All events are kept only when the account consents to behaviour tracking; otherwise only the evidence.
const STORE_VISIT_SQL = `
WITH acct AS (
  SELECT a.account_id, a.consent_behaviour FROM accounts a WHERE a.account_id = $3
), v AS (
  INSERT INTO visits (visit_id, store_id, account_id, entered_at, exited_at, party, fingerprint, events, received_at,
                      entry_token_ids, shopper_flags)
  SELECT $1, $2, acct.account_id, $4, $5, $6, $7,
         CASE WHEN acct.consent_behaviour THEN $8::jsonb ELSE $9::jsonb END, $10, $26::text[], $28::jsonb
  FROM acct
  ON CONFLICT (visit_id) DO NOTHING
  RETURNING visit_id
), r AS (
  INSERT INTO receipts (receipt_id, visit_id, store_id, account_id, entered_at, exited_at, total_cents, currency,
                        status, payment_method_token, charge_id, decline_code, points_earned, created_at, updated_at)
  SELECT $11, v.visit_id, $2, acct.account_id, $4, $5, $12, $13, $14, $22, $23, $24,
         CASE WHEN $14::text = 'paid' THEN $25::bigint ELSE 0 END, $10, $10
  FROM v, acct
  RETURNING receipt_id, account_id
), l AS (
  INSERT INTO receipt_lines (receipt_id, line_no, sku, name, quantity, unit_price_cents, total_cents)
  SELECT r.receipt_id, t.line_no, t.sku, t.name, t.quantity, t.unit_price_cents, t.total_cents
  FROM r, unnest($15::int[], $16::text[], $17::text[], $18::int[], $19::bigint[], $20::bigint[])
       AS t(line_no, sku, name, quantity, unit_price_cents, total_cents)
), b AS (
  INSERT INTO behaviour_visits (visit_id, account_id, store_id, entered_at, exited_at, summary, floor)
  SELECT v.visit_id, acct.account_id, $2, $4, $5, $21::jsonb, $27::jsonb FROM v, acct WHERE acct.consent_behaviour
), ledger AS (
  INSERT INTO ledger_entries (provider_ref, receipt_id, kind, amount_cents, currency, created_at)
  SELECT $23, r.receipt_id, 'charge', $12, $13, $10 FROM r
  WHERE $14::text = 'paid' AND $23::text IS NOT NULL AND $12::bigint > 0
  ON CONFLICT (provider_ref) DO NOTHING
), points AS (
  INSERT INTO points_entries (source, source_id, account_id, points, created_at)
  SELECT 'receipt', r.receipt_id, r.account_id, $25, $10 FROM r WHERE $14::text = 'paid' AND $25::bigint > 0
), standing AS (
  UPDATE accounts SET payment_standing = 'declined'
  WHERE $14::text = 'declined' AND account_id IN (SELECT account_id FROM r)
), cart AS (
  UPDATE live_carts c SET receipt_id = r.receipt_id, updated_at = $10 FROM r
  WHERE c.store_id = $2 AND c.session_id = $1 AND c.receipt_id IS NULL
)
SELECT (SELECT count(*) FROM acct) AS accounts, r.receipt_id
FROM (SELECT 1) AS one LEFT JOIN r ON true`;

export async function storeVisit(db: Queryable, item: VisitToStore): Promise<StoreVisitOutcome> {
  const { visit, lines } = item;
  const rows = await db.query<{
    accounts: unknown;
    receipt_id: string | null;
  }>(STORE_VISIT_SQL, [
    visit.visitId,
    item.storeId,
    visit.accountId,
    visit.enteredAt,
    visit.exitedAt,
    visit.party,
    item.fingerprint,
    JSON.stringify(visit.events),
    JSON.stringify(item.evidence),
    item.now,
    item.receiptId,
    item.totalCents,
    item.currency,
    item.status,
    lines.map((_, i) => i + 1),
    lines.map((line) => line.sku),
    lines.map((line) => line.name),
    lines.map((line) => line.quantity),
    lines.map((line) => line.unitPriceCents),
    lines.map((line) => line.totalCents),
    JSON.stringify(item.behaviour),
    item.paymentMethodToken,
    item.chargeId,
    item.declineCode,
    item.points,
    item.entryTokenIds,
    item.floor === undefined ? null : JSON.stringify(item.floor),
    visit.shopperFlags === undefined ? null : JSON.stringify(visit.shopperFlags),
  ]);
  const row = rows[0];
  if (row === undefined || Number(row.accounts) === 0) return 'unknown_account';
  return row.receipt_id === null ? 'exists' : 'created';
}
