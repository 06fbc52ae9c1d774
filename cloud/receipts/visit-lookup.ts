// The first statement of a visit upload, one round trip: the visit's receipt if it was stored before, the card
// its account would be charged on and — only when it was not stored and may be billed — the claim of its entry
// tokens (locked, checked, bound to the visit: all or none) and the binding of the oldest open hold they name.
// Each step is committed with the statement, before any charge, so a second visit naming the same token is
// refused, never charged. One statement looks up a batch of visits (StatementBatcher): no two of them share a
// visit id, an account or a token, so each visit's claim is decided as if it ran alone.
import { assertClaimed, type ClaimedTokenRow, type TokenClaim } from '../accounts/entry-token-registry.ts';
import type { BoundHold } from '../billing/payment-holds.ts';
import { type Queryable, toNumber } from '../db/database.ts';
import type { BatchedStatement } from '../db/statement-batcher.ts';
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

// The token rows are locked (in jti order, so two statements never deadlock) only for visits not stored; a
// concurrent duplicate waits on the lock and then finds its own visit id on them: a no-op. The hold's update
// re-checks `visit_id IS NULL` after any wait, so a hold is never taken from a visit that bound it. Visits
// are numbered by their place in the arrays (idx); named tokens come as (idx, jti) pairs.
const LOOKUP_SQL = `
WITH req AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[]) WITH ORDINALITY
    AS q(visit_id, account_id, store_id, oldest, used_at, idx)
), named AS (
  SELECT n.idx, n.jti FROM unnest($6::int[], $7::text[]) AS n(idx, jti)
), stored AS (
  SELECT req.idx, r.receipt_id, r.visit_id, r.store_id, r.account_id, r.status, r.total_cents, r.currency,
         r.payment_method_token, v.fingerprint
  FROM req JOIN receipts r ON r.visit_id = req.visit_id JOIN visits v ON v.visit_id = r.visit_id
), locked AS (
  SELECT n.idx, t.jti, t.account_id, t.store_id, t.issued_at, t.visit_id, t.hold_id
  FROM entry_tokens t JOIN named n ON n.jti = t.jti
  WHERE NOT EXISTS (SELECT 1 FROM stored s WHERE s.idx = n.idx) ORDER BY t.jti FOR UPDATE OF t
), passes AS (
  SELECT req.idx, req.visit_id, req.used_at,
         coalesce(c.named, 0) > 0 AND coalesce(k.locked, 0) = coalesce(c.named, 0) AND coalesce(k.fine, false) AS ok
  FROM req
  LEFT JOIN (SELECT idx, count(*) AS named FROM named GROUP BY idx) c ON c.idx = req.idx
  LEFT JOIN (
    SELECT l.idx, count(*) AS locked, bool_and(l.account_id = q.account_id AND l.store_id = q.store_id
             AND l.issued_at >= q.oldest AND (l.visit_id IS NULL OR l.visit_id = q.visit_id)) AS fine
    FROM locked l JOIN req q ON q.idx = l.idx GROUP BY l.idx
  ) k ON k.idx = req.idx
), bound AS (
  UPDATE entry_tokens t SET visit_id = p.visit_id, used_at = p.used_at
  FROM locked l JOIN passes p ON p.idx = l.idx
  WHERE p.ok AND t.jti = l.jti AND t.visit_id IS NULL RETURNING t.jti
), candidate AS (
  SELECT DISTINCT ON (p.idx) p.idx, p.visit_id, o.hold_id
  FROM passes p JOIN locked l ON l.idx = p.idx JOIN payment_holds o ON o.hold_id = l.hold_id
  WHERE p.ok AND o.status = 'held' AND o.visit_id IS NULL
    AND NOT EXISTS (SELECT 1 FROM payment_holds b WHERE b.visit_id = p.visit_id)
  ORDER BY p.idx, o.created_at, o.hold_id
), held AS (
  UPDATE payment_holds h SET visit_id = c.visit_id FROM candidate c
  WHERE h.hold_id = c.hold_id AND h.visit_id IS NULL
  RETURNING c.idx, h.hold_id, h.authorisation_id, h.amount_cents, h.status
), hold AS (
  SELECT idx, hold_id, authorisation_id, amount_cents, status FROM held
  UNION ALL
  SELECT p.idx, b.hold_id, b.authorisation_id, b.amount_cents, b.status
  FROM passes p JOIN payment_holds b ON b.visit_id = p.visit_id WHERE p.ok
)
SELECT s.receipt_id, s.visit_id, s.store_id, s.account_id, s.status, s.total_cents, s.currency,
       s.payment_method_token, s.fingerprint,
       (SELECT m.provider_token FROM payment_methods m WHERE m.account_id = req.account_id
        ORDER BY m.created_at DESC, m.payment_method_id LIMIT 1) AS charge_token,
       p.ok AS claimed,
       (SELECT json_agg(json_build_object('jti', l.jti, 'account_id', l.account_id, 'store_id', l.store_id,
          'issued_at', l.issued_at, 'visit_id', l.visit_id)) FROM locked l WHERE l.idx = req.idx) AS tokens,
       EXISTS (SELECT 1 FROM locked l WHERE l.idx = req.idx AND l.hold_id IS NOT NULL) AS names_hold,
       h.hold_id, h.authorisation_id, h.amount_cents AS hold_cents, h.status AS hold_status
FROM req
LEFT JOIN stored s ON s.idx = req.idx
LEFT JOIN passes p ON p.idx = req.idx
LEFT JOIN LATERAL (SELECT * FROM hold WHERE hold.idx = req.idx LIMIT 1) AS h ON true
ORDER BY req.idx`;

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

/** One visit to look up: with `claim`, its tokens `jtis` are claimed for it when it is not stored. */
export interface LookupRequest {
  visit: { visitId: string; accountId: string };
  claim: TokenClaim | undefined;
  jtis: readonly string[];
}

/** The tokens a visit names for its claim (each once; none without a claim). */
const namedOf = (request: LookupRequest) => (request.claim === undefined ? [] : [...new Set(request.jtis)]);

/**
 * Looks the visits up and claims the tokens of each not stored that has a claim: one answer per request, in
 * order, or the refusal the edge should see when one of its tokens fails (and then none of its is bound).
 */
export async function lookUpVisits(
  db: Queryable,
  requests: readonly LookupRequest[],
): Promise<Array<VisitLookup | Error>> {
  const named = requests.map(namedOf);
  const rows = await db.query<LookupRow>(LOOKUP_SQL, [
    requests.map((r) => r.visit.visitId),
    requests.map((r) => r.visit.accountId),
    requests.map((r) => r.claim?.storeId ?? null),
    requests.map((r) => r.claim?.oldest ?? null),
    requests.map((r) => r.claim?.now ?? null),
    named.flatMap((jtis, at) => jtis.map(() => at + 1)),
    named.flat(),
  ]);
  if (rows.length !== requests.length) {
    throw new Error(`visit lookup returned ${rows.length} rows for ${requests.length} visits`);
  }
  return rows.map((row, at) => {
    try {
      return lookupOf(row, requests[at] as LookupRequest, named[at] ?? []);
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  });
}

/** The statement for StatementBatcher: visits sharing an id, an account or a token go in different batches. */
export function visitLookupStatement(db: Queryable): BatchedStatement<LookupRequest, VisitLookup> {
  return {
    run: (requests) => lookUpVisits(db, requests),
    keysOf: (request) => [
      `visit:${request.visit.visitId}`,
      `account:${request.visit.accountId}`,
      ...namedOf(request).map((jti) => `token:${jti}`),
    ],
  };
}

function lookupOf(row: LookupRow, request: LookupRequest, named: readonly string[]): VisitLookup {
  const { claim } = request;
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
