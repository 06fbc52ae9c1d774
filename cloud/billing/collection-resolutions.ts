// Staff resolve a receipt in collection (its capture failed after the retries): the money was collected by
// another means, or written off. One statement moves the receipt out of 'collection' and records the
// resolution (who, when, why: the audit trail), so a repeat or a concurrent second request resolves it once;
// a repeat of the same outcome answers the first resolution. Also the collections' part of reconciliation.
import { type Queryable, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';

export type CollectionOutcome = 'collected' | 'written_off';

export interface CollectionResolution {
  receiptId: string;
  outcome: CollectionOutcome;
  amountCents: number;
  currency: string;
  note: string;
  reference: string | null;
  /** The staff account that resolved it. */
  resolvedBy: string;
  resolvedAt: number;
}

export interface ResolveRequest {
  receiptId: string;
  outcome: CollectionOutcome;
  note: string;
  reference?: string;
  staffId: string;
  now: number;
}

interface ResolutionRow {
  receipt_id: string;
  outcome: CollectionOutcome;
  amount_cents: unknown;
  currency: string;
  note: string;
  reference: string | null;
  resolved_by: string;
  resolved_at: unknown;
}

const RESOLVE_SQL = `
WITH moved AS (
  UPDATE receipts SET status = $2, updated_at = $6
  WHERE receipt_id = $1 AND status = 'collection'
  RETURNING receipt_id, total_cents, currency
)
INSERT INTO collection_resolutions
  (receipt_id, outcome, amount_cents, currency, note, reference, resolved_by, resolved_at)
SELECT receipt_id, $2, total_cents, currency, $3, $4, $5, $6 FROM moved
RETURNING receipt_id, outcome, amount_cents, currency, note, reference, resolved_by, resolved_at`;

const toResolution = (row: ResolutionRow): CollectionResolution => ({
  receiptId: row.receipt_id,
  outcome: row.outcome,
  amountCents: toNumber(row.amount_cents),
  currency: row.currency,
  note: row.note,
  reference: row.reference,
  resolvedBy: row.resolved_by,
  resolvedAt: toNumber(row.resolved_at),
});

/**
 * Resolves a receipt in collection. `created` is false when it was resolved before with the same outcome
 * (the first resolution is answered). 404 receipt_not_found; 409 collection_already_resolved (another
 * outcome), not_in_collection.
 */
export async function resolveCollection(
  db: Queryable,
  request: ResolveRequest,
): Promise<{ resolution: CollectionResolution; created: boolean }> {
  const { receiptId, outcome, note, reference, staffId, now } = request;
  const [created] = await db.query<ResolutionRow>(RESOLVE_SQL, [
    receiptId,
    outcome,
    note,
    reference ?? null,
    staffId,
    now,
  ]);
  if (created !== undefined) return { resolution: toResolution(created), created: true };
  const [receipt] = await db.query<{ status: string }>('SELECT status FROM receipts WHERE receipt_id = $1', [
    receiptId,
  ]);
  if (receipt === undefined) throw new ApiError(404, 'receipt_not_found', `No receipt ${receiptId}.`);
  const [earlier] = await db.query<ResolutionRow>(
    `SELECT receipt_id, outcome, amount_cents, currency, note, reference, resolved_by, resolved_at
     FROM collection_resolutions WHERE receipt_id = $1`,
    [receiptId],
  );
  if (earlier === undefined)
    throw new ApiError(
      409,
      'not_in_collection',
      `Receipt ${receiptId} is ${receipt.status}, not in collection: only a receipt whose payment failed after the retries is resolved here.`,
    );
  if (earlier.outcome !== outcome)
    throw new ApiError(
      409,
      'collection_already_resolved',
      `Receipt ${receiptId} was resolved as ${earlier.outcome} already.`,
    );
  return { resolution: toResolution(earlier), created: false };
}

export interface CollectionTotals {
  currency: string;
  /** Receipts still in collection, and their total. */
  open: number;
  openCents: number;
  collected: number;
  collectedCents: number;
  writtenOff: number;
  writtenOffCents: number;
}

export interface CollectionsReport {
  currencies: CollectionTotals[];
  /**
   * Receipts whose status and resolution disagree (a 'collected' or 'written_off' receipt without its
   * resolution, or a resolution of a receipt in another status); must be empty (first 50).
   */
  mismatches: string[];
}

export async function reconcileCollections(db: Queryable): Promise<CollectionsReport> {
  const rows = await db.query<{ currency: string; status: string; n: unknown; cents: unknown }>(
    `SELECT currency, status, count(*) AS n, COALESCE(sum(total_cents), 0) AS cents FROM receipts
     WHERE status IN ('collection', 'collected', 'written_off') GROUP BY currency, status`,
  );
  /** by currency */
  const totals = new Map<string, CollectionTotals>();
  for (const row of rows) {
    const t = totals.get(row.currency) ?? {
      currency: row.currency,
      open: 0,
      openCents: 0,
      collected: 0,
      collectedCents: 0,
      writtenOff: 0,
      writtenOffCents: 0,
    };
    const [count, cents] =
      row.status === 'collection'
        ? (['open', 'openCents'] as const)
        : row.status === 'collected'
          ? (['collected', 'collectedCents'] as const)
          : (['writtenOff', 'writtenOffCents'] as const);
    t[count] += toNumber(row.n);
    t[cents] += toNumber(row.cents);
    totals.set(row.currency, t);
  }
  const mismatches = await db.query<{ receipt_id: string }>(
    `SELECT r.receipt_id FROM receipts r
     FULL JOIN collection_resolutions c ON c.receipt_id = r.receipt_id
     WHERE (r.status IN ('collected', 'written_off') AND (c.receipt_id IS NULL OR c.outcome <> r.status))
        OR (c.receipt_id IS NOT NULL AND r.status NOT IN ('collected', 'written_off'))
     ORDER BY r.receipt_id LIMIT 50`,
  );
  return {
    currencies: [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1)),
    mismatches: mismatches.map((m) => m.receipt_id),
  };
}
