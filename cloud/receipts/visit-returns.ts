// Refunds items that came back to the shelf after their receipt was issued (#13): the store edge reports each
// put-back once (returnId, its event id); the units the line still has are refunded at the line's unit price
// under the provider key refund:return:<returnId>, then one transaction ledgers the refund, takes back the
// points that money earned and marks the return refunded. A return left 'refunding' by a provider failure is
// completed by the edge's retry, so a retry answers the same and never refunds twice.
import type { Clock } from '../../shared/clock.ts';
import type { VisitReturn } from '../../shared/schemas/visit-return.ts';
import { type PaymentProvider, PaymentProviderError } from '../billing/payment-provider.ts';
import { ledgerRefund } from '../billing/refund-ledger.ts';
import { type Database, type Queryable, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { CloudMetrics } from '../http/cloud-metrics.ts';
import type { PointsRule } from '../profile/points-rule.ts';

export interface VisitReturnsOptions {
  db: Database;
  provider: PaymentProvider;
  clock: Clock;
  pointsRule: PointsRule;
  /** Counts the refunds made (walkout_cloud_return_refunds_total and the cents given back). */
  metrics: CloudMetrics;
}

/** What the edge is told about a return (the same on every delivery of it). */
export interface ReturnRefund {
  returnId: string;
  receiptId: string;
  sku: string;
  /** Units refunded: those reported, at most what the line still had. */
  quantity: number;
  amountCents: number;
  status: 'refunded';
}

interface ReturnRow {
  return_id: string;
  receipt_id: string;
  line_no: number;
  sku: string;
  reported_quantity: number;
  quantity: number;
  amount_cents: unknown;
  status: 'refunding' | 'refunded';
}

interface ReceiptRow {
  receipt_id: string;
  visit_id: string;
  store_id: string;
  account_id: string | null;
  status: string;
  total_cents: unknown;
  currency: string;
  charge_id: string | null;
}

export const returnRefundKeyOf = (returnId: string) => `refund:return:${returnId}`;

export class VisitReturns {
  constructor(private readonly options: VisitReturnsOptions) {}

  /** Records the return (once) and refunds it; `created` is false when this delivery repeated one. */
  async refund(storeId: string, body: VisitReturn): Promise<ReturnRefund & { created: boolean }> {
    const { row, created } = await this.record(storeId, body);
    const refunded = row.status === 'refunding' ? await this.complete(storeId, row) : row;
    return { ...answerOf(refunded), created };
  }

  /** The stored return for this id, or a new one 'refunding' (the receipt locked while the units are counted). */
  private async record(storeId: string, body: VisitReturn): Promise<{ row: ReturnRow; created: boolean }> {
    const { db, clock } = this.options;
    return db.transaction(async (tx) => {
      const receipt = await lockedReceiptOf(tx, body.visitId);
      checkVisitOfStore(receipt, storeId, body);
      const existing = await returnOf(tx, storeId, body.returnId);
      if (existing !== undefined) {
        if (existing.receipt_id !== receipt.receipt_id || existing.sku !== body.sku) {
          throw new ApiError(
            409,
            'return_id_reused',
            `Return ${body.returnId} was reported for another visit or product: each put-back has its own id.`,
          );
        }
        return { row: existing, created: false };
      }
      checkRefundable(receipt);
      const { line, units } = await returnableUnits(tx, receipt, body);
      const [row] = await tx.query<ReturnRow>(
        `INSERT INTO visit_returns (store_id, return_id, receipt_id, line_no, sku, reported_quantity, quantity,
           amount_cents, lane, returned_at, status, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'refunding', $11)
         RETURNING ${RETURN_COLUMNS}`,
        [
          storeId,
          body.returnId,
          receipt.receipt_id,
          line.line_no,
          body.sku,
          body.quantity,
          units,
          units * toNumber(line.unit_price_cents),
          body.lane,
          body.returnedAt,
          clock.now(),
        ],
      );
      if (row === undefined) throw new Error(`return ${body.returnId} not stored`);
      return { row, created: true };
    });
  }

  /** Refunds a return still 'refunding' and records it; safe to repeat (the provider key and the ledger). */
  private async complete(storeId: string, row: ReturnRow): Promise<ReturnRow> {
    const { db, provider, clock, pointsRule } = this.options;
    const [receipt] = await db.query<ReceiptRow>(
      `SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE receipt_id = $1`,
      [row.receipt_id],
    );
    if (receipt?.charge_id === null || receipt === undefined)
      throw new Error(`return ${row.return_id} has no charge to refund`);
    const amountCents = toNumber(row.amount_cents);
    const refund = await provider
      .refund({ idempotencyKey: returnRefundKeyOf(row.return_id), chargeId: receipt.charge_id, amountCents })
      .catch((err: unknown) => {
        const detail = err instanceof PaymentProviderError ? ` (${err.code})` : '';
        throw new ApiError(
          503,
          'refund_pending',
          `The return is recorded but the payment provider did not confirm its refund yet${detail}: send it again.`,
        );
      });
    const refunded = await db.transaction(async (tx) => {
      // locking the receipt serialises the points arithmetic with other refunds of it (disputes, returns)
      const locked = await lockedReceiptOf(tx, receipt.visit_id);
      if (locked === undefined) throw new Error(`receipt ${row.receipt_id} vanished`);
      await ledgerRefund(
        tx,
        locked,
        { refundId: refund.refundId, amountCents, source: 'return', sourceId: `${storeId}:${row.return_id}` },
        pointsRule,
        clock.now(),
      );
      const [done] = await tx.query<ReturnRow>(
        `UPDATE visit_returns SET status = 'refunded', refund_id = $3, refunded_at = $4
         WHERE store_id = $1 AND return_id = $2 AND status = 'refunding' RETURNING ${RETURN_COLUMNS}`,
        [storeId, row.return_id, refund.refundId, clock.now()],
      );
      // a concurrent delivery of the same return completed it first (the receipt's lock ordered them)
      const already = done === undefined ? await returnOf(tx, storeId, row.return_id) : undefined;
      const result = done ?? already;
      if (result === undefined) throw new Error(`return ${row.return_id} vanished`);
      return { row: result, now: done !== undefined };
    });
    if (refunded.now) {
      this.options.metrics.returnRefunds.inc({ store: storeId });
      this.options.metrics.returnRefundedCents.inc({ store: storeId }, amountCents);
    }
    return refunded.row;
  }
}

const RETURN_COLUMNS =
  'return_id, receipt_id, line_no, sku, reported_quantity, quantity, amount_cents, status';
const RECEIPT_COLUMNS =
  'receipt_id, visit_id, store_id, account_id, status, total_cents, currency, charge_id';

/** The receipt exists and is this store's (else the ApiError the edge acts on). */
function checkVisitOfStore(
  receipt: ReceiptRow | undefined,
  storeId: string,
  body: VisitReturn,
): asserts receipt is ReceiptRow {
  if (receipt === undefined) {
    // the edge sends a return after its visit, so the visit may still be on its way (425: retried)
    throw new ApiError(
      425,
      'receipt_not_ready',
      `No receipt for visit ${body.visitId} yet: the visit is delivered first; send the return again later.`,
    );
  }
  // another store's visit reads as absent, as someone else's receipt does for a shopper
  if (receipt.store_id !== storeId) {
    throw new ApiError(
      404,
      'visit_not_found',
      `No visit ${body.visitId} at store ${storeId}: a return names a visit this store delivered.`,
    );
  }
}

/** The receipt's money was taken by card, so a refund can give some back (else the ApiError). */
function checkRefundable(receipt: ReceiptRow): void {
  if (receipt.status === 'pending_payment') {
    // the money is not taken yet (the capture is retried): refund once it is, on the edge's next try
    throw new ApiError(
      503,
      'receipt_payment_pending',
      'The receipt is not paid yet, so nothing can be refunded: send the return again later.',
    );
  }
  if (receipt.status !== 'paid' || receipt.charge_id === null) {
    throw new ApiError(
      409,
      'receipt_not_refundable',
      `The receipt is ${receipt.status}: nothing was charged to the card to refund; staff settle it.`,
    );
  }
}

/** The receipt's line of the product and how many of the returned units it still has to refund. */
async function returnableUnits(tx: Queryable, receipt: ReceiptRow, body: VisitReturn) {
  const [line] = await tx.query<{
    line_no: number;
    quantity: number;
    unit_price_cents: unknown;
    returned: unknown;
  }>(
    `SELECT l.line_no, l.quantity, l.unit_price_cents,
            COALESCE((SELECT sum(x.quantity) FROM visit_returns x
                      WHERE x.receipt_id = l.receipt_id AND x.line_no = l.line_no), 0) AS returned
     FROM receipt_lines l WHERE l.receipt_id = $1 AND l.sku = $2 ORDER BY l.line_no LIMIT 1`,
    [receipt.receipt_id, body.sku],
  );
  if (line === undefined) {
    throw new ApiError(
      409,
      'sku_not_on_receipt',
      `${body.sku} is not on the receipt of visit ${body.visitId}: nothing of it to refund.`,
    );
  }
  const units = Math.min(body.quantity, line.quantity - toNumber(line.returned));
  if (units <= 0) {
    throw new ApiError(
      409,
      'line_fully_returned',
      `Every unit of ${body.sku} on this receipt was already returned and refunded.`,
    );
  }
  return { line, units };
}

async function lockedReceiptOf(tx: Queryable, visitId: string): Promise<ReceiptRow | undefined> {
  const [row] = await tx.query<ReceiptRow>(
    `SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE visit_id = $1 FOR UPDATE`,
    [visitId],
  );
  return row;
}

async function returnOf(tx: Queryable, storeId: string, returnId: string): Promise<ReturnRow | undefined> {
  const [row] = await tx.query<ReturnRow>(
    `SELECT ${RETURN_COLUMNS} FROM visit_returns WHERE store_id = $1 AND return_id = $2`,
    [storeId, returnId],
  );
  return row;
}

function answerOf(row: ReturnRow): ReturnRefund {
  return {
    returnId: row.return_id,
    receiptId: row.receipt_id,
    sku: row.sku,
    quantity: row.quantity,
    amountCents: toNumber(row.amount_cents),
    status: 'refunded',
  };
}
