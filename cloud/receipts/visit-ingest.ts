// Turns a visit upload into exactly one receipt and at most one charge, however often it is delivered:
// the visit id is the primary key (repeats and concurrent duplicates find the first receipt) and the charge
// goes to the provider under the key charge:visit:<visitId>, so retrying a pending receipt is safe. The
// charge is a capture against the entry hold its tokens name when there is one (an empty visit voids it),
// else a plain charge; a capture still failing after the retries sends the receipt to staff collection.
// A first delivery costs three statements: its lookup with the claim of its entry token(s) and the binding of
// their hold (visit-lookup.ts), the provider's capture or charge, and one write (store-visit.ts). A visit is
// billed only to the account its entry token was issued to, at that store, and each token pays for one visit.
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../shared/clock.ts';
import type { VisitUpload } from '../../shared/schemas/visit.ts';
import type { EntryTokenRegistry } from '../accounts/entry-token-registry.ts';
import type { BoundHold, PaymentHolds } from '../billing/payment-holds.ts';
import {
  type ChargeResult,
  type PaymentProvider,
  PaymentProviderError,
} from '../billing/payment-provider.ts';
import { settleReceipt } from '../billing/settle-receipt.ts';
import { type Database, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { CloudMetrics } from '../http/cloud-metrics.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import { evidenceEvents, summariseBehaviour } from '../profile/behaviour-summary.ts';
import { type PointsRule, pointsFor } from '../profile/points-rule.ts';
import type { PriceList, StoreCatalog } from '../stores/price-list.ts';
import { type PricedVisit, priceVisit, visitFingerprintInput } from './price-visit.ts';
import type { ReceiptStatus, VisitReceipt } from './receipt-schemas.ts';
import { storeVisit } from './store-visit.ts';
import { lookUpVisit, type StoredReceipt, type VisitLookup } from './visit-lookup.ts';

export interface IngestResult extends VisitReceipt {
  /** False when this delivery repeated a visit already stored. */
  created: boolean;
}

/** A visit not stored before, with what its first delivery established. */
interface FirstDelivery {
  storeId: string;
  visit: VisitUpload;
  entryTokenIds: string[];
  fingerprint: string;
  pricing: Pricing;
  /** Its lookup, which claimed its tokens and bound their hold. */
  found: VisitLookup;
}

/** The visit's cart priced at its store's catalog (unknown SKUs are refused only for a visit not stored). */
interface Pricing {
  catalog: StoreCatalog;
  priced: PricedVisit;
}

export const chargeKeyOf = (visitId: string) => `charge:visit:${visitId}`;

type SettledCharge = ChargeResult | { chargeId: null; status: 'declined'; declineCode: 'no_payment_method' };

export interface VisitIngestDeps {
  db: Database;
  provider: PaymentProvider;
  metrics: CloudMetrics;
  clock: Clock;
  log: FastifyBaseLogger;
  priceList: PriceList;
  pointsRule: PointsRule;
  entryTokens: EntryTokenRegistry;
  /**
   * 'require' (default, and the only choice in production): an upload without entryTokenIds is refused with
   * entry_token_required. 'allow-missing': such an upload (an edge from before tokens were named) is billed
   * to the account it names, logged and counted — for a development rollout only; a named token is always
   * checked.
   */
  visitsWithoutEntryToken?: 'require' | 'allow-missing';
  /** Where a charge the provider failed is queued for retry (job charge-retry, keyed by visit id). */
  jobs?: Pick<JobQueue, 'send'>;
  /** The entry holds: captured or voided when the visit is billed. */
  holds: PaymentHolds;
}

/** Seconds after a provider failure before the first retry job runs. */
export const CHARGE_RETRY_DELAY_S = 5;

export class VisitIngest {
  constructor(private readonly deps: VisitIngestDeps) {}

  /** `configVersion`: the store's config version in force (from its credential check), to price at. */
  async ingest(storeId: string, visit: VisitUpload, configVersion?: number): Promise<IngestResult> {
    if (visit.exitedAt < visit.enteredAt) {
      throw new ApiError(
        400,
        'invalid_visit',
        'exitedAt is before enteredAt: check the edge clock and the visit.',
      );
    }
    const entryTokenIds = this.entryTokenIdsOf(storeId, visit);
    const fingerprint = createHash('sha256')
      .update(visitFingerprintInput(storeId, visit.accountId, visit.lines))
      .digest('hex');
    const pricing = await this.price(storeId, visit, configVersion);
    // A stored visit is answered with its receipt: its tokens were claimed when it was first billed. An
    // unpriceable cart claims nothing.
    const claim =
      pricing.priced.ok && entryTokenIds.length > 0
        ? this.deps.entryTokens.claimOf(visit.visitId, storeId, visit.accountId)
        : undefined;
    const found = await lookUpVisit(this.deps.db, visit, claim, entryTokenIds);
    const { existing } = found;
    const created =
      existing === undefined
        ? await this.store({ storeId, visit, entryTokenIds, fingerprint, pricing, found })
        : undefined;
    const receipt = existing ?? created ?? (await this.findReceipt(visit.visitId));
    if (receipt === undefined) throw new Error(`receipt of visit ${visit.visitId} missing after ingest`);
    if (receipt.fingerprint !== fingerprint || receipt.store_id !== storeId) {
      throw new ApiError(
        409,
        'idempotency_key_reused',
        `Visit ${visit.visitId} was already uploaded with a different store, account or cart: use a new visitId for a new visit.`,
      );
    }
    const { metrics } = this.deps;
    (created ? metrics.visitsIngested : metrics.duplicateDeliveries).inc({ store: storeId });
    const status = receipt.status === 'pending_payment' ? await this.settle(receipt) : receipt.status;
    return {
      receiptId: receipt.receipt_id,
      status,
      totalCents: toNumber(receipt.total_cents),
      created: created !== undefined,
    };
  }

  /**
   * The charge-retry job: charges the visit's receipt if it is still pending_payment; its status after, or
   * undefined when there is no such receipt. Throws (so the job is retried) when the provider fails again.
   */
  async settlePending(visitId: string): Promise<ReceiptStatus | undefined> {
    const receipt = await this.findReceipt(visitId);
    if (receipt === undefined) return undefined;
    return receipt.status === 'pending_payment' ? this.settle(receipt) : receipt.status;
  }

  private entryTokenIdsOf(storeId: string, visit: VisitUpload): string[] {
    const ids = visit.entryTokenIds;
    if (ids !== undefined) return ids;
    if (this.deps.visitsWithoutEntryToken !== 'allow-missing') {
      throw new ApiError(
        400,
        'entry_token_required',
        `Visit ${visit.visitId} names no entry token (entryTokenIds): the cloud bills a visit only on the token the shopper was admitted on. Update the edge.`,
      );
    }
    this.deps.metrics.visitsWithoutEntryToken.inc({ store: storeId });
    this.deps.log.warn(
      { visitId: visit.visitId, store: storeId },
      'visit names no entry token: billed to the account it names (visitsWithoutEntryToken=allow-missing)',
    );
    return [];
  }

  private async findReceipt(visitId: string): Promise<StoredReceipt | undefined> {
    const rows = await this.deps.db.query<StoredReceipt>(
      `SELECT r.receipt_id, r.visit_id, r.store_id, r.account_id, r.status, r.total_cents, r.currency,
              r.payment_method_token, v.fingerprint
       FROM receipts r JOIN visits v ON v.visit_id = r.visit_id WHERE r.visit_id = $1`,
      [visitId],
    );
    return rows[0];
  }

  /**
   * Prices the cart, charges it (provider key charge:visit:<visitId>, so a concurrent duplicate gets the same
   * charge) and stores visit, receipt and outcome in one statement. Undefined when another delivery stored it.
   */
  private async store(first: FirstDelivery): Promise<StoredReceipt | undefined> {
    const { storeId, visit, entryTokenIds, fingerprint, found } = first;
    const { clock, pointsRule } = this.deps;
    const { catalog, priced } = first.pricing;
    if (!priced.ok) {
      throw new ApiError(
        422,
        'unknown_sku',
        `SKU ${priced.unknownSkus.join(', ')} is not in the catalog of store ${storeId}: sync the edge's store config.`,
      );
    }
    const { paymentMethodToken } = found;
    const receipt: StoredReceipt = {
      receipt_id: randomUUID(),
      visit_id: visit.visitId,
      store_id: storeId,
      account_id: visit.accountId,
      // Nothing to charge for an empty cart: it is paid as it stands.
      status: priced.totalCents === 0 ? 'paid' : 'pending_payment',
      total_cents: priced.totalCents,
      currency: catalog.currency,
      payment_method_token: paymentMethodToken,
      fingerprint,
    };
    const hold = found.holdUnseen ? await this.deps.holds.boundTo(visit.visitId) : found.hold;
    const { outcome, providerFailure } = await this.chargeIfDue(receipt, hold);
    const stored = await storeVisit(this.deps.db, {
      storeId,
      visit,
      entryTokenIds,
      fingerprint,
      receiptId: receipt.receipt_id,
      lines: priced.lines,
      totalCents: priced.totalCents,
      currency: catalog.currency,
      status: receipt.status,
      paymentMethodToken,
      chargeId: outcome?.chargeId ?? null,
      declineCode: outcome?.declineCode ?? null,
      points: pointsFor(priced.totalCents, pointsRule),
      evidence: evidenceEvents(visit.events, visit.lines),
      behaviour: summariseBehaviour(visit, (sku) => catalog.products.get(sku)?.category),
      floor: visit.behaviour,
      now: clock.now(),
    });
    if (stored === 'unknown_account') {
      // A redelivery after the shopper erased their data finds the anonymised receipt.
      if ((await this.findReceipt(visit.visitId)) !== undefined) return undefined;
      throw new ApiError(
        422,
        'unknown_account',
        `Account ${visit.accountId} does not exist: check the entry token.`,
      );
    }
    if (stored === 'exists') return undefined;
    if (providerFailure !== undefined) {
      await this.recordFailedAttempt(receipt, providerFailure);
      throw providerFailure;
    }
    if (outcome !== undefined) this.countCharge(outcome);
    if (priced.totalCents === 0) await this.voidHoldOf(visit.visitId);
    return receipt;
  }

  /** The visit's lines priced at its store (with the known config version, from the cached catalog). */
  private async price(
    storeId: string,
    visit: VisitUpload,
    configVersion: number | undefined,
  ): Promise<Pricing> {
    const catalog = await this.deps.priceList.catalogOf(
      storeId,
      visit.lines.map((line) => line.sku),
      configVersion,
    );
    if (catalog === undefined) throw new Error(`store ${storeId} authenticated but not in the database`);
    return { catalog, priced: priceVisit(visit.lines, catalog.products) };
  }

  /**
   * Charges a receipt pending payment and sets its status from the outcome. A provider failure is returned,
   * not thrown: the receipt is stored as pending so the shopper sees it, and a later delivery charges it.
   */
  private async chargeIfDue(
    receipt: StoredReceipt,
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
  private async charge(receipt: StoredReceipt, hold: BoundHold | undefined): Promise<SettledCharge> {
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

  private async requestMoney(receipt: StoredReceipt, hold: BoundHold | undefined): Promise<SettledCharge> {
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

  private countCharge(outcome: SettledCharge): void {
    this.deps.metrics.charges.inc({
      outcome: outcome.declineCode === 'no_payment_method' ? 'no_payment_method' : outcome.status,
    });
  }

  /**
   * Counts a failed attempt to take the receipt's money; a receipt with an entry hold whose attempts reach
   * collectionAfterAttempts goes to staff collection (its hold is voided). Answers the receipt's status.
   */
  private async recordFailedAttempt(receipt: StoredReceipt, failure: ApiError): Promise<ReceiptStatus> {
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
  private async voidHoldOf(visitId: string): Promise<void> {
    const hold = await this.deps.holds.boundTo(visitId);
    if (hold !== undefined && (hold.status === 'held' || hold.status === 'voiding')) {
      await this.deps.holds.release(hold.holdId);
    }
  }

  /** Charges a pending receipt (again, if an earlier attempt died) and records the outcome once. */
  private async settle(receipt: StoredReceipt): Promise<ReceiptStatus> {
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
