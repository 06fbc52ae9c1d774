// Takes a stored receipt's money: a capture against the visit's entry hold when there is one, else a plain
// charge, both under the provider key charge:visit:<visitId>, so a retry or a concurrent delivery gets the same
// charge. A provider failure queues a charge-retry job and is counted on the receipt; a capture still failing
// after collectionAfterAttempts sends the receipt to staff collection and voids its hold. The settled outcome
// is recorded once (settle-receipt.ts).
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../shared/clock.ts';
import { type Database, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { CloudMetrics } from '../http/cloud-metrics.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { type PointsRule, pointsFor } from '../profile/points-rule.ts';
import type { ReceiptStatus } from '../receipts/receipt-schemas.ts';
import type { BoundHold, PaymentHolds } from './payment-holds.ts';
import { type ChargeResult, type PaymentProvider, PaymentProviderError } from './payment-provider.ts';
import { settleReceipt } from './settle-receipt.ts';

/** What taking a receipt's money needs of it (the receipts row). */
export interface PayableReceipt {
  receipt_id: string;
  visit_id: string;
  account_id: string | null;
  status: ReceiptStatus;
  total_cents: unknown;
  currency: string;
  payment_method_token: string | null;
}

export const chargeKeyOf = (visitId: string) => `charge:visit:${visitId}`;

export type SettledCharge =
  | ChargeResult
  | { chargeId: null; status: 'declined'; declineCode: 'no_payment_method' };

export interface ReceiptPaymentDeps {
  db: Database;
  provider: PaymentProvider;
  metrics: CloudMetrics;
  clock: Clock;
  log: FastifyBaseLogger;
  pointsRule: PointsRule;
  /** Where a charge the provider failed is queued for retry (job charge-retry, keyed by visit id). */
  jobs?: Pick<JobQueue, 'send'>;
  /** The entry holds: captured or voided when the visit is billed. */
  holds: PaymentHolds;
}

/** Seconds after a provider failure before the first retry job runs. */
export const CHARGE_RETRY_DELAY_S = 5;

export class ReceiptPayment {
  constructor(private readonly deps: ReceiptPaymentDeps) {}

  /**
   * Charges a receipt pending payment and sets its status from the outcome. A provider failure is returned,
   * not thrown: the receipt is stored as pending so the shopper sees it, and a later delivery charges it.
   */
  async chargeIfDue(
    receipt: PayableReceipt,
    hold: BoundHold | undefined,
  ): Promise<{ outcome: SettledCharge | undefined; providerFailure: ApiError | undefined }> {
    if (receipt.status !== 'pending_payment') return { outcome: undefined, providerFailure: undefined };
    try {
      const outcome = await this.charge(receipt, hold);
      receipt.status = outcome.status === 'succeeded' ? 'paid' : 'declined';
      return { outcome, providerFailure: undefined };
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return { outcome: undefined, providerFailure: err };
    }
  }

  /**
   * Asks the provider for the receipt's money: a capture against the visit's entry hold (`hold`, the one
   * bound to it), else a charge; a declined card or a missing one is an outcome, not an error.
   */
  private async charge(receipt: PayableReceipt, hold: BoundHold | undefined): Promise<SettledCharge> {
    try {
      return await this.requestMoney(receipt, hold);
    } catch (err) {
      this.deps.log.error(
        { err, visitId: receipt.visit_id },
        'charge failed; the receipt stays pending_payment and a charge-retry job is queued',
      );
      await this.deps.jobs
        ?.send(
          'charge-retry',
          { visitId: receipt.visit_id },
          { key: receipt.visit_id, delaySeconds: CHARGE_RETRY_DELAY_S },
        )
        .catch((queueErr: unknown) =>
          this.deps.log.error({ err: queueErr }, 'charge-retry not queued; the minute sweep retries it'),
        );
      const detail = err instanceof PaymentProviderError ? ` (${err.code})` : '';
      throw new ApiError(
        503,
        'payment_provider_unavailable',
        `The visit is stored but could not be charged yet${detail}: deliver it again later.`,
      );
    }
  }

  private async requestMoney(receipt: PayableReceipt, hold: BoundHold | undefined): Promise<SettledCharge> {
    if (hold !== undefined && (hold.status === 'held' || hold.status === 'captured')) {
      // Over the hold too: the sandbox over-captures (docs/cloud-api.md, "Payment flow").
      const captured = await this.deps.holds.capture(
        hold,
        chargeKeyOf(receipt.visit_id),
        toNumber(receipt.total_cents),
      );
      return { chargeId: captured.chargeId, status: 'succeeded' };
    }
    if (receipt.payment_method_token === null) {
      return { chargeId: null, status: 'declined', declineCode: 'no_payment_method' };
    }
    return this.deps.provider.charge({
      idempotencyKey: chargeKeyOf(receipt.visit_id),
      // An erased shopper's pending receipt is still charged to the card chosen at ingest.
      customerRef: receipt.account_id ?? 'erased',
      paymentMethodToken: receipt.payment_method_token,
      amountCents: toNumber(receipt.total_cents),
      currency: receipt.currency,
    });
  }

  countCharge(outcome: SettledCharge): void {
    this.deps.metrics.charges.inc({
      outcome: outcome.declineCode === 'no_payment_method' ? 'no_payment_method' : outcome.status,
    });
  }

  /**
   * Counts a failed attempt to take the receipt's money; a receipt with an entry hold whose attempts reach
   * collectionAfterAttempts goes to staff collection (its hold is voided). Answers the receipt's status.
   */
  async recordFailedAttempt(receipt: PayableReceipt, failure: ApiError): Promise<ReceiptStatus> {
    const { db, clock, holds, log } = this.deps;
    const [row] = await db.query<{ status: ReceiptStatus; payment_attempts: number }>(
      `UPDATE receipts SET payment_attempts = payment_attempts + 1, last_payment_error = $2, updated_at = $3,
         status = CASE WHEN payment_attempts + 1 >= $4
                        AND EXISTS (SELECT 1 FROM payment_holds h WHERE h.visit_id = receipts.visit_id)
                       THEN 'collection' ELSE status END
       WHERE receipt_id = $1 AND status = 'pending_payment'
       RETURNING status, payment_attempts`,
      [
        receipt.receipt_id,
        failure.message.slice(0, 300),
        clock.now(),
        holds.settings.collectionAfterAttempts,
      ],
    );
    if (row?.status !== 'collection') return row?.status ?? receipt.status;
    log.error(
      { visitId: receipt.visit_id, attempts: row.payment_attempts },
      'capture still failing after the retries: receipt sent to staff collection',
    );
    this.deps.metrics.charges.inc({ outcome: 'collection' });
    await this.voidHoldOf(receipt.visit_id);
    return 'collection';
  }

  /** Voids the visit's open hold; a failure leaves it to the hold-release job. */
  async voidHoldOf(visitId: string): Promise<void> {
    const hold = await this.deps.holds.boundTo(visitId);
    if (hold !== undefined && (hold.status === 'held' || hold.status === 'voiding')) {
      await this.deps.holds.release(hold.holdId);
    }
  }

  /** Charges a pending receipt (again, if an earlier attempt died) and records the outcome once. */
  async settle(receipt: PayableReceipt): Promise<ReceiptStatus> {
    let outcome: SettledCharge;
    try {
      outcome = await this.charge(receipt, await this.deps.holds.boundTo(receipt.visit_id));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if ((await this.recordFailedAttempt(receipt, err)) === 'collection') return 'collection';
      throw err;
    }
    const status = outcome.status === 'succeeded' ? 'paid' : 'declined';
    const totalCents = toNumber(receipt.total_cents);
    const settled = await settleReceipt(this.deps.db, {
      receiptId: receipt.receipt_id,
      status,
      chargeId: outcome.chargeId,
      declineCode: outcome.declineCode ?? null,
      points: pointsFor(totalCents, this.deps.pointsRule),
      now: this.deps.clock.now(),
    });
    if (settled) this.countCharge(outcome);
    return status;
  }
}
