// Opens line disputes and carries granted ones through to a refund: the provider refunds under the key
// refund:dispute:<disputeId> (so a retry never refunds twice), then one transaction ledgers the refund, takes
// back the points that money earned and marks the dispute refunded. A dispute left 'refunding' by a failure
// is completed by the next attempt.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import { type PaymentProvider, PaymentProviderError } from '../billing/payment-provider.ts';
import { ledgerRefund } from '../billing/refund-ledger.ts';
import { type Database, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { PointsRule } from '../profile/points-rule.ts';
import type { DisputeStatus } from '../receipts/receipt-schemas.ts';

export interface DisputeRefundsOptions {
  db: Database;
  provider: PaymentProvider;
  clock: Clock;
  pointsRule: PointsRule;
  /** Disputes of less than this are refunded at once; others wait for staff review. */
  autoRefundBelowCents: number;
  /** Where a refund the provider failed is queued to be finished (job refund-finish, keyed by dispute id). */
  jobs?: Pick<JobQueue, 'send'>;
}

export interface OpenedDispute {
  disputeId: string;
  status: DisputeStatus;
  amountCents: number;
  created: boolean;
}

interface DisputeRow {
  dispute_id: string;
  receipt_id: string;
  account_id: string | null;
  amount_cents: unknown;
  status: DisputeStatus;
}

export const refundKeyOf = (disputeId: string) => `refund:dispute:${disputeId}`;

export class DisputeRefunds {
  constructor(private readonly options: DisputeRefundsOptions) {}

  async open(
    accountId: string,
    receiptId: string,
    lineNo: number,
    quantity: number | undefined,
    reason: string,
  ): Promise<OpenedDispute> {
    const { db, clock, autoRefundBelowCents } = this.options;
    const lines = await db.query<{ status: string; quantity: number; unit_price_cents: unknown }>(
      `SELECT r.status, l.quantity, l.unit_price_cents FROM receipts r
       JOIN receipt_lines l ON l.receipt_id = r.receipt_id AND l.line_no = $3
       WHERE r.receipt_id = $1 AND r.account_id = $2`,
      [receiptId, accountId, lineNo],
    );
    const line = lines[0];
    if (line === undefined) {
      throw new ApiError(404, 'line_not_found', 'No such line on a receipt of yours: check the receipt.');
    }
    if (line.status !== 'paid') {
      throw new ApiError(
        409,
        'receipt_not_paid',
        'Only a paid receipt can be disputed: nothing was charged.',
      );
    }
    const disputed = quantity ?? line.quantity;
    if (disputed > line.quantity) {
      throw new ApiError(
        400,
        'quantity_exceeds_line',
        `The line has ${line.quantity}; dispute at most that.`,
      );
    }
    const amountCents = disputed * toNumber(line.unit_price_cents);
    const status: DisputeStatus = amountCents < autoRefundBelowCents ? 'refunding' : 'pending_review';
    const inserted = await db.query<DisputeRow>(
      `INSERT INTO disputes (dispute_id, receipt_id, line_no, account_id, quantity, amount_cents, reason, status,
         created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (receipt_id, line_no) DO NOTHING
       RETURNING dispute_id, receipt_id, account_id, amount_cents, status`,
      [randomUUID(), receiptId, lineNo, accountId, disputed, amountCents, reason, status, clock.now()],
    );
    const created = inserted[0] !== undefined;
    const dispute =
      inserted[0] ??
      (
        await db.query<DisputeRow>(
          `SELECT dispute_id, receipt_id, account_id, amount_cents, status FROM disputes
           WHERE receipt_id = $1 AND line_no = $2`,
          [receiptId, lineNo],
        )
      )[0];
    if (dispute === undefined) throw new Error(`dispute of ${receiptId}/${lineNo} vanished after a conflict`);
    const finalStatus =
      dispute.status === 'refunding' ? await this.complete(dispute.dispute_id) : dispute.status;
    return {
      disputeId: dispute.dispute_id,
      status: finalStatus,
      amountCents: toNumber(dispute.amount_cents),
      created,
    };
  }

  /** Staff decision on a dispute waiting for review (or a retry of an approved one still refunding). */
  async decide(disputeId: string, staffId: string, approve: boolean, note: string): Promise<DisputeStatus> {
    const { db, clock } = this.options;
    const moved = await db.query<{ status: DisputeStatus }>(
      `UPDATE disputes SET status = $2, decided_by = $3, decision_note = $4, decided_at = $5
       WHERE dispute_id = $1 AND status = 'pending_review' RETURNING status`,
      [disputeId, approve ? 'refunding' : 'rejected', staffId, note, clock.now()],
    );
    const current =
      moved[0]?.status ??
      (
        await db.query<{ status: DisputeStatus }>('SELECT status FROM disputes WHERE dispute_id = $1', [
          disputeId,
        ])
      )[0]?.status;
    if (current === undefined) throw new ApiError(404, 'dispute_not_found', 'No such dispute.');
    if (moved[0] === undefined && current !== 'refunding') {
      throw new ApiError(409, 'dispute_decided', `This dispute was already decided: it is ${current}.`);
    }
    return current === 'refunding' ? this.complete(disputeId) : current;
  }

  /** The refund-finish job: completes a dispute still 'refunding'; a no-op for any other status. */
  async finish(disputeId: string): Promise<void> {
    const rows = await this.options.db.query<{ status: DisputeStatus }>(
      'SELECT status FROM disputes WHERE dispute_id = $1',
      [disputeId],
    );
    if (rows[0]?.status === 'refunding') await this.complete(disputeId);
  }

  /** Refunds a dispute in 'refunding' and records it; safe to repeat. */
  private async complete(disputeId: string): Promise<DisputeStatus> {
    const { db, provider, clock, pointsRule } = this.options;
    const rows = await db.query<{ amount_cents: unknown; charge_id: string | null }>(
      `SELECT d.amount_cents, r.charge_id FROM disputes d JOIN receipts r ON r.receipt_id = d.receipt_id
       WHERE d.dispute_id = $1`,
      [disputeId],
    );
    const row = rows[0];
    if (row?.charge_id === null || row === undefined)
      throw new Error(`dispute ${disputeId} has no charge to refund`);
    const amountCents = toNumber(row.amount_cents);
    const refund = await provider
      .refund({ idempotencyKey: refundKeyOf(disputeId), chargeId: row.charge_id, amountCents })
      .catch(async (err: unknown) => {
        await this.options.jobs
          ?.send('refund-finish', { disputeId }, { key: disputeId, delaySeconds: 5 })
          .catch(() => {
            // Not queued: the minute sweep of disputes still refunding finishes it.
          });
        const detail = err instanceof PaymentProviderError ? ` (${err.code})` : '';
        throw new ApiError(
          503,
          'refund_pending',
          `The refund is approved but the payment provider did not confirm it yet${detail}; it is retried automatically (and when you ask again).`,
        );
      });
    return db.transaction(async (tx) => {
      // Locking the receipt serialises the points arithmetic of concurrent refunds of its lines.
      const receipt = (
        await tx.query<{
          receipt_id: string;
          account_id: string | null;
          total_cents: unknown;
          currency: string;
        }>(
          `SELECT r.receipt_id, r.account_id, r.total_cents, r.currency FROM receipts r
           JOIN disputes d ON d.receipt_id = r.receipt_id WHERE d.dispute_id = $1 FOR UPDATE OF r`,
          [disputeId],
        )
      )[0];
      if (receipt === undefined) throw new Error(`receipt of dispute ${disputeId} vanished`);
      await ledgerRefund(
        tx,
        receipt,
        { refundId: refund.refundId, amountCents, source: 'refund', sourceId: disputeId },
        pointsRule,
        clock.now(),
      );
      await tx.query(
        `UPDATE disputes SET status = 'refunded', refund_id = $2, decided_at = COALESCE(decided_at, $3)
         WHERE dispute_id = $1 AND status = 'refunding'`,
        [disputeId, refund.refundId, clock.now()],
      );
      return 'refunded' as const;
    });
  }
}
