// Turns a visit upload into exactly one receipt and at most one charge, however often it is delivered:
// the visit id is the primary key (repeats and concurrent duplicates find the first receipt) and the charge
// goes to the provider under the key charge:visit:<visitId>, so retrying a pending receipt is safe.
import { createHash, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../shared/clock.ts';
import type { VisitUpload } from '../../shared/schemas/visit.ts';
import {
  type ChargeResult,
  type PaymentProvider,
  PaymentProviderError,
} from '../billing/payment-provider.ts';
import { type Database, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { CloudMetrics } from '../http/cloud-metrics.ts';
import { type CatalogPrice, priceVisit, visitFingerprintInput } from './price-visit.ts';
import type { ReceiptStatus, VisitReceipt } from './receipt-schemas.ts';

export interface IngestResult extends VisitReceipt {
  /** False when this delivery repeated a visit already stored. */
  created: boolean;
}

interface StoredReceipt {
  receipt_id: string;
  visit_id: string;
  store_id: string;
  account_id: string;
  status: ReceiptStatus;
  total_cents: unknown;
  currency: string;
  payment_method_token: string | null;
  fingerprint: string;
}

export const chargeKeyOf = (visitId: string) => `charge:visit:${visitId}`;

export class VisitIngest {
  constructor(
    private readonly db: Database,
    private readonly provider: PaymentProvider,
    private readonly metrics: CloudMetrics,
    private readonly clock: Clock,
    private readonly log: FastifyBaseLogger,
  ) {}

  async ingest(storeId: string, visit: VisitUpload): Promise<IngestResult> {
    if (visit.exitedAt < visit.enteredAt) {
      throw new ApiError(
        400,
        'invalid_visit',
        'exitedAt is before enteredAt: check the edge clock and the visit.',
      );
    }
    const fingerprint = createHash('sha256')
      .update(visitFingerprintInput(storeId, visit.accountId, visit.lines))
      .digest('hex');
    let receipt = await this.findReceipt(visit.visitId);
    let created = false;
    if (receipt === undefined) {
      created = await this.store(storeId, visit, fingerprint);
      receipt = await this.findReceipt(visit.visitId);
      if (receipt === undefined) throw new Error(`receipt of visit ${visit.visitId} missing after ingest`);
    }
    if (receipt.fingerprint !== fingerprint || receipt.store_id !== storeId) {
      throw new ApiError(
        409,
        'idempotency_key_reused',
        `Visit ${visit.visitId} was already uploaded with a different store, account or cart: use a new visitId for a new visit.`,
      );
    }
    (created ? this.metrics.visitsIngested : this.metrics.duplicateDeliveries).inc({ store: storeId });
    const status = receipt.status === 'pending_payment' ? await this.settle(receipt) : receipt.status;
    return { receiptId: receipt.receipt_id, status, totalCents: toNumber(receipt.total_cents), created };
  }

  private async findReceipt(visitId: string): Promise<StoredReceipt | undefined> {
    const rows = await this.db.query<StoredReceipt>(
      `SELECT r.receipt_id, r.visit_id, r.store_id, r.account_id, r.status, r.total_cents, r.currency,
              r.payment_method_token, v.fingerprint
       FROM receipts r JOIN visits v ON v.visit_id = r.visit_id WHERE r.visit_id = $1`,
      [visitId],
    );
    return rows[0];
  }

  /** Prices the cart and stores visit + receipt in one transaction; false when a concurrent delivery won. */
  private async store(storeId: string, visit: VisitUpload, fingerprint: string): Promise<boolean> {
    const catalog = await this.db.query<{ sku: string; name: string; price_cents: unknown }>(
      'SELECT sku, name, price_cents FROM products WHERE store_id = $1 AND sku = ANY($2::text[])',
      [storeId, visit.lines.map((line) => line.sku)],
    );
    const prices = new Map<string, CatalogPrice>(
      catalog.map((row) => [row.sku, { name: row.name, priceCents: toNumber(row.price_cents) }]),
    );
    const priced = priceVisit(visit.lines, prices);
    if (!priced.ok) {
      throw new ApiError(
        422,
        'unknown_sku',
        `SKU ${priced.unknownSkus.join(', ')} is not in the catalog of store ${storeId}: sync the edge's store config.`,
      );
    }
    const account = await this.db.query<{ provider_token: string | null; currency: string }>(
      `SELECT (SELECT provider_token FROM payment_methods p WHERE p.account_id = a.account_id
               ORDER BY created_at DESC, payment_method_id LIMIT 1) AS provider_token,
              (SELECT currency FROM stores WHERE store_id = $2) AS currency
       FROM accounts a WHERE a.account_id = $1`,
      [visit.accountId, storeId],
    );
    const shopper = account[0];
    if (shopper === undefined) {
      throw new ApiError(
        422,
        'unknown_account',
        `Account ${visit.accountId} does not exist: check the entry token.`,
      );
    }
    const now = this.clock.now();
    const receiptId = randomUUID();
    return this.db.transaction(async (tx) => {
      const inserted = await tx.query(
        `INSERT INTO visits (visit_id, store_id, account_id, entered_at, exited_at, party, fingerprint, events, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9) ON CONFLICT (visit_id) DO NOTHING RETURNING visit_id`,
        [
          visit.visitId,
          storeId,
          visit.accountId,
          visit.enteredAt,
          visit.exitedAt,
          visit.party,
          fingerprint,
          JSON.stringify(visit.events),
          now,
        ],
      );
      if (inserted.length === 0) return false;
      // Nothing to charge for an empty cart: it is paid as it stands.
      const status: ReceiptStatus = priced.totalCents === 0 ? 'paid' : 'pending_payment';
      await tx.query(
        `INSERT INTO receipts (receipt_id, visit_id, store_id, account_id, entered_at, exited_at, total_cents,
           currency, status, payment_method_token, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)`,
        [
          receiptId,
          visit.visitId,
          storeId,
          visit.accountId,
          visit.enteredAt,
          visit.exitedAt,
          priced.totalCents,
          shopper.currency,
          status,
          shopper.provider_token,
          now,
        ],
      );
      for (const [i, line] of priced.lines.entries()) {
        await tx.query(
          `INSERT INTO receipt_lines (receipt_id, line_no, sku, name, quantity, unit_price_cents, total_cents)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [receiptId, i + 1, line.sku, line.name, line.quantity, line.unitPriceCents, line.totalCents],
        );
      }
      return true;
    });
  }

  /** Charges a pending receipt (again, if an earlier attempt died) and records the outcome once. */
  private async settle(receipt: StoredReceipt): Promise<ReceiptStatus> {
    let outcome: ChargeResult | { chargeId: null; status: 'declined'; declineCode: 'no_payment_method' };
    if (receipt.payment_method_token === null) {
      outcome = { chargeId: null, status: 'declined', declineCode: 'no_payment_method' };
    } else {
      try {
        outcome = await this.provider.charge({
          idempotencyKey: chargeKeyOf(receipt.visit_id),
          customerRef: receipt.account_id,
          paymentMethodToken: receipt.payment_method_token,
          amountCents: toNumber(receipt.total_cents),
          currency: receipt.currency,
        });
      } catch (err) {
        this.log.error(
          { err, visitId: receipt.visit_id },
          'charge failed; the receipt stays pending_payment',
        );
        const detail = err instanceof PaymentProviderError ? ` (${err.code})` : '';
        throw new ApiError(
          503,
          'payment_provider_unavailable',
          `The visit is stored but could not be charged yet${detail}: deliver it again later.`,
        );
      }
    }
    const status: ReceiptStatus = outcome.status === 'succeeded' ? 'paid' : 'declined';
    // Only the delivery that moves the receipt out of pending_payment records the outcome and counts it.
    const settled = await this.db.transaction(async (tx) => {
      const moved = await tx.query(
        `UPDATE receipts SET status = $1, charge_id = $2, decline_code = $3, updated_at = $4
         WHERE receipt_id = $5 AND status = 'pending_payment' RETURNING receipt_id`,
        [status, outcome.chargeId, outcome.declineCode ?? null, this.clock.now(), receipt.receipt_id],
      );
      if (moved.length > 0 && status === 'declined') {
        await tx.query(`UPDATE accounts SET payment_standing = 'declined' WHERE account_id = $1`, [
          receipt.account_id,
        ]);
      }
      return moved.length > 0;
    });
    if (settled) {
      this.metrics.charges.inc({
        outcome: outcome.declineCode === 'no_payment_method' ? 'no_payment_method' : outcome.status,
      });
      this.log.info(
        { visitId: receipt.visit_id, status, declineCode: outcome.declineCode },
        'receipt settled',
      );
    }
    return status;
  }
}
