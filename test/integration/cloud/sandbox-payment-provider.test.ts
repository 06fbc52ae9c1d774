// The sandbox payment provider against a real database (PGlite and PostgreSQL): test cards, idempotent and
// concurrent charges, refunds bounded by what was captured, and holds (authorise, capture, void).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentProviderError } from '../../../cloud/billing/payment-provider.ts';
import { SandboxPaymentProvider } from '../../../cloud/billing/sandbox-payment-provider.ts';
import type { Database } from '../../../cloud/db/database.ts';
import { loadMigrations, migrate } from '../../../cloud/db/migrate.ts';
import { openDatabase } from '../../../cloud/db/open-database.ts';
import { ManualClock } from '../../../shared/clock.ts';
import { BACKENDS, dropSchema, newSchemaName } from './cloud-harness.ts';

const charge = (key: string, paymentMethodToken = 'tok_visa', amountCents = 1117) => ({
  idempotencyKey: key,
  customerRef: 'account-1',
  paymentMethodToken,
  amountCents,
  currency: 'EUR',
});

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof PaymentProviderError) return err.code;
    throw err;
  }
  throw new Error('expected the provider to refuse');
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.unavailable)(`sandbox payment provider on ${backend.name}`, () => {
    const schema = newSchemaName();
    let db: Database;
    let provider: SandboxPaymentProvider;
    beforeAll(async () => {
      db = await openDatabase(backend.databaseUrl, schema);
      // every migration applies once on a fresh schema, and a second run applies none
      expect(await migrate(db)).toEqual(loadMigrations().map((m) => m.name));
      expect(await migrate(db)).toEqual([]);
      provider = new SandboxPaymentProvider(db, new ManualClock(1_700_000_000_000));
    });
    afterAll(async () => {
      await db?.close();
      if (backend.databaseUrl !== undefined) await dropSchema(backend.databaseUrl, schema);
    });

    it('describes the test cards and refuses unknown tokens', async () => {
      expect(await provider.attachCard('tok_visa')).toEqual({
        paymentMethodToken: 'tok_visa',
        brand: 'visa',
        last4: '4242',
      });
      expect(await provider.attachCard('tok_mastercard')).toMatchObject({
        brand: 'mastercard',
        last4: '4444',
      });
      expect(await refusal(provider.attachCard('tok_unknown'))).toBe('unknown_card_token');
      expect(await refusal(provider.attachCard('toString'))).toBe('unknown_card_token');
    });

    it('captures a charge once per idempotency key and replays the original result', async () => {
      const first = await provider.charge(charge('k-replay'));
      expect(first).toEqual({ chargeId: expect.stringMatching(/^ch_/), status: 'succeeded' });
      expect(await provider.charge(charge('k-replay'))).toEqual(first);
      expect(await refusal(provider.charge(charge('k-replay', 'tok_visa', 999)))).toBe(
        'idempotency_key_reused',
      );
    });

    it('creates exactly one charge from 10 concurrent requests with the same key', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => provider.charge(charge('k-concurrent'))),
      );
      expect(new Set(results.map((r) => r.chargeId)).size).toBe(1);
      const rows = await db.query('SELECT 1 FROM provider_charges WHERE idempotency_key = $1', [
        'k-concurrent',
      ]);
      expect(rows).toHaveLength(1);
    });

    it('declines the decline test cards with their codes', async () => {
      expect(await provider.charge(charge('k-declined', 'tok_chargeDeclined'))).toEqual({
        chargeId: expect.any(String),
        status: 'declined',
        declineCode: 'card_declined',
      });
      expect(await provider.charge(charge('k-funds', 'tok_insufficientFunds'))).toMatchObject({
        status: 'declined',
        declineCode: 'insufficient_funds',
      });
      expect(await refusal(provider.charge(charge('k-zero', 'tok_visa', 0)))).toBe('invalid_amount');
      expect(await refusal(provider.charge(charge('k-nopm', 'pm_missing')))).toBe('unknown_payment_method');
    });

    it('refunds up to the captured amount, idempotently', async () => {
      const { chargeId } = await provider.charge(charge('k-refund', 'tok_visa', 1000));
      const first = await provider.refund({ idempotencyKey: 'r-1', chargeId, amountCents: 600 });
      expect(first).toEqual({ refundId: expect.stringMatching(/^re_/), chargeId, amountCents: 600 });
      expect(await provider.refund({ idempotencyKey: 'r-1', chargeId, amountCents: 600 })).toEqual(first);
      expect(await refusal(provider.refund({ idempotencyKey: 'r-1', chargeId, amountCents: 500 }))).toBe(
        'idempotency_key_reused',
      );
      expect(await refusal(provider.refund({ idempotencyKey: 'r-2', chargeId, amountCents: 401 }))).toBe(
        'refund_exceeds_capture',
      );
      expect(await provider.refund({ idempotencyKey: 'r-3', chargeId, amountCents: 400 })).toMatchObject({
        amountCents: 400,
      });
      const [row] = await db.query<{ refunded_cents: unknown }>(
        'SELECT refunded_cents FROM provider_charges WHERE charge_id = $1',
        [chargeId],
      );
      expect(Number(row?.refunded_cents)).toBe(1000);
    });

    it('refuses to refund a declined or unknown charge', async () => {
      const declined = await provider.charge(charge('k-declined-refund', 'tok_chargeDeclined'));
      expect(
        await refusal(
          provider.refund({ idempotencyKey: 'r-d', chargeId: declined.chargeId, amountCents: 1 }),
        ),
      ).toBe('charge_not_refundable');
      expect(
        await refusal(provider.refund({ idempotencyKey: 'r-u', chargeId: 'ch_nope', amountCents: 1 })),
      ).toBe('unknown_charge');
    });

    /** A hold request: the same fields as a charge, 50.00 by default. */
    const hold = (key: string, paymentMethodToken = 'tok_visa', amountCents = 5000) =>
      charge(key, paymentMethodToken, amountCents);

    it('holds, captures less than the hold once per key, and refunds the capture like a charge', async () => {
      const held = await provider.authorise(hold('h-1'));
      expect(held).toEqual({ authorisationId: expect.stringMatching(/^auth_/), status: 'authorised' });
      expect(await provider.authorise(hold('h-1'))).toEqual(held);
      expect(await refusal(provider.authorise(hold('h-1', 'tok_visa', 4000)))).toBe('idempotency_key_reused');
      const { authorisationId } = held;
      const captured = await provider.capture({ idempotencyKey: 'c-1', authorisationId, amountCents: 1117 });
      expect(captured).toEqual({
        chargeId: expect.stringMatching(/^ch_/),
        authorisationId,
        amountCents: 1117,
      });
      expect(await provider.capture({ idempotencyKey: 'c-1', authorisationId, amountCents: 1117 })).toEqual(
        captured,
      );
      expect(
        await refusal(provider.capture({ idempotencyKey: 'c-1', authorisationId, amountCents: 1 })),
      ).toBe('idempotency_key_reused');
      // Captured: the rest is released, nothing more to capture or void.
      expect(
        await refusal(provider.capture({ idempotencyKey: 'c-2', authorisationId, amountCents: 1 })),
      ).toBe('authorisation_closed');
      expect(await refusal(provider.void({ idempotencyKey: 'v-1', authorisationId }))).toBe(
        'authorisation_closed',
      );
      expect(
        await provider.refund({ idempotencyKey: 'r-c', chargeId: captured.chargeId, amountCents: 1117 }),
      ).toMatchObject({ amountCents: 1117 });
    });

    it('over-captures, voids idempotently and refuses an unknown hold', async () => {
      const over = await provider.authorise(hold('h-over'));
      expect(
        await provider.capture({
          idempotencyKey: 'c-over',
          authorisationId: over.authorisationId,
          amountCents: 7200,
        }),
      ).toMatchObject({ amountCents: 7200 });
      const voidable = await provider.authorise(hold('h-void'));
      const request = { idempotencyKey: 'v-2', authorisationId: voidable.authorisationId };
      expect(await provider.void(request)).toEqual({
        authorisationId: voidable.authorisationId,
        releasedCents: 5000,
      });
      expect(await provider.void(request)).toMatchObject({ releasedCents: 5000 });
      expect(await refusal(provider.void({ idempotencyKey: 'v-3', authorisationId: 'auth_nope' }))).toBe(
        'unknown_authorisation',
      );
    });

    it('fails holds at the step each test card names', async () => {
      expect(await provider.authorise(hold('h-declined', 'tok_holdDeclined'))).toMatchObject({
        status: 'declined',
        declineCode: 'card_declined',
      });
      expect(await provider.authorise(hold('h-declines-all', 'tok_chargeDeclined'))).toMatchObject({
        status: 'declined',
      });
      // tok_holdDeclined's charges go through: only its holds are declined.
      expect(await provider.charge(charge('k-hold-declined-card', 'tok_holdDeclined'))).toMatchObject({
        status: 'succeeded',
      });
      const noCapture = await provider.authorise(hold('h-capture-fails', 'tok_captureFails'));
      expect(
        await refusal(
          provider.capture({
            idempotencyKey: 'c-f',
            authorisationId: noCapture.authorisationId,
            amountCents: 1,
          }),
        ),
      ).toBe('processor_error');
      const noVoid = await provider.authorise(hold('h-void-fails', 'tok_voidFails'));
      expect(
        await refusal(provider.void({ idempotencyKey: 'v-f', authorisationId: noVoid.authorisationId })),
      ).toBe('processor_error');
      // A failed step changes nothing: both holds are still open at the provider.
      const open = await db.query<{ status: string }>(
        'SELECT status FROM provider_authorisations WHERE authorisation_id = ANY($1::text[])',
        [[noCapture.authorisationId, noVoid.authorisationId]],
      );
      expect(open.map((r) => r.status)).toEqual(['authorised', 'authorised']);
    });
  });
}
