// The sandbox provider's holds (provider_authorisations): authorise, capture against a hold (less than the
// hold releases the rest; more is an over-capture, allowed here without limit), void. Each step is
// idempotent by its key, and the test cards decline or fail at the step they name (SANDBOX_CARDS).
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import { type Database, toNumber } from '../db/database.ts';
import {
  type AuthoriseRequest,
  type AuthoriseResult,
  type CaptureRequest,
  type CaptureResult,
  PaymentProviderError,
  type VoidRequest,
  type VoidResult,
} from './payment-provider.ts';
import { rowOfKey } from './sandbox-idempotency.ts';

/** What a hold step needs to know of a sandbox card. */
export interface HoldCard {
  declineCode?: string;
  holdDeclineCode?: string;
  failsAt?: 'capture' | 'void';
}

interface AuthorisationRow {
  authorisation_id: string;
  customer_ref: string;
  payment_method_token: string;
  amount_cents: unknown;
  currency: string;
  status: 'authorised' | 'declined' | 'captured' | 'voided';
  decline_code: string | null;
  void_key: string | null;
}

const assertAmount = (amountCents: number, what: string) => {
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) {
    throw new PaymentProviderError('invalid_amount', `${what} must be a positive integer of cents`);
  }
};

export class SandboxHolds {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly cardOf: (token: string) => HoldCard | undefined,
  ) {}

  async authorise(request: AuthoriseRequest): Promise<AuthoriseResult> {
    assertAmount(request.amountCents, 'a hold');
    const card = this.cardOf(request.paymentMethodToken);
    if (card === undefined) {
      throw new PaymentProviderError('unknown_payment_method', 'no such payment method at the provider');
    }
    const declineCode = card.declineCode ?? card.holdDeclineCode ?? null;
    const now = this.clock.now();
    // As for charges: the unique key decides a race, the losers read the winner's row.
    const inserted = await this.db.query<AuthorisationRow>(
      `INSERT INTO provider_authorisations (authorisation_id, idempotency_key, customer_ref,
         payment_method_token, amount_cents, currency, status, decline_code, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING *`,
      [
        `auth_${randomUUID()}`,
        request.idempotencyKey,
        request.customerRef,
        request.paymentMethodToken,
        request.amountCents,
        request.currency,
        declineCode === null ? 'authorised' : 'declined',
        declineCode,
        now,
      ],
    );
    const row = await rowOfKey(this.db, 'provider_authorisations', inserted, request, 'hold');
    return row.decline_code === null
      ? { authorisationId: row.authorisation_id, status: 'authorised' }
      : { authorisationId: row.authorisation_id, status: 'declined', declineCode: row.decline_code };
  }

  async capture(request: CaptureRequest): Promise<CaptureResult> {
    assertAmount(request.amountCents, 'a capture');
    return this.db.transaction(async (tx) => {
      const hold = await this.lockHold(tx, request.authorisationId);
      const previous = (
        await tx.query<{ charge_id: string; authorisation_id: string | null; amount_cents: unknown }>(
          'SELECT charge_id, authorisation_id, amount_cents FROM provider_charges WHERE idempotency_key = $1',
          [request.idempotencyKey],
        )
      )[0];
      if (previous !== undefined) {
        if (
          previous.authorisation_id !== request.authorisationId ||
          toNumber(previous.amount_cents) !== request.amountCents
        ) {
          throw new PaymentProviderError(
            'idempotency_key_reused',
            `idempotency key ${request.idempotencyKey} was already used for a different charge or capture`,
          );
        }
        return {
          chargeId: previous.charge_id,
          authorisationId: hold.authorisation_id,
          amountCents: request.amountCents,
        };
      }
      if (this.cardOf(hold.payment_method_token)?.failsAt === 'capture') {
        throw new PaymentProviderError('processor_error', 'the processor failed the capture (test card)');
      }
      if (hold.status !== 'authorised') {
        throw new PaymentProviderError(
          'authorisation_closed',
          `the hold is ${hold.status}: nothing to capture`,
        );
      }
      const chargeId = `ch_${randomUUID()}`;
      const now = this.clock.now();
      await tx.query(
        `INSERT INTO provider_charges (charge_id, idempotency_key, customer_ref, payment_method_token,
           amount_cents, currency, status, decline_code, created_at, authorisation_id)
         VALUES ($1, $2, $3, $4, $5, $6, 'succeeded', NULL, $7, $8)`,
        [
          chargeId,
          request.idempotencyKey,
          hold.customer_ref,
          hold.payment_method_token,
          request.amountCents,
          hold.currency,
          now,
          hold.authorisation_id,
        ],
      );
      await tx.query(
        `UPDATE provider_authorisations SET status = 'captured', charge_id = $2, captured_cents = $3,
           updated_at = $4 WHERE authorisation_id = $1`,
        [hold.authorisation_id, chargeId, request.amountCents, now],
      );
      return { chargeId, authorisationId: hold.authorisation_id, amountCents: request.amountCents };
    });
  }

  async void(request: VoidRequest): Promise<VoidResult> {
    return this.db.transaction(async (tx) => {
      const hold = await this.lockHold(tx, request.authorisationId);
      const released = { authorisationId: hold.authorisation_id, releasedCents: toNumber(hold.amount_cents) };
      if (hold.void_key === request.idempotencyKey) return released;
      if (this.cardOf(hold.payment_method_token)?.failsAt === 'void') {
        throw new PaymentProviderError('processor_error', 'the processor failed the void (test card)');
      }
      if (hold.status !== 'authorised') {
        throw new PaymentProviderError('authorisation_closed', `the hold is ${hold.status}: nothing to void`);
      }
      await tx.query(
        `UPDATE provider_authorisations SET status = 'voided', void_key = $2, updated_at = $3
         WHERE authorisation_id = $1`,
        [hold.authorisation_id, request.idempotencyKey, this.clock.now()],
      );
      return released;
    });
  }

  /** Locks the hold so concurrent captures and voids of it are serialised. */
  private async lockHold(tx: Pick<Database, 'query'>, authorisationId: string): Promise<AuthorisationRow> {
    const hold = (
      await tx.query<AuthorisationRow>(
        'SELECT * FROM provider_authorisations WHERE authorisation_id = $1 FOR UPDATE',
        [authorisationId],
      )
    )[0];
    if (hold === undefined) throw new PaymentProviderError('unknown_authorisation', 'no such hold');
    return hold;
  }
}
