// Everything the cloud holds about a person, for export, and erasure that really removes it: personal rows
// are deleted; receipts, visits, orders and disputes that accounting must keep stay, unlinked from the person
// and stripped of behaviour. (The payment provider keeps its own records under its own obligations.)
import type { Database, Queryable } from '../db/database.ts';

/** Each section is one query whose rows leave as JSON (to_jsonb keeps numbers numbers on both backends). */
const EXPORT_SECTIONS: Readonly<Record<string, string>> = {
  account: `SELECT account_id, email, name, role, payment_standing, consent_behaviour, consent_marketing, created_at
            FROM accounts WHERE account_id = $1`,
  paymentMethods: `SELECT payment_method_id, brand, last4, created_at FROM payment_methods WHERE account_id = $1
                   ORDER BY created_at`,
  sessions: 'SELECT created_at, expires_at FROM sessions WHERE account_id = $1 ORDER BY created_at',
  // the amounts held on the shopper's card at the gates and what became of them; the card by brand and last
  // digits only (never the provider's token or authorisation id)
  paymentHolds: `SELECT h.hold_id, h.store_id, h.visit_id, h.amount_cents, h.currency, h.status, h.captured_cents,
                        (SELECT m.brand || ' ' || m.last4 FROM payment_methods m
                         WHERE m.account_id = h.account_id AND m.provider_token = h.payment_method_token
                         ORDER BY m.created_at DESC LIMIT 1) AS card,
                        h.created_at, h.expires_at, h.closed_at
                 FROM payment_holds h WHERE h.account_id = $1 ORDER BY h.created_at, h.hold_id`,
  visits: `SELECT visit_id, store_id, entered_at, exited_at, party, events, received_at FROM visits
           WHERE account_id = $1 ORDER BY entered_at`,
  receipts: `SELECT r.receipt_id, r.visit_id, r.store_id, r.entered_at, r.exited_at, r.total_cents, r.currency,
                    r.status, r.points_earned, r.created_at,
                    (SELECT jsonb_agg(to_jsonb(l) - 'receipt_id' ORDER BY l.line_no) FROM receipt_lines l
                     WHERE l.receipt_id = r.receipt_id) AS lines
             FROM receipts r WHERE r.account_id = $1 ORDER BY r.created_at`,
  // items of the shopper's visits put back on the shelf after the receipt (#13) and refunded (or still being
  // refunded): the units and money given back; the refunded mark leaves with the receipt on erasure
  returns: `SELECT x.return_id, x.receipt_id, r.visit_id, x.store_id, x.sku, x.quantity, x.amount_cents, r.currency,
                   x.status, x.returned_at, x.refunded_at
            FROM visit_returns x JOIN receipts r ON r.receipt_id = x.receipt_id
            WHERE r.account_id = $1 ORDER BY x.returned_at, x.return_id`,
  disputes: `SELECT dispute_id, receipt_id, line_no, quantity, amount_cents, reason, status, decision_note,
                    created_at, decided_at FROM disputes WHERE account_id = $1 ORDER BY created_at`,
  onlineOrders: `SELECT o.order_id, o.shop_id, o.store_id, o.placed_at, o.total_cents, o.currency, o.points_earned,
                        (SELECT jsonb_agg(to_jsonb(l) - 'order_id' ORDER BY l.line_no) FROM order_lines l
                         WHERE l.order_id = o.order_id) AS lines
                 FROM online_orders o WHERE o.account_id = $1 ORDER BY o.placed_at`,
  points:
    'SELECT source, source_id, points, created_at FROM points_entries WHERE account_id = $1 ORDER BY created_at',
  behaviour: `SELECT visit_id, store_id, entered_at, exited_at, summary, floor FROM behaviour_visits WHERE account_id = $1
              ORDER BY entered_at`,
  reservations: `SELECT reservation_id, store_id, sku, quantity, status, expires_at, created_at FROM reservations
                 WHERE account_id = $1 ORDER BY created_at`,
};

export type MyData = Record<string, unknown[]>;

export async function exportMyData(db: Database, accountId: string): Promise<MyData> {
  const data: MyData = {};
  for (const [section, sql] of Object.entries(EXPORT_SECTIONS)) {
    const rows = await db.query<{ rows: unknown[] | string }>(
      `SELECT COALESCE(jsonb_agg(to_jsonb(t)), '[]'::jsonb) AS rows FROM (${sql}) t`,
      [accountId],
    );
    const value = rows[0]?.rows ?? [];
    data[section] = typeof value === 'string' ? (JSON.parse(value) as unknown[]) : value;
  }
  return data;
}

/** Statements of an erasure, in order (children before the account row they reference). */
const ERASE_STATEMENTS = [
  'DELETE FROM behaviour_visits WHERE account_id = $1',
  'DELETE FROM points_entries WHERE account_id = $1',
  'DELETE FROM reservations WHERE account_id = $1',
  'DELETE FROM sessions WHERE account_id = $1',
  'DELETE FROM payment_methods WHERE account_id = $1',
  // Kept for accounting and the edge's idempotency, but no longer anyone's: no account, no behaviour.
  `UPDATE visits SET account_id = NULL, events = '[]'::jsonb WHERE account_id = $1`,
  'UPDATE receipts SET account_id = NULL, payment_method_token = NULL WHERE account_id = $1',
  `UPDATE disputes SET account_id = NULL, reason = '(erased)' WHERE account_id = $1`,
  'UPDATE online_orders SET account_id = NULL WHERE account_id = $1',
  'DELETE FROM accounts WHERE account_id = $1',
];

export async function eraseMyData(db: Database, accountId: string): Promise<void> {
  await db.transaction(async (tx: Queryable) => {
    for (const sql of ERASE_STATEMENTS) await tx.query(sql, [accountId]);
  });
}
