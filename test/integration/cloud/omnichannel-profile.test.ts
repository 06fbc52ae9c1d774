// One customer across channels, through the HTTP API (PostgreSQL in CI): online orders (shop
// credential, idempotent, one price list and points rule), history, behaviour kept only with consent,
// recommendations, live stock from lane reports less click & collect holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitUpload } from '../../../shared/schemas/visit.ts';
import {
  asShopper,
  newShopper,
  OTHER_STORE_ID,
  PRIMARY_BACKEND,
  SAMPLE_STORE_ID,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOf,
} from './cloud-harness.ts';

const backend = PRIMARY_BACKEND;
describe(`omnichannel profile on ${backend.name}`, () => {
  let test: TestCloud;
  beforeAll(async () => {
    test = await startTestCloud(backend);
  });
  afterAll(async () => {
    await test?.stop();
  });

  const asShop = (method: 'GET' | 'POST', url: string, payload?: object, credential = test.shopCredential) =>
    test.cloud.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${credential}` },
      ...(payload === undefined ? {} : { payload }),
    });

  const order = (accountId: string, orderId: string, lines = [{ sku: 'SKU-0002', quantity: 3 }]) => ({
    orderId,
    accountId,
    storeId: SAMPLE_STORE_ID,
    placedAt: 1_700_000_900_000,
    lines,
  });

  /** A visit where the shopper picked SKU-0003 up and put it back, and bought SKU-0001. */
  function browsingVisit(accountId: string): VisitUpload {
    const visit = visitOf(accountId, [{ sku: 'SKU-0001', quantity: 1 }]);
    const t = visit.enteredAt;
    return {
      ...visit,
      events: [
        { eventId: 'e1', kind: 'pick', sku: 'SKU-0003', count: 1, lane: 'L1', ts: t + 1000 },
        { eventId: 'e2', kind: 'put-back', sku: 'SKU-0003', count: 1, lane: 'L1', ts: t + 61_000 },
        { eventId: 'e3', kind: 'pick', sku: 'SKU-0001', count: 1, lane: 'L2', ts: t + 90_000 },
      ],
    };
  }

  it('records online orders once per order id, priced and pointed like the store', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const first = await asShop('POST', '/v1/shop/orders', order(shopper.accountId, 'web-1001'));
    expect(first.statusCode).toBe(201);
    const [product] = test.sampleStore.catalog.filter((p) => p.sku === 'SKU-0002');
    const total = 3 * (product?.priceCents ?? 0);
    expect(first.json()).toEqual({
      orderId: 'web-1001',
      totalCents: total,
      currency: 'EUR',
      pointsEarned: Math.floor(total / 100),
    });
    const repeat = await asShop('POST', '/v1/shop/orders', order(shopper.accountId, 'web-1001'));
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toEqual(first.json());
    const changed = await asShop(
      'POST',
      '/v1/shop/orders',
      order(shopper.accountId, 'web-1001', [{ sku: 'SKU-0002', quantity: 1 }]),
    );
    expect(changed.json()).toMatchObject({ error: 'idempotency_key_reused' });
    const wrongPrice = await asShop('POST', '/v1/shop/orders', {
      ...order(shopper.accountId, 'web-1002'),
      expectedTotalCents: 1,
    });
    expect(wrongPrice.json()).toMatchObject({ error: 'price_mismatch' });
    expect(
      (await asShop('POST', '/v1/shop/orders', order(shopper.accountId, 'web-1003'), 'not-the-shop'))
        .statusCode,
    ).toBe(401);
    expect(
      (
        await asShop(
          'POST',
          '/v1/shop/orders',
          order(shopper.accountId, 'web-1004'),
          test.credentials[SAMPLE_STORE_ID],
        )
      ).statusCode,
    ).toBe(401);

    await uploadVisit(test, visitOf(shopper.accountId, [{ sku: 'SKU-0007', quantity: 2 }]));
    const history = (await asShopper(test.cloud, shopper, 'GET', '/v1/me/history')).json<{
      points: number;
      purchases: { channel: string; totalCents: number; pointsEarned: number }[];
    }>();
    expect(history.purchases.map((p) => p.channel).sort()).toEqual(['online', 'store']);
    expect(history.points).toBe(Math.floor(total / 100) + Math.floor(1478 / 100));
  });

  it('keeps in-store behaviour only with consent; without it only the evidence of the bill', async () => {
    const silent = await newShopper(test.cloud, 'tok_visa');
    const visit = browsingVisit(silent.accountId);
    expect((await uploadVisit(test, visit)).json()).toMatchObject({ status: 'paid', totalCents: 189 });
    const [stored] = await test.cloud.db.query<{ events: { sku: string }[] }>(
      'SELECT events FROM visits WHERE visit_id = $1',
      [visit.visitId],
    );
    expect(stored?.events.map((e) => e.sku)).toEqual(['SKU-0001']);
    expect(
      await test.cloud.db.query('SELECT 1 FROM behaviour_visits WHERE account_id = $1', [silent.accountId]),
    ).toHaveLength(0);
    const recommendations = await asShop('GET', `/v1/shop/customers/${silent.accountId}/recommendations`);
    expect(recommendations.json()).toMatchObject({ consent: false, consideredNotBought: [] });

    const open = await newShopper(test.cloud, 'tok_visa');
    const consent = await asShopper(test.cloud, open, 'PUT', '/v1/me/consent', {
      behaviourTracking: true,
      marketing: false,
    });
    expect(consent.json()).toEqual({ behaviourTracking: true, marketing: false });
    await uploadVisit(test, browsingVisit(open.accountId));
    const profile = (await asShopper(test.cloud, open, 'GET', '/v1/me/profile')).json<{
      behaviour: {
        consideredNotBought: { sku: string; putBacks: number }[];
        categories: { category: string }[];
        visits: unknown[];
      };
    }>();
    expect(profile.behaviour.consideredNotBought).toEqual([
      expect.objectContaining({ sku: 'SKU-0003', putBacks: 1 }),
    ]);
    expect(profile.behaviour.visits).toHaveLength(1);
    expect(profile.behaviour.categories.length).toBeGreaterThan(0);
    const forShop = (await asShop('GET', `/v1/shop/customers/${open.accountId}/recommendations`)).json<{
      consent: boolean;
      consideredNotBought: { sku: string }[];
    }>();
    expect(forShop.consent).toBe(true);
    expect(forShop.consideredNotBought.map((c) => c.sku)).toEqual(['SKU-0003']);

    // Bought online afterwards: no longer "considered, not bought".
    await asShop('POST', '/v1/shop/orders', {
      ...order(open.accountId, `web-${open.accountId}`, [{ sku: 'SKU-0003', quantity: 1 }]),
      placedAt: Date.now(),
    });
    expect(
      (await asShop('GET', `/v1/shop/customers/${open.accountId}/recommendations`)).json<{
        consideredNotBought: unknown[];
      }>().consideredNotBought,
    ).toEqual([]);

    // Withdrawing consent forgets the behaviour and trims the visit to the bill's evidence.
    await asShopper(test.cloud, open, 'PUT', '/v1/me/consent', {
      behaviourTracking: false,
      marketing: false,
    });
    expect(
      await test.cloud.db.query('SELECT 1 FROM behaviour_visits WHERE account_id = $1', [open.accountId]),
    ).toHaveLength(0);
    const trimmed = await test.cloud.db.query<{ events: { sku: string }[] }>(
      'SELECT events FROM visits WHERE account_id = $1',
      [open.accountId],
    );
    expect(trimmed.flatMap((v) => v.events.map((e) => e.sku))).toEqual(['SKU-0001']);
  });

  it('recommends products bought together across store receipts and online orders', async () => {
    const a = await newShopper(test.cloud, 'tok_visa');
    const b = await newShopper(test.cloud, 'tok_visa');
    await uploadVisit(
      test,
      visitOf(a.accountId, [
        { sku: 'SKU-0010', quantity: 1 },
        { sku: 'SKU-0011', quantity: 1 },
      ]),
    );
    await asShop(
      'POST',
      '/v1/shop/orders',
      order(b.accountId, 'web-together', [
        { sku: 'SKU-0010', quantity: 1 },
        { sku: 'SKU-0011', quantity: 2 },
        { sku: 'SKU-0012', quantity: 1 },
      ]),
    );
    const together = (await asShop('GET', '/v1/shop/products/SKU-0010/bought-together?limit=5')).json<{
      products: { sku: string; baskets: number }[];
    }>();
    expect(together.products.slice(0, 2)).toEqual([
      expect.objectContaining({ sku: 'SKU-0011', baskets: 2 }),
      expect.objectContaining({ sku: 'SKU-0012', baskets: 1 }),
    ]);
  });

  it('computes live stock from lane reports (latest ts wins) less click & collect holds', async () => {
    const lanes = test.sampleStore.shelves.flatMap((s) => s.lanes).filter((l) => l.sku === 'SKU-0020');
    const lane = lanes[0];
    if (lane === undefined) throw new Error('sample store has no lane of SKU-0020');
    const stockOf = async () =>
      (await asShop('GET', `/v1/shop/stock?storeId=${SAMPLE_STORE_ID}&sku=SKU-0020`)).json<{
        stock: { units: number; held: number; available: number }[];
      }>().stock[0];
    const initial = lanes.reduce((sum, l) => sum + l.initialUnits, 0);
    expect(await stockOf()).toMatchObject({ units: initial, held: 0 });

    const put = (body: object, credential = test.credentials[SAMPLE_STORE_ID]) =>
      test.cloud.app.inject({
        method: 'PUT',
        url: `/v1/stores/${SAMPLE_STORE_ID}/stock`,
        headers: { authorization: `Bearer ${credential}` },
        payload: body,
      });
    const report = (units: number, ts: number) => ({ lane: lane.id, sku: 'SKU-0020', units, ts });
    const emptyOthers = lanes.slice(1).map((l) => ({ lane: l.id, sku: 'SKU-0020', units: 0, ts: 2000 }));
    expect((await put({ lanes: [report(3, 2000), report(9, 1000), ...emptyOthers] })).json()).toEqual({
      applied: lanes.length,
    });
    expect((await put({ lanes: [report(7, 1500)] })).json()).toEqual({ applied: 0 });
    const units = 3;
    expect(await stockOf()).toMatchObject({ units, held: 0, available: units });
    expect((await put({ lanes: [report(1, 3000)] }, test.credentials[OTHER_STORE_ID])).statusCode).toBe(403);

    const shopper = await newShopper(test.cloud, 'tok_visa');
    const hold = await asShopper(test.cloud, shopper, 'POST', '/v1/me/reservations', {
      storeId: SAMPLE_STORE_ID,
      sku: 'SKU-0020',
      quantity: 2,
    });
    expect(hold.statusCode).toBe(201);
    expect(await stockOf()).toMatchObject({ units, held: 2, available: units - 2 });
    const tooMany = await asShopper(test.cloud, shopper, 'POST', '/v1/me/reservations', {
      storeId: SAMPLE_STORE_ID,
      sku: 'SKU-0020',
      quantity: 2,
    });
    expect(tooMany.json()).toMatchObject({ error: 'not_enough_stock' });
    const products = (
      await asShopper(test.cloud, shopper, 'GET', `/v1/stores/${SAMPLE_STORE_ID}/products?q=SKU-0020`)
    ).json<{
      products: { sku: string; available: number }[];
    }>();
    expect(products.products).toEqual([expect.objectContaining({ sku: 'SKU-0020', available: units - 2 })]);
    const { reservationId } = hold.json<{ reservationId: string }>();
    await asShopper(test.cloud, shopper, 'POST', `/v1/me/reservations/${reservationId}/cancel`);
    expect(await stockOf()).toMatchObject({ units, held: 0 });
  });
});
