// The entry hold (table payment_holds): placed on the shopper's card before an entry token is issued (one hold
// per account and store while unused, so renewing the QR code holds nothing more), bound to the one visit
// billed on its tokens, captured against the receipt's total, and voided when nothing is to be captured — an
// empty visit, or tokens never used past the expiry. A void is marked due ('voiding') before the provider is
// asked, so a failed void is retried by the hold-release job and listed by reconciliation until it succeeds.

import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../shared/clock.ts';
import { type Database, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { type CaptureResult, type PaymentProvider, PaymentProviderError } from './payment-provider.ts';

export interface PaymentHoldSettings {
  /**
   * Cents held at entry when the store's config names no `entryHoldCents`: 5000 (50.00) covers the carts of
   * the sample store's scenarios (their largest receipt is under 40.00) while staying a modest hold.
   */
  defaultEntryHoldCents: number;
  /**
   * An unbound hold (its tokens were never billed) is voided this long after it was placed or last reused
   * (ms). 12 h: longer than any visit plus an edge outbox outage of a shift; a visit uploaded later still
   * pays, by a plain charge. Card holds lapse at the issuer after about 7 days anyway.
   */
  unusedHoldExpiryMs: number;
  /**
   * Failed captures of a visit (its upload, the charge-retry job's runs and the minute sweeps) after which
   * the receipt goes to staff collection. Default: the upload, the job's first run and its retries.
   */
  collectionAfterAttempts: number;
}

export const DEFAULT_PAYMENT_HOLD_SETTINGS: PaymentHoldSettings = {
  defaultEntryHoldCents: 5000,
  unusedHoldExpiryMs: 12 * 3600_000,
  collectionAfterAttempts: 7,
};

/** A hold bound to a visit, as the capture needs it. */
export interface BoundHold {
  holdId: string;
  authorisationId: string;
  amountCents: number;
  status: 'held' | 'voiding' | 'captured' | 'voided';
}

export interface ReleaseOutcome {
  voided: number;
  failed: number;
}

export interface PaymentHoldsDeps {
  db: Database;
  provider: PaymentProvider;
  clock: Clock;
  log: FastifyBaseLogger;
  settings: PaymentHoldSettings;
}

/** Reuse an unbound hold only while it has at least this long to live (ms), so the release job never races it. */
const REUSE_MARGIN_MS = 60_000;

export const holdKeyOf = (holdId: string) => `hold:${holdId}`;
export const voidKeyOf = (holdId: string) => `void:hold:${holdId}`;

interface HoldRow {
  hold_id: string;
  authorisation_id: string;
  amount_cents: unknown;
  status: BoundHold['status'];
}

const toBound = (row: HoldRow): BoundHold => ({
  holdId: row.hold_id,
  authorisationId: row.authorisation_id,
  amountCents: toNumber(row.amount_cents),
  status: row.status,
});

export class PaymentHolds {
  constructor(private readonly deps: PaymentHoldsDeps) {}

  get settings(): PaymentHoldSettings {
    return this.deps.settings;
  }

  /**
   * The hold an entry token for `accountId` at `storeId` names: an unbound one of this account, store, card
   * and amount (extended), or a new one. Undefined when the store holds nothing (entryHoldCents 0). Throws 402
   * entry_hold_declined when the card declines the hold, 503 when the provider fails: no token either way.
   */
  async holdForEntry(accountId: string, storeId: string): Promise<string | undefined> {
    const { db, clock, provider, settings } = this.deps;
    const [want] = await db.query<{ currency: string; hold_cents: unknown; token: string | null }>(
      `SELECT s.currency,
              (SELECT (c.config->>'entryHoldCents')::bigint FROM store_config_versions c
               WHERE c.store_id = s.store_id ORDER BY c.version DESC LIMIT 1) AS hold_cents,
              (SELECT p.provider_token FROM payment_methods p WHERE p.account_id = $1
               ORDER BY p.created_at DESC, p.payment_method_id LIMIT 1) AS token
       FROM stores s WHERE s.store_id = $2`,
      [accountId, storeId],
    );
    if (want === undefined || want.token === null) return undefined;
    const amountCents = want.hold_cents === null ? settings.defaultEntryHoldCents : toNumber(want.hold_cents);
    if (amountCents === 0) return undefined;
    const now = clock.now();
    const expiresAt = now + settings.unusedHoldExpiryMs;
    const [reused] = await db.query<{ hold_id: string }>(
      `UPDATE payment_holds SET expires_at = $6 WHERE hold_id = (
         SELECT hold_id FROM payment_holds
         WHERE account_id = $1 AND store_id = $2 AND status = 'held' AND visit_id IS NULL
           AND payment_method_token = $3 AND amount_cents = $4 AND currency = $5 AND expires_at > $7
         ORDER BY created_at DESC LIMIT 1)
       AND status = 'held' AND visit_id IS NULL
       RETURNING hold_id`,
      [accountId, storeId, want.token, amountCents, want.currency, expiresAt, now + REUSE_MARGIN_MS],
    );
    if (reused !== undefined) return reused.hold_id;
    const holdId = randomUUID();
    const result = await provider
      .authorise({
        idempotencyKey: holdKeyOf(holdId),
        customerRef: accountId,
        paymentMethodToken: want.token,
        amountCents,
        currency: want.currency,
      })
      .catch((err: unknown) => {
        this.deps.log.error({ err, accountId, storeId }, 'entry hold failed at the provider');
        const detail = err instanceof PaymentProviderError ? ` (${err.code})` : '';
        throw new ApiError(
          503,
          'payment_provider_unavailable',
          `The entry hold could not be placed${detail}: ask for an entry token again in a moment.`,
        );
      });
    if (result.status === 'declined') {
      throw new ApiError(
        402,
        'entry_hold_declined',
        `The card was declined (${result.declineCode ?? 'declined'}) for the entry hold of ${amountCents} cents: add another card (POST /v1/me/payment-methods), then ask for an entry token again.`,
      );
    }
    await db.query(
      `INSERT INTO payment_holds (hold_id, account_id, store_id, authorisation_id, payment_method_token,
         amount_cents, currency, status, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'held', $8, $9)`,
      [
        holdId,
        accountId,
        storeId,
        result.authorisationId,
        want.token,
        amountCents,
        want.currency,
        now,
        expiresAt,
      ],
    );
    return holdId;
  }

  /** The hold bound to the visit, whatever its status. */
  async boundTo(visitId: string): Promise<BoundHold | undefined> {
    const rows = await this.deps.db.query<HoldRow>(
      'SELECT hold_id, authorisation_id, amount_cents, status FROM payment_holds WHERE visit_id = $1',
      [visitId],
    );
    return rows[0] === undefined ? undefined : toBound(rows[0]);
  }

  /**
   * Captures the visit's total against its hold under the visit's charge key (so it is the visit's one
   * charge, replayed on a retry) and records it; the provider releases the rest of the hold. Throws the
   * provider's failure.
   */
  async capture(hold: BoundHold, chargeKey: string, amountCents: number): Promise<CaptureResult> {
    const captured = await this.deps.provider.capture({
      idempotencyKey: chargeKey,
      authorisationId: hold.authorisationId,
      amountCents,
    });
    await this.deps.db.query(
      `UPDATE payment_holds SET status = 'captured', captured_cents = $2, closed_at = $3
       WHERE hold_id = $1 AND status = 'held'`,
      [hold.holdId, amountCents, this.deps.clock.now()],
    );
    return captured;
  }

  /**
   * Voids a hold (marked 'voiding' first): true when voided now or before. A provider failure is recorded on
   * the hold and leaves it 'voiding' for the hold-release job; false then.
   */
  async release(holdId: string): Promise<boolean> {
    const { db, provider, clock, log } = this.deps;
    const [row] = await db.query<HoldRow>(
      `UPDATE payment_holds SET status = 'voiding' WHERE hold_id = $1 AND status IN ('held', 'voiding')
       RETURNING hold_id, authorisation_id, amount_cents, status`,
      [holdId],
    );
    if (row === undefined) return true;
    let closedAs: 'voided' | 'captured' = 'voided';
    try {
      await provider.void({ idempotencyKey: voidKeyOf(holdId), authorisationId: row.authorisation_id });
    } catch (err) {
      // Captured at the provider already (a capture whose record was lost): nothing is left to release.
      if (err instanceof PaymentProviderError && err.code === 'authorisation_closed') closedAs = 'captured';
      else {
        const reason = err instanceof PaymentProviderError ? err.code : String(err);
        await db.query(
          'UPDATE payment_holds SET void_failures = void_failures + 1, last_error = $2 WHERE hold_id = $1',
          [holdId, reason.slice(0, 200)],
        );
        log.warn({ err, holdId }, 'hold not voided; the hold-release job retries it');
        return false;
      }
    }
    await db.query(
      `UPDATE payment_holds SET status = $3, closed_at = $2 WHERE hold_id = $1 AND status = 'voiding'`,
      [holdId, clock.now(), closedAs],
    );
    return true;
  }

  /**
   * Voids the holds that should no longer be open (at most `limit`): voids due, unbound holds past their
   * expiry, and bound holds whose receipt was settled without them (a plain charge, or staff collection).
   */
  async releaseDue(limit: number): Promise<ReleaseOutcome> {
    const due = await this.deps.db.query<{ hold_id: string }>(
      `SELECT h.hold_id FROM payment_holds h
       LEFT JOIN receipts r ON r.visit_id = h.visit_id
       WHERE h.status = 'voiding'
          OR (h.status = 'held' AND h.visit_id IS NULL AND h.expires_at <= $1)
          OR (h.status = 'held' AND r.status IS NOT NULL AND r.status <> 'pending_payment')
       ORDER BY h.expires_at LIMIT $2`,
      [this.deps.clock.now(), limit],
    );
    let voided = 0;
    let failed = 0;
    for (const { hold_id } of due) {
      if (await this.release(hold_id)) voided += 1;
      else failed += 1;
    }
    return { voided, failed };
  }
}
