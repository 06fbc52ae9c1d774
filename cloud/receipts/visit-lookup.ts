// The first statement of a visit upload, one round trip: the visit's receipt if it was stored before, the card
// its account would be charged on and — only when it was not stored and may be billed — the claim of its entry
// tokens (locked, checked, bound to the visit: all or none) and the binding of the oldest open hold they name.
// Each step is committed with the statement, before any charge, so a second visit naming the same token is
// refused, never charged.
import { assertClaimed, type ClaimedTokenRow, type TokenClaim } from '../accounts/entry-token-registry.ts';
import type { BoundHold } from '../billing/payment-holds.ts';
import { type Queryable, toNumber } from '../db/database.ts';
import type { ReceiptStatus } from './receipt-schemas.ts';

/** A stored visit's receipt, as ingest answers and settles it. */
export interface StoredReceipt {
  receipt_id: string;
  visit_id: string;
  store_id: string;
  account_id: string | null;
  status: ReceiptStatus;
  total_cents: unknown;
  currency: string;
  payment_method_token: string | null;
  fingerprint: string;
}

export interface VisitLookup {
  existing: StoredReceipt | undefined;
  /** The card the visit's account would be charged on (its newest), if any. */
  paymentMethodToken: string | null;
  /**
   * The hold bound to the visit by this claim (or an earlier one); undefined when none is, or when a
   * concurrent delivery of the same visit bound it first (`holdUnseen`).
   */
  hold: BoundHold | undefined;
  /** The tokens name a hold this statement could not see bound to the visit: read it (PaymentHolds.boundTo). */
  holdUnseen: boolean;
}

// The token rows are locked (in jti order, so two visits never deadlock) only when the visit is not stored;
// a concurrent duplicate waits on the lock and then finds its own visit id on them: a no-op. The hold's
// update re-checks `visit_id IS NULL` after any wait, so a hold is never taken from a visit that bound it.
const LOOKUP_SQL = `
WITH stored AS (
  SELECT r.receipt_id, r.visit_id, r.store_id, r.account_id, r.status, r.total_cents, r.currency,
         r.payment_method_token, v.fingerprint
  FROM receipts r JOIN visits v ON v.visit_id = r.visit_id WHERE r.visit_id = $1
), locked AS (
  SELECT jti, account_id, store_id, issued_at, visit_id, hold_id FROM entry_tokens
  WHERE jti = ANY($3::text[]) AND NOT EXISTS (SELECT 1 FROM stored) ORDER BY jti FOR UPDATE
), passes AS (
  SELECT cardinality($3::text[]) > 0 AND count(*) = cardinality($3::text[]) AND coalesce(bool_and(
    account_id = $2 AND store_id = $4 AND issued_at >= $5 AND (visit_id IS NULL OR visit_id = $1)), false) AS ok
  FROM locked
), bound AS (
  UPDATE entry_tokens t SET visit_id = $1, used_at = $6 FROM passes
  WHERE passes.ok AND t.jti = ANY($3::text[]) AND t.visit_id IS NULL RETURNING t.jti
), held AS (
  UPDATE payment_holds h SET visit_id = $1 FROM passes
  WHERE passes.ok AND h.visit_id IS NULL AND h.hold_id = (
      SELECT o.hold_id FROM payment_holds o JOIN locked t ON t.hold_id = o.hold_id
      WHERE o.status = 'held' AND o.visit_id IS NULL ORDER BY o.created_at, o.hold_id LIMIT 1)
    AND NOT EXISTS (SELECT 1 FROM payment_holds WHERE visit_id = $1)
  RETURNING h.hold_id, h.authorisation_id, h.amount_cents, h.status
), hold AS (
  SELECT hold_id, authorisation_id, amount_cents, status FROM held
  UNION ALL
  SELECT hold_id, authorisation_id, amount_cents, status FROM payment_holds
  WHERE visit_id = $1 AND (SELECT ok FROM passes)
)
SELECT s.*,
       (SELECT p.provider_token FROM payment_methods p WHERE p.account_id = $2
        ORDER BY p.created_at DESC, p.payment_method_id LIMIT 1) AS charge_token,
       (SELECT ok FROM passes) AS claimed,
       (SELECT json_agg(json_build_object('jti', jti, 'account_id', account_id, 'store_id', store_id,
          'issued_at', issued_at, 'visit_id', visit_id)) FROM locked) AS tokens,
       EXISTS (SELECT 1 FROM locked WHERE hold_id IS NOT NULL) AS names_hold,
       h.hold_id, h.authorisation_id, h.amount_cents AS hold_cents, h.status AS hold_status
FROM (SELECT 1) AS one
LEFT JOIN stored s ON true
LEFT JOIN (SELECT * FROM hold LIMIT 1) AS h ON true`;

interface LookupRow extends StoredReceipt {
  charge_token: string | null;
  claimed: boolean | null;
  tokens: ClaimedTokenRow[] | null;
  names_hold: boolean;
  hold_id: string | null;
  authorisation_id: string | null;
  hold_cents: unknown;
  hold_status: BoundHold['status'] | null;
}

/**
 * Looks the visit up and, when it is not stored and `claim` is given, claims the tokens `jtis` for it;
 * throws the refusal the edge should see when one fails (and then binds none).
 */
export async function lookUpVisit(
  db: Queryable,
  visit: { visitId: string; accountId: string },
  claim: TokenClaim | undefined,
  jtis: readonly string[],
): Promise<VisitLookup> {
  const named = claim === undefined ? [] : [...new Set(jtis)];
  const [row] = await db.query<LookupRow>(LOOKUP_SQL, [
    visit.visitId,
    visit.accountId,
    named,
    claim?.storeId ?? null,
    claim?.oldest ?? null,
    claim?.now ?? null,
  ]);
  if (row === undefined) throw new Error('visit lookup returned no row');
  const paymentMethodToken = row.charge_token ?? null;
  if (row.receipt_id !== null)
    return { existing: row, paymentMethodToken, hold: undefined, holdUnseen: false };
  if (claim !== undefined && named.length > 0)
    assertClaimed(named, row.tokens ?? [], claim, row.claimed === true);
  const hold =
    row.hold_id === null || row.authorisation_id === null || row.hold_status === null
      ? undefined
      : {
          holdId: row.hold_id,
          authorisationId: row.authorisation_id,
          amountCents: toNumber(row.hold_cents),
          status: row.hold_status,
        };
  return { existing: undefined, paymentMethodToken, hold, holdUnseen: hold === undefined && row.names_hold };
}
