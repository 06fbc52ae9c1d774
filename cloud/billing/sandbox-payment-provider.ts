// A payment provider that behaves like a real one without moving money: fixed test cards, its own ledger
// (provider_charges, provider_refunds, provider_authorisations) and idempotency enforced by unique keys, so
// retries are safe. Holds: a capture may be less than the hold (the rest is released) or more (an
// over-capture, which this sandbox allows without limit); a void releases a hold with nothing captured.
// Charges asked for in the same event-loop turn are recorded by one statement (StatementBatcher), as the
// cloud's own ingest statements are; a real provider is an HTTP call instead and costs the database nothing.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import { type Database, toNumber } from '../db/database.ts';
import { DEFAULT_STATEMENT_BATCH_SETTINGS, StatementBatcher } from '../db/statement-batcher.ts';
import {
  type AuthoriseRequest,
  type AuthoriseResult,
  type CaptureRequest,
  type CaptureResult,
  type CardDetails,
  type ChargeRequest,
  type ChargeResult,
  type PaymentProvider,
  PaymentProviderError,
  type RefundRequest,
  type RefundResult,
  type VoidRequest,
  type VoidResult,
} from './payment-provider.ts';
import { SandboxHolds } from './sandbox-holds.ts';
import { rowOfKey } from './sandbox-idempotency.ts';

interface SandboxCard {
  brand: string;
  last4: string;
  /** Every charge and hold on the card is declined with this code. */
  declineCode?: string;
  /** Only holds on the card are declined, with this code (its charges succeed). */
  holdDeclineCode?: string;
  /** The processor fails this step on the card every time (PaymentProviderError processor_error), as in an outage. */
  failsAt?: 'capture' | 'void';
}

/** Test card tokens, named as Stripe's test mode names them; the last three fail at one step of a hold each. */
export const SANDBOX_CARDS: Readonly<Record<string, SandboxCard>> = {
  tok_visa: { brand: 'visa', last4: '4242' },
  tok_mastercard: { brand: 'mastercard', last4: '4444' },
  tok_chargeDeclined: { brand: 'visa', last4: '0002', declineCode: 'card_declined' },
  tok_insufficientFunds: { brand: 'visa', last4: '9995', declineCode: 'insufficient_funds' },
  tok_holdDeclined: { brand: 'visa', last4: '0119', holdDeclineCode: 'card_declined' },
  tok_captureFails: { brand: 'visa', last4: '0259', failsAt: 'capture' },
  tok_voidFails: { brand: 'visa', last4: '0267', failsAt: 'void' },
};

const cardOf = (token: string): SandboxCard | undefined =>
  Object.hasOwn(SANDBOX_CARDS, token) ? SANDBOX_CARDS[token] : undefined;

interface ChargeRow {
  charge_id: string;
  customer_ref: string;
  payment_method_token: string;
  amount_cents: unknown;
  currency: string;
  status: 'succeeded' | 'declined';
  decline_code: string | null;
  refunded_cents: unknown;
}

/** A charge to record: the provider_charges row it inserts unless its idempotency key is taken. */
interface NewCharge {
  chargeId: string;
  request: ChargeRequest;
  status: 'succeeded' | 'declined';
  declineCode: string | null;
  createdAt: number;
}

// In idempotency key order, so two statements inserting the same keys wait on each other in the same order.
const INSERT_CHARGES_SQL = `
INSERT INTO provider_charges (charge_id, idempotency_key, customer_ref, payment_method_token, amount_cents,
                              currency, status, decline_code, created_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[],
                     $8::text[], $9::bigint[])
       AS c(charge_id, idempotency_key, customer_ref, payment_method_token, amount_cents, currency, status,
            decline_code, created_at)
ORDER BY c.idempotency_key
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING *`;

/** Records the charges in one statement: each one's row when it inserted it, undefined when its key was taken. */
async function insertCharges(
  db: Database,
  charges: readonly NewCharge[],
): Promise<Array<ChargeRow | undefined>> {
  const rows = await db.query<ChargeRow & { idempotency_key: string }>(INSERT_CHARGES_SQL, [
    charges.map((c) => c.chargeId),
    charges.map((c) => c.request.idempotencyKey),
    charges.map((c) => c.request.customerRef),
    charges.map((c) => c.request.paymentMethodToken),
    charges.map((c) => c.request.amountCents),
    charges.map((c) => c.request.currency),
    charges.map((c) => c.status),
    charges.map((c) => c.declineCode),
    charges.map((c) => c.createdAt),
  ]);
  const byKey = new Map(rows.map((row) => [row.idempotency_key, row]));
  return charges.map((c) => byKey.get(c.request.idempotencyKey));
}

function toResult(row: ChargeRow): ChargeResult {
  return row.decline_code === null
    ? { chargeId: row.charge_id, status: row.status }
    : { chargeId: row.charge_id, status: row.status, declineCode: row.decline_code };
}

export class SandboxPaymentProvider implements PaymentProvider {
  private readonly holds: SandboxHolds;
  private readonly charges: StatementBatcher<NewCharge, ChargeRow | undefined>;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {
    this.holds = new SandboxHolds(db, clock, cardOf);
    this.charges = new StatementBatcher(
      {
        run: (charges) => insertCharges(db, charges),
        // Two charges under one key never share a statement: the second finds the first's row.
        keysOf: (charge) => [charge.request.idempotencyKey],
      },
      DEFAULT_STATEMENT_BATCH_SETTINGS,
    );
  }

  authorise(request: AuthoriseRequest): Promise<AuthoriseResult> {
    return this.holds.authorise(request);
  }

  capture(request: CaptureRequest): Promise<CaptureResult> {
    return this.holds.capture(request);
  }

  void(request: VoidRequest): Promise<VoidResult> {
    return this.holds.void(request);
  }

  async attachCard(cardToken: string): Promise<CardDetails> {
    const card = cardOf(cardToken);
    if (card === undefined) {
      throw new PaymentProviderError(
        'unknown_card_token',
        `unknown card token; sandbox tokens are ${Object.keys(SANDBOX_CARDS).join(', ')}`,
      );
    }
    // Sandbox payment methods are the card tokens themselves, as Stripe's pm_card_visa is.
    return { paymentMethodToken: cardToken, brand: card.brand, last4: card.last4 };
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    if (!Number.isSafeInteger(request.amountCents) || request.amountCents <= 0) {
      throw new PaymentProviderError('invalid_amount', `amount must be a positive integer of cents`);
    }
    const card = cardOf(request.paymentMethodToken);
    if (card === undefined) {
      throw new PaymentProviderError('unknown_payment_method', 'no such payment method at the provider');
    }
    const status = card.declineCode === undefined ? 'succeeded' : 'declined';
    // The unique idempotency key decides the race: exactly one insert wins, the others read its result.
    const inserted = await this.charges.run({
      chargeId: `ch_${randomUUID()}`,
      request,
      status,
      declineCode: card.declineCode ?? null,
      createdAt: this.clock.now(),
    });
    const row = await rowOfKey(
      this.db,
      'provider_charges',
      inserted === undefined ? [] : [inserted],
      request,
      'charge',
    );
    return toResult(row);
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    if (!Number.isSafeInteger(request.amountCents) || request.amountCents <= 0) {
      throw new PaymentProviderError('invalid_amount', 'refund amount must be a positive integer of cents');
    }
    return this.db.transaction(async (tx) => {
      // Locking the charge first serialises refunds of it, so the running total cannot be overdrawn.
      const charge = (
        await tx.query<ChargeRow>('SELECT * FROM provider_charges WHERE charge_id = $1 FOR UPDATE', [
          request.chargeId,
        ])
      )[0];
      if (charge === undefined) throw new PaymentProviderError('unknown_charge', 'no such charge');
      const previous = (
        await tx.query<{ refund_id: string; charge_id: string; amount_cents: unknown }>(
          'SELECT refund_id, charge_id, amount_cents FROM provider_refunds WHERE idempotency_key = $1',
          [request.idempotencyKey],
        )
      )[0];
      if (previous !== undefined) {
        if (
          previous.charge_id !== request.chargeId ||
          toNumber(previous.amount_cents) !== request.amountCents
        ) {
          throw new PaymentProviderError(
            'idempotency_key_reused',
            `idempotency key ${request.idempotencyKey} was already used for a different refund`,
          );
        }
        return { refundId: previous.refund_id, chargeId: request.chargeId, amountCents: request.amountCents };
      }
      if (charge.status !== 'succeeded') {
        throw new PaymentProviderError('charge_not_refundable', 'only a succeeded charge can be refunded');
      }
      const refundable = toNumber(charge.amount_cents) - toNumber(charge.refunded_cents);
      if (request.amountCents > refundable) {
        throw new PaymentProviderError(
          'refund_exceeds_capture',
          `refund of ${request.amountCents} exceeds the ${refundable} cents still refundable`,
        );
      }
      const refundId = `re_${randomUUID()}`;
      await tx.query(
        `INSERT INTO provider_refunds (refund_id, idempotency_key, charge_id, amount_cents, created_at)
         VALUES ($1, $2, $3, $4, $5)`,
        [refundId, request.idempotencyKey, request.chargeId, request.amountCents, this.clock.now()],
      );
      await tx.query(
        'UPDATE provider_charges SET refunded_cents = refunded_cents + $1 WHERE charge_id = $2',
        [request.amountCents, request.chargeId],
      );
      return { refundId, chargeId: request.chargeId, amountCents: request.amountCents };
    });
  }
}
