// Turns a visit upload into exactly one receipt and at most one charge, however often it is delivered:
// the visit id is the primary key (repeats and concurrent duplicates find the first receipt) and the money is
// taken by receipt-payment.ts under the provider key charge:visit:<visitId>, so retrying a pending receipt is
// safe: a capture against the entry hold its tokens name when there is one (an empty visit voids it), else a
// plain charge; a capture still failing after the retries sends the receipt to staff collection.
// A first delivery costs three statements: its lookup with the claim of its entry token(s) and the binding of
// their hold (visit-lookup.ts), the provider's capture or charge, and one write (store-visit.ts); the lookups
// and the writes of concurrent uploads are batched into one statement each (StatementBatcher). Deliveries of
// one visit reaching this replica together are taken one after another, so a repeat finds the receipt the
// first made instead of racing it to the provider. A visit is billed only to the account its entry token was
// issued to, at that store, and each token pays for one visit.
import { createHash, randomUUID } from 'node:crypto';
import type { VisitUpload } from '../../shared/schemas/visit.ts';
import type { EntryTokenRegistry } from '../accounts/entry-token-registry.ts';
import { ReceiptPayment, type ReceiptPaymentDeps } from '../billing/receipt-payment.ts';
import { toNumber } from '../db/database.ts';
import {
  DEFAULT_STATEMENT_BATCH_SETTINGS,
  StatementBatcher,
  type StatementBatchSettings,
} from '../db/statement-batcher.ts';
import { ApiError } from '../http/api-error.ts';
import { evidenceEvents, summariseBehaviour } from '../profile/behaviour-summary.ts';
import { pointsFor } from '../profile/points-rule.ts';
import type { PriceList, StoreCatalog } from '../stores/price-list.ts';
import { type PricedVisit, priceVisit, visitFingerprintInput } from './price-visit.ts';
import type { ReceiptStatus, VisitReceipt } from './receipt-schemas.ts';
import { type StoreVisitOutcome, storeVisitStatement, type VisitToStore } from './store-visit.ts';
import {
  type LookupRequest,
  type StoredReceipt,
  type VisitLookup,
  visitLookupStatement,
} from './visit-lookup.ts';

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

export interface VisitIngestDeps extends ReceiptPaymentDeps {
  priceList: PriceList;
  entryTokens: EntryTokenRegistry;
  /**
   * 'require' (default, and the only choice in production): an upload without entryTokenIds is refused with
   * entry_token_required. 'allow-missing': such an upload (an edge from before tokens were named) is billed
   * to the account it names, logged and counted — for a development rollout only; a named token is always
   * checked.
   */
  visitsWithoutEntryToken?: 'require' | 'allow-missing';
  /** How concurrent uploads' lookups and writes are batched (default DEFAULT_STATEMENT_BATCH_SETTINGS). */
  batching?: StatementBatchSettings;
}

export class VisitIngest {
  private readonly payment: ReceiptPayment;
  private readonly lookups: StatementBatcher<LookupRequest, VisitLookup>;
  private readonly writes: StatementBatcher<VisitToStore, StoreVisitOutcome>;
  /** by visit id: the end of the last delivery of it being ingested here (never rejects) */
  private readonly ingesting = new Map<string, Promise<void>>();

  constructor(private readonly deps: VisitIngestDeps) {
    this.payment = new ReceiptPayment(deps);
    const batching = deps.batching ?? DEFAULT_STATEMENT_BATCH_SETTINGS;
    this.lookups = new StatementBatcher(visitLookupStatement(deps.db), batching);
    this.writes = new StatementBatcher(storeVisitStatement(deps.db), batching);
  }

  /**
   * `configVersion`: the store's config version in force (from its credential check), to price at. A
   * delivery of a visit already being ingested here waits for it, then is answered as a repeat.
   */
  async ingest(storeId: string, visit: VisitUpload, configVersion?: number): Promise<IngestResult> {
    const { visitId } = visit;
    const before = this.ingesting.get(visitId);
    const result = (before ?? Promise.resolve()).then(() => this.ingestNow(storeId, visit, configVersion));
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.ingesting.set(visitId, done);
    try {
      return await result;
    } finally {
      if (this.ingesting.get(visitId) === done) this.ingesting.delete(visitId);
    }
  }

  private async ingestNow(
    storeId: string,
    visit: VisitUpload,
    configVersion?: number,
  ): Promise<IngestResult> {
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
    const found = await this.lookups.run({ visit, claim, jtis: entryTokenIds });
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
    const status = receipt.status === 'pending_payment' ? await this.payment.settle(receipt) : receipt.status;
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
    return receipt.status === 'pending_payment' ? this.payment.settle(receipt) : receipt.status;
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
    const { outcome, providerFailure } = await this.payment.chargeIfDue(receipt, hold);
    const stored = await this.writes.run({
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
      await this.payment.recordFailedAttempt(receipt, providerFailure);
      throw providerFailure;
    }
    if (outcome !== undefined) this.payment.countCharge(outcome);
    if (priced.totalCents === 0) await this.payment.voidHoldOf(visit.visitId);
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
}
