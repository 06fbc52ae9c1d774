// Stores a priced (and, when it could be, already charged) visit in ONE statement: visit (with the shopper's
// flags), receipt, lines, the behaviour summary (with consent), for a settled receipt its ledger entry, points
// and a declining account's standing, and the end of its live cart (#18). A concurrent duplicate inserts
// everything or nothing. One statement stores a batch of visits (StatementBatcher), one commit for all: no two
// share a visit id or an account, and they are inserted in visit id order, so two batches (two replicas) wait
// on each other's visits in the same order and never deadlock.
import type { VisitEvent, VisitUpload } from '../../shared/schemas/visit.ts';
import type { VisitBehaviour } from '../../shared/schemas/visit-behaviour.ts';
import type { Queryable } from '../db/database.ts';
import type { BatchedStatement } from '../db/statement-batcher.ts';
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
// Visits are numbered by their place in the arrays (idx); lines come flattened, each with its visit's idx.
const STORE_VISITS_SQL = `
WITH q AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::int[], $7::text[],
                       $8::text[], $9::text[], $10::bigint[], $11::text[], $12::bigint[], $13::text[], $14::text[],
                       $15::text[], $16::text[], $17::text[], $18::text[], $19::bigint[], $20::text[], $21::text[],
                       $22::text[]) WITH ORDINALITY
    AS q(visit_id, store_id, account_id, entered_at, exited_at, party, fingerprint, events, evidence, now,
         receipt_id, total_cents, currency, status, payment_method_token, charge_id, decline_code, behaviour,
         points, entry_token_ids, floor, shopper_flags, idx)
), acct AS (
  SELECT q.idx, a.account_id, a.consent_behaviour FROM q JOIN accounts a ON a.account_id = q.account_id
), v AS (
  INSERT INTO visits (visit_id, store_id, account_id, entered_at, exited_at, party, fingerprint, events, received_at,
                      entry_token_ids, shopper_flags)
  SELECT q.visit_id, q.store_id, acct.account_id, q.entered_at, q.exited_at, q.party, q.fingerprint,
         CASE WHEN acct.consent_behaviour THEN q.events::jsonb ELSE q.evidence::jsonb END, q.now,
         ARRAY(SELECT jsonb_array_elements_text(q.entry_token_ids::jsonb)), q.shopper_flags::jsonb
  FROM q JOIN acct ON acct.idx = q.idx
  ORDER BY q.visit_id
  ON CONFLICT (visit_id) DO NOTHING
  RETURNING visit_id
), r AS (
  INSERT INTO receipts (receipt_id, visit_id, store_id, account_id, entered_at, exited_at, total_cents, currency,
                        status, payment_method_token, charge_id, decline_code, points_earned, created_at, updated_at)
  SELECT q.receipt_id, v.visit_id, q.store_id, acct.account_id, q.entered_at, q.exited_at, q.total_cents,
         q.currency, q.status, q.payment_method_token, q.charge_id, q.decline_code,
         CASE WHEN q.status = 'paid' THEN q.points ELSE 0 END, q.now, q.now
  FROM v JOIN q ON q.visit_id = v.visit_id JOIN acct ON acct.idx = q.idx
  RETURNING receipt_id, account_id, visit_id
), l AS (
  INSERT INTO receipt_lines (receipt_id, line_no, sku, name, quantity, unit_price_cents, total_cents)
  SELECT r.receipt_id, t.line_no, t.sku, t.name, t.quantity, t.unit_price_cents, t.total_cents
  FROM unnest($23::int[], $24::int[], $25::text[], $26::text[], $27::int[], $28::bigint[], $29::bigint[])
       AS t(idx, line_no, sku, name, quantity, unit_price_cents, total_cents)
  JOIN q ON q.idx = t.idx JOIN r ON r.visit_id = q.visit_id
), b AS (
  INSERT INTO behaviour_visits (visit_id, account_id, store_id, entered_at, exited_at, summary, floor)
  SELECT v.visit_id, acct.account_id, q.store_id, q.entered_at, q.exited_at, q.behaviour::jsonb, q.floor::jsonb
  FROM v JOIN q ON q.visit_id = v.visit_id JOIN acct ON acct.idx = q.idx WHERE acct.consent_behaviour
), ledger AS (
  INSERT INTO ledger_entries (provider_ref, receipt_id, kind, amount_cents, currency, created_at)
  SELECT q.charge_id, r.receipt_id, 'charge', q.total_cents, q.currency, q.now
  FROM r JOIN q ON q.visit_id = r.visit_id
  WHERE q.status = 'paid' AND q.charge_id IS NOT NULL AND q.total_cents > 0
  ON CONFLICT (provider_ref) DO NOTHING
), points AS (
  INSERT INTO points_entries (source, source_id, account_id, points, created_at)
  SELECT 'receipt', r.receipt_id, r.account_id, q.points, q.now
  FROM r JOIN q ON q.visit_id = r.visit_id WHERE q.status = 'paid' AND q.points > 0
), standing AS (
  UPDATE accounts SET payment_standing = 'declined'
  WHERE account_id IN (SELECT r.account_id FROM r JOIN q ON q.visit_id = r.visit_id WHERE q.status = 'declined')
), cart AS (
  UPDATE live_carts c SET receipt_id = r.receipt_id, updated_at = q.now
  FROM r JOIN q ON q.visit_id = r.visit_id
  WHERE c.store_id = q.store_id AND c.session_id = q.visit_id AND c.receipt_id IS NULL
)
SELECT acct.idx IS NOT NULL AS has_account, r.receipt_id
FROM q LEFT JOIN acct ON acct.idx = q.idx LEFT JOIN r ON r.visit_id = q.visit_id
ORDER BY q.idx`;

/** Stores the visits in one statement: one outcome per visit, in order. */
export async function storeVisits(
  db: Queryable,
  items: readonly VisitToStore[],
): Promise<StoreVisitOutcome[]> {
  const lines = items.flatMap((item, at) =>
    item.lines.map((line, i) => ({ idx: at + 1, lineNo: i + 1, line })),
  );
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  const rows = await db.query<{ has_account: boolean; receipt_id: string | null }>(STORE_VISITS_SQL, [
    items.map((item) => item.visit.visitId),
    items.map((item) => item.storeId),
    items.map((item) => item.visit.accountId),
    items.map((item) => item.visit.enteredAt),
    items.map((item) => item.visit.exitedAt),
    items.map((item) => item.visit.party),
    items.map((item) => item.fingerprint),
    items.map((item) => JSON.stringify(item.visit.events)),
    items.map((item) => JSON.stringify(item.evidence)),
    items.map((item) => item.now),
    items.map((item) => item.receiptId),
    items.map((item) => item.totalCents),
    items.map((item) => item.currency),
    items.map((item) => item.status),
    items.map((item) => item.paymentMethodToken),
    items.map((item) => item.chargeId),
    items.map((item) => item.declineCode),
    items.map((item) => JSON.stringify(item.behaviour)),
    items.map((item) => item.points),
    items.map((item) => JSON.stringify(item.entryTokenIds)),
    items.map((item) => json(item.floor)),
    items.map((item) => json(item.visit.shopperFlags)),
    lines.map((l) => l.idx),
    lines.map((l) => l.lineNo),
    lines.map((l) => l.line.sku),
    lines.map((l) => l.line.name),
    lines.map((l) => l.line.quantity),
    lines.map((l) => l.line.unitPriceCents),
    lines.map((l) => l.line.totalCents),
  ]);
  if (rows.length !== items.length) {
    throw new Error(`store visits returned ${rows.length} rows for ${items.length} visits`);
  }
  return rows.map((row) => {
    if (!row.has_account) return 'unknown_account';
    return row.receipt_id === null ? 'exists' : 'created';
  });
}

/** The statement for StatementBatcher: visits sharing an id or an account go in different batches. */
export function storeVisitStatement(db: Queryable): BatchedStatement<VisitToStore, StoreVisitOutcome> {
  return {
    run: (items) => storeVisits(db, items),
    keysOf: (item) => [`visit:${item.visit.visitId}`, `account:${item.visit.accountId}`],
  };
}
