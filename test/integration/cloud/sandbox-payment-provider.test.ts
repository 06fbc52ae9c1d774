// The sandbox payment provider against a real database (PGlite and PostgreSQL): test cards, idempotent and
// concurrent charges, and refunds bounded by what was captured.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentProviderError } from '../../../cloud/billing/payment-provider.ts';
import { SandboxPaymentProvider } from '../../../cloud/billing/sandbox-payment-provider.ts';
import type { Database } from '../../../cloud/db/database.ts';
import { migrate } from '../../../cloud/db/migrate.ts';
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
      expect(await migrate(db)).toEqual([
        '001-core.sql',
        '002-sandbox-payment-provider.sql',
        '003-omnichannel.sql',
        '004-entry-tokens.sql',
        '005-session-expiry-index.sql',
        '006-floor-behaviour.sql',
        '007-live-carts.sql',
        '008-chain-scale.sql',
        '009-payment-holds.sql',
      ]);
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
  });
}
