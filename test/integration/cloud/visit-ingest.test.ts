// Visit upload → receipt → charge, through the HTTP API on PGlite and on PostgreSQL: pricing from the
// cloud's catalog, idempotent and concurrent redelivery, declines, provider outages and crash recovery.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admit,
  asShopper,
  BACKENDS,
  newShopper,
  type Outage,
  outageProvider,
  providerCharges,
  SAMPLE_STORE_ID,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOf,
} from './cloud-harness.ts';

// From stores/sample-store.json: SKU-0001 water 189, SKU-0007 sandwich 739.
const CART = [
  { sku: 'SKU-0001', quantity: 2 },
  { sku: 'SKU-0007', quantity: 1 },
];
const CART_TOTAL = 2 * 189 + 739;

for (const backend of BACKENDS) {
  describe.skipIf(backend.unavailable)(`visit ingest and billing on ${backend.name}`, () => {
    let test: TestCloud;
    const outage: Outage = { down: false };
    beforeAll(async () => {
      test = await startTestCloud(backend, { paymentProvider: outageProvider(outage) });
    });
    afterAll(async () => {
      await test?.stop();
    });

    it('prices the lines from its catalog, charges the card and shows the shopper the receipt', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const visit = visitOf(shopper.accountId, CART);
      const response = await uploadVisit(test, visit);
      expect(response.statusCode).toBe(201);
      const created = response.json<{ receiptId: string; status: string; totalCents: number }>();
      expect(created).toEqual({ receiptId: expect.any(String), status: 'paid', totalCents: 1117 });

      const receipt = await asShopper(test.cloud, shopper, 'GET', `/v1/me/receipts/${created.receiptId}`);
      expect(receipt.statusCode).toBe(200);
      expect(receipt.json()).toEqual({
        receiptId: created.receiptId,
        visitId: visit.visitId,
        storeId: SAMPLE_STORE_ID,
        accountId: shopper.accountId,
        enteredAt: 1_700_000_000_000,
        exitedAt: 1_700_000_420_000,
        lines: [
          {
            lineNo: 1,
            sku: 'SKU-0001',
            name: 'Northfield Still Water 0.5 L',
            quantity: 2,
            unitPriceCents: 189,
            totalCents: 378,
            returnedQuantity: 0,
            returnedCents: 0,
          },
          {
            lineNo: 2,
            sku: 'SKU-0007',
            name: 'Northfield Chicken Sandwich',
            quantity: 1,
            unitPriceCents: 739,
            totalCents: 739,
            returnedQuantity: 0,
            returnedCents: 0,
          },
        ],
        totalCents: CART_TOTAL,
        currency: 'EUR',
        status: 'paid',
        pointsEarned: 11,
        refundedCents: 0,
        createdAt: expect.any(Number),
      });
      const charges = await providerCharges(test.cloud, visit.visitId);
      expect(charges.map((c) => ({ ...c, amount_cents: Number(c.amount_cents), charge_id: 'x' }))).toEqual([
        { charge_id: 'x', amount_cents: 1117, currency: 'EUR', status: 'succeeded' },
      ]);
    });

    it('answers a repeat delivery with 200 and the same receipt, without charging again', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const visit = visitOf(shopper.accountId, CART);
      const first = await uploadVisit(test, visit);
      const repeat = await uploadVisit(test, visit);
      expect(first.statusCode).toBe(201);
      expect(repeat.statusCode).toBe(200);
      expect(repeat.json()).toEqual(first.json());
      expect(await providerCharges(test.cloud, visit.visitId)).toHaveLength(1);
    });

    it('makes one receipt and one charge from 10 concurrent identical deliveries over HTTP', async () => {
      const url = await test.cloud.start();
      try {
        const shopper = await newShopper(test.cloud, 'tok_mastercard');
        const visit = visitOf(shopper.accountId, CART);
        await admit(test.cloud, visit);
        const responses = await Promise.all(
          Array.from({ length: 10 }, () =>
            fetch(`${url}/v1/stores/${SAMPLE_STORE_ID}/visits`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${test.credentials[SAMPLE_STORE_ID]}`,
                'idempotency-key': `visit:${visit.visitId}`,
                'content-type': 'application/json',
              },
              body: JSON.stringify(visit),
            }),
          ),
        );
        const bodies = await Promise.all(responses.map((r) => r.json() as Promise<{ receiptId: string }>));
        expect(responses.map((r) => r.status).sort()).toEqual([
          200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
        ]);
        expect(new Set(bodies.map((b) => b.receiptId)).size).toBe(1);
        expect(bodies[0]).toEqual({ receiptId: expect.any(String), status: 'paid', totalCents: CART_TOTAL });
        const receipts = await test.cloud.db.query('SELECT receipt_id FROM receipts WHERE visit_id = $1', [
          visit.visitId,
        ]);
        expect(receipts).toHaveLength(1);
        expect(await providerCharges(test.cloud, visit.visitId)).toHaveLength(1);
      } finally {
        await test.cloud.app.server.close();
      }
    });

    it('marks the receipt declined when the card is declined, and refuses entry until a new card is added', async () => {
      const shopper = await newShopper(test.cloud, 'tok_chargeDeclined');
      const response = await uploadVisit(test, visitOf(shopper.accountId, CART));
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ status: 'declined', totalCents: CART_TOTAL });

      const entry = await asShopper(test.cloud, shopper, 'POST', '/v1/me/entry-tokens', {});
      expect(entry.statusCode).toBe(402);
      expect(entry.json()).toEqual({
        error: 'payment_required',
        message: expect.stringContaining('declined'),
      });

      await asShopper(test.cloud, shopper, 'POST', '/v1/me/payment-methods', { cardToken: 'tok_visa' });
      const again = await asShopper(test.cloud, shopper, 'POST', '/v1/me/entry-tokens', {
        storeId: SAMPLE_STORE_ID,
      });
      expect(again.statusCode).toBe(201);
    });

    it('records insufficient funds as a decline with its code at the provider', async () => {
      const shopper = await newShopper(test.cloud, 'tok_insufficientFunds');
      const visit = visitOf(shopper.accountId, [{ sku: 'SKU-0002', quantity: 1 }]);
      expect((await uploadVisit(test, visit)).json()).toMatchObject({ status: 'declined', totalCents: 199 });
      const rows = await test.cloud.db.query<{ decline_code: string }>(
        'SELECT decline_code FROM provider_charges WHERE idempotency_key = $1',
        [`charge:visit:${visit.visitId}`],
      );
      expect(rows).toEqual([{ decline_code: 'insufficient_funds' }]);
    });

    it('declines the receipt of a shopper without a payment method, without asking the provider', async () => {
      const shopper = await newShopper(test.cloud);
      const visit = visitOf(shopper.accountId, CART);
      const response = await uploadVisit(test, visit);
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ status: 'declined', totalCents: CART_TOTAL });
      expect(await providerCharges(test.cloud, visit.visitId)).toHaveLength(0);
      const metrics = (await test.cloud.app.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toContain('walkout_cloud_charges_total{outcome="no_payment_method"} 1');
    });

    it('settles an empty cart as paid with total 0 and no charge', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const visit = visitOf(shopper.accountId, []);
      const response = await uploadVisit(test, visit);
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ status: 'paid', totalCents: 0 });
      expect(await providerCharges(test.cloud, visit.visitId)).toHaveLength(0);
    });

    it('keeps the visit when the provider is down (503) and charges it on the next delivery', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const visit = visitOf(shopper.accountId, CART);
      outage.down = true;
      const during = await uploadVisit(test, visit).finally(() => {
        outage.down = false;
      });
      expect(during.statusCode).toBe(503);
      expect(during.json<{ error: string }>().error).toBe('payment_provider_unavailable');
      const pending = (await asShopper(test.cloud, shopper, 'GET', '/v1/me/receipts')).json<{
        receipts: { status: string }[];
      }>();
      expect(pending.receipts.map((r) => r.status)).toEqual(['pending_payment']);

      const after = await uploadVisit(test, visit);
      expect(after.statusCode).toBe(200);
      expect(after.json()).toMatchObject({ status: 'paid', totalCents: CART_TOTAL });
      expect(await providerCharges(test.cloud, visit.visitId)).toHaveLength(1);
    });

    it('recovers a receipt left pending after the provider charged (crash before recording): no second charge', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const visit = visitOf(shopper.accountId, CART);
      const { receiptId } = (await uploadVisit(test, visit)).json<{ receiptId: string }>();
      // The state a crash between the provider's answer and our update leaves behind.
      await test.cloud.db.query(
        `UPDATE receipts SET status = 'pending_payment', charge_id = NULL WHERE receipt_id = $1`,
        [receiptId],
      );
      const redelivery = await uploadVisit(test, visit);
      expect(redelivery.json()).toEqual({ receiptId, status: 'paid', totalCents: CART_TOTAL });
      const [charge] = await providerCharges(test.cloud, visit.visitId);
      const [receipt] = await test.cloud.db.query<{ charge_id: string }>(
        'SELECT charge_id FROM receipts WHERE receipt_id = $1',
        [receiptId],
      );
      expect(receipt?.charge_id).toBe(charge?.charge_id);
      expect(await providerCharges(test.cloud, visit.visitId)).toHaveLength(1);
    });

    it('counts ingested visits, duplicate deliveries and charges by outcome on /metrics', async () => {
      const read = async () => {
        const text = (await test.cloud.app.inject({ method: 'GET', url: '/metrics' })).body;
        const value = (series: string) => Number(new RegExp(`^${series} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
        return {
          ingested: value(`walkout_cloud_visits_ingested_total\\{store="${SAMPLE_STORE_ID}"\\}`),
          duplicates: value(`walkout_cloud_visit_duplicate_deliveries_total\\{store="${SAMPLE_STORE_ID}"\\}`),
          succeeded: value('walkout_cloud_charges_total\\{outcome="succeeded"\\}'),
          declined: value('walkout_cloud_charges_total\\{outcome="declined"\\}'),
        };
      };
      const before = await read();
      const payer = await newShopper(test.cloud, 'tok_visa');
      const visit = visitOf(payer.accountId, CART);
      await uploadVisit(test, visit);
      await uploadVisit(test, visit);
      await uploadVisit(test, visit);
      const decliner = await newShopper(test.cloud, 'tok_chargeDeclined');
      await uploadVisit(test, visitOf(decliner.accountId, CART));
      const after = await read();
      expect(before.ingested).toBeGreaterThan(0);
      expect({
        ingested: after.ingested - before.ingested,
        duplicates: after.duplicates - before.duplicates,
        succeeded: after.succeeded - before.succeeded,
        declined: after.declined - before.declined,
      }).toEqual({ ingested: 2, duplicates: 2, succeeded: 1, declined: 1 });
    });
  });
}
