// Items put back on the shelf after the receipt (#13), through POST /v1/stores/:storeId/returns on PGlite and on
// PostgreSQL: refunded once however often (and however concurrently) the edge delivers the return, at most the
// units the line has, only for the store's own visits, retried while the receipt is missing or unpaid, with the
// points that money earned taken back and the books still reconciling.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../../cloud/billing/reconciliation.ts';
import type { VisitReturn } from '../../../shared/schemas/visit-return.ts';
import {
  asShopper,
  BACKENDS,
  newShopper,
  OTHER_STORE_ID,
  type Outage,
  outageProvider,
  SAMPLE_STORE_ID,
  type Shopper,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOf,
} from './cloud-harness.ts';

// From stores/sample-store.json: SKU-0001 water 189, SKU-0007 sandwich 739.
const CART = [
  { sku: 'SKU-0001', quantity: 2 },
  { sku: 'SKU-0007', quantity: 2 },
];
const CART_TOTAL = 2 * 189 + 2 * 739;

interface ReceiptView {
  totalCents: number;
  refundedCents: number;
  pointsEarned: number;
  lines: { sku: string; quantity: number; returnedQuantity: number; returnedCents: number }[];
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.unavailable)(`returns after the receipt on ${backend.name}`, () => {
    let test: TestCloud;
    const outage: Outage = { down: false };
    beforeAll(async () => {
      test = await startTestCloud(backend, { paymentProvider: outageProvider(outage) });
    }, 60_000);
    afterAll(async () => {
      await test?.stop();
    });

    async function paidVisit(shopper: Shopper) {
      const visit = visitOf(shopper.accountId, CART);
      const upload = await uploadVisit(test, visit);
      expect(upload.json()).toMatchObject({ status: 'paid', totalCents: CART_TOTAL });
      return { visitId: visit.visitId, receiptId: upload.json<{ receiptId: string }>().receiptId };
    }

    const returnOf = (visitId: string, sku: string, quantity: number): VisitReturn => ({
      returnId: `evt-${randomUUID()}`,
      visitId,
      sku,
      quantity,
      lane: 'lane-1',
      returnedAt: 1_700_000_500_000,
    });

    /** The returns refunded at the sample store and the cents given back, as /metrics says. */
    const refundsCounted = async () => {
      const text = (await test.cloud.app.inject({ method: 'GET', url: '/metrics' })).body;
      const value = (name: string) =>
        Number(new RegExp(`^${name}\\{store="${SAMPLE_STORE_ID}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      return {
        refunds: value('walkout_cloud_return_refunds_total'),
        cents: value('walkout_cloud_return_refunded_cents_total'),
      };
    };

    const sendReturn = (
      body: object,
      options: { storeId?: string; credentialOf?: string; key?: string } = {},
    ) => {
      const storeId = options.storeId ?? SAMPLE_STORE_ID;
      const returnId = (body as { returnId?: unknown }).returnId;
      return test.cloud.app.inject({
        method: 'POST',
        url: `/v1/stores/${storeId}/returns`,
        headers: {
          authorization: `Bearer ${test.credentials[options.credentialOf ?? storeId]}`,
          'idempotency-key': options.key ?? `return:${String(returnId)}`,
        },
        payload: body,
      });
    };

    const receiptOf = async (shopper: Shopper, receiptId: string) =>
      (await asShopper(test.cloud, shopper, 'GET', `/v1/me/receipts/${receiptId}`)).json<ReceiptView>();

    const providerRefunds = async (returnId: string) =>
      (
        await test.cloud.db.query<{ amount_cents: unknown }>(
          'SELECT amount_cents FROM provider_refunds WHERE idempotency_key = $1',
          [`refund:return:${returnId}`],
        )
      ).map((r) => Number(r.amount_cents));

    it('refunds a returned unit once however often and however concurrently it is delivered', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const { visitId, receiptId } = await paidVisit(shopper);
      const back = returnOf(visitId, 'SKU-0007', 1);
      const countedBefore = await refundsCounted();
      const first = await sendReturn(back);
      expect(first.statusCode).toBe(201);
      const expected = {
        returnId: back.returnId,
        receiptId,
        sku: 'SKU-0007',
        quantity: 1,
        amountCents: 739,
        status: 'refunded',
      };
      expect(first.json()).toEqual(expected);
      const retries = await Promise.all([sendReturn(back), sendReturn(back), sendReturn(back)]);
      expect(retries.map((r) => r.statusCode)).toEqual([200, 200, 200]);
      for (const r of retries) expect(r.json()).toEqual(expected);
      expect(await providerRefunds(back.returnId)).toEqual([739]);
      // counted once on /metrics, however often delivered
      const countedAfter = await refundsCounted();
      expect(countedAfter.refunds - countedBefore.refunds).toBe(1);
      expect(countedAfter.cents - countedBefore.cents).toBe(739);

      const receipt = await receiptOf(shopper, receiptId);
      expect(receipt.totalCents).toBe(CART_TOTAL);
      expect(receipt.refundedCents).toBe(739);
      expect(receipt.lines.map((l) => [l.sku, l.quantity, l.returnedQuantity, l.returnedCents])).toEqual([
        ['SKU-0001', 2, 0, 0],
        ['SKU-0007', 2, 1, 739],
      ]);
      // 18 points for 18.56, then 11 for the 11.17 kept
      expect(receipt.pointsEarned).toBe(11);
      expect((await asShopper(test.cloud, shopper, 'GET', '/v1/me/history')).json()).toMatchObject({
        points: 11,
      });
      expect(await reconcile(test.cloud.db)).toMatchObject({ ok: true, provider: { matches: true } });
    });

    it('refunds at most the units the line still has, and refuses a return once the line is all back', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const { visitId, receiptId } = await paidVisit(shopper);
      const one = await sendReturn(returnOf(visitId, 'SKU-0001', 1));
      expect(one.json()).toMatchObject({ quantity: 1, amountCents: 189 });
      const more = await sendReturn(returnOf(visitId, 'SKU-0001', 5));
      expect(more.statusCode).toBe(201);
      expect(more.json()).toMatchObject({ quantity: 1, amountCents: 189 });
      const again = await sendReturn(returnOf(visitId, 'SKU-0001', 1));
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: 'line_fully_returned' });
      const absent = await sendReturn(returnOf(visitId, 'SKU-0002', 1));
      expect(absent.statusCode).toBe(409);
      expect(absent.json()).toMatchObject({ error: 'sku_not_on_receipt' });

      const receipt = await receiptOf(shopper, receiptId);
      expect(receipt.refundedCents).toBe(378);
      expect(receipt.lines.map((l) => l.returnedQuantity)).toEqual([2, 0]);
      expect(await reconcile(test.cloud.db)).toMatchObject({ ok: true, provider: { matches: true } });
    });

    it("refuses another store's visit and another store's credential, refunding nothing", async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const { visitId, receiptId } = await paidVisit(shopper);
      const back = returnOf(visitId, 'SKU-0007', 1);
      const wrongStore = await sendReturn(back, { storeId: OTHER_STORE_ID });
      expect(wrongStore.statusCode).toBe(404);
      expect(wrongStore.json()).toMatchObject({ error: 'visit_not_found' });
      const wrongCredential = await sendReturn(back, { credentialOf: OTHER_STORE_ID });
      expect(wrongCredential.statusCode).toBe(403);
      expect(await providerRefunds(back.returnId)).toEqual([]);
      expect((await receiptOf(shopper, receiptId)).refundedCents).toBe(0);
    });

    it('answers a retryable 425 for a visit whose receipt is not there yet, and refunds once it is', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const visit = visitOf(shopper.accountId, CART);
      const back = returnOf(visit.visitId, 'SKU-0007', 1);
      const early = await sendReturn(back);
      expect(early.statusCode).toBe(425);
      expect(early.json()).toMatchObject({ error: 'receipt_not_ready' });
      expect((await uploadVisit(test, visit)).statusCode).toBe(201);
      const later = await sendReturn(back);
      expect(later.statusCode).toBe(201);
      expect(later.json()).toMatchObject({ quantity: 1, amountCents: 739 });
    });

    it('waits (503) while the receipt is not paid yet, and refunds once its payment went through', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const visit = visitOf(shopper.accountId, CART);
      outage.down = true;
      const during = await uploadVisit(test, visit).finally(() => {
        outage.down = false;
      });
      expect(during.statusCode).toBe(503);
      const back = returnOf(visit.visitId, 'SKU-0001', 1);
      const unpaid = await sendReturn(back);
      expect(unpaid.statusCode).toBe(503);
      expect(unpaid.json()).toMatchObject({ error: 'receipt_payment_pending' });
      expect(await providerRefunds(back.returnId)).toEqual([]);
      expect((await uploadVisit(test, visit)).json()).toMatchObject({ status: 'paid' });
      const paid = await sendReturn(back);
      expect(paid.statusCode).toBe(201);
      expect(await providerRefunds(back.returnId)).toEqual([189]);
    });

    it("lists the shopper's returns in their data export, and nobody else's", async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const other = await newShopper(test.cloud, 'tok_visa');
      const { visitId, receiptId } = await paidVisit(shopper);
      const back = { ...returnOf(visitId, 'SKU-0007', 1), returnedAt: 1_700_000_600_123 };
      expect((await sendReturn(back)).statusCode).toBe(201);
      // another shopper's return is not in this export
      expect((await sendReturn(returnOf((await paidVisit(other)).visitId, 'SKU-0001', 1))).statusCode).toBe(
        201,
      );
      const exported = await asShopper(test.cloud, shopper, 'GET', '/v1/me/export');
      expect(exported.statusCode).toBe(200);
      expect(exported.json<{ data: { returns: unknown[] } }>().data.returns).toEqual([
        {
          return_id: back.returnId,
          receipt_id: receiptId,
          visit_id: visitId,
          store_id: SAMPLE_STORE_ID,
          sku: 'SKU-0007',
          quantity: 1,
          amount_cents: 739,
          currency: 'EUR',
          status: 'refunded',
          returned_at: 1_700_000_600_123,
          refunded_at: expect.any(Number),
        },
      ]);
    });

    it('refuses a malformed return (400) saying what is wrong, and a reused return id (409)', async () => {
      const shopper = await newShopper(test.cloud, 'tok_visa');
      const { visitId } = await paidVisit(shopper);
      const zero = await sendReturn({ ...returnOf(visitId, 'SKU-0007', 1), quantity: 0 });
      expect(zero.statusCode).toBe(400);
      expect(zero.json<{ message: string }>().message).toMatch(/quantity/);
      const extra = await sendReturn({ ...returnOf(visitId, 'SKU-0007', 1), price: 1 });
      expect(extra.statusCode).toBe(400);
      const back = returnOf(visitId, 'SKU-0007', 1);
      const badKey = await sendReturn(back, { key: `visit:${visitId}` });
      expect(badKey.statusCode).toBe(400);
      expect(badKey.json()).toEqual({
        error: 'idempotency_key_mismatch',
        message: `Idempotency-Key must be "return:${back.returnId}" for this return; send the same key on every retry.`,
      });
      expect((await sendReturn(back)).statusCode).toBe(201);
      const reused = await sendReturn({ ...back, sku: 'SKU-0001' });
      expect(reused.statusCode).toBe(409);
      expect(reused.json()).toMatchObject({ error: 'return_id_reused' });
    });
  });
}
