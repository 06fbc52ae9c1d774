// Export-my-data and erase-my-data through the HTTP API, PostgreSQL in CI (erasure really removes the
// person; receipts stay, anonymised, and still reconcile), and per-route rate limits at their real values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../../cloud/billing/reconciliation.ts';
import {
  asShopper,
  entryTokenId,
  newShopper,
  ONLINE_SHOP_ID,
  PRIMARY_BACKEND,
  SAMPLE_STORE_ID,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOn,
} from './cloud-harness.ts';

const CART = [{ sku: 'SKU-0001', quantity: 2 }];

const backend = PRIMARY_BACKEND;
describe(`privacy and rate limits on ${backend.name}`, () => {
  let test: TestCloud;
  beforeAll(async () => {
    test = await startTestCloud(backend);
  });
  afterAll(async () => {
    await test?.stop();
  });

  async function shopperWithHistory() {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    await asShopper(test.cloud, shopper, 'PUT', '/v1/me/consent', {
      behaviourTracking: true,
      marketing: true,
    });
    // entered on a real token: its hold is captured for the receipt; a second code holds again (still open)
    const visit = visitOn(shopper, [await entryTokenId(test, shopper, SAMPLE_STORE_ID)], CART);
    const { receiptId } = (await uploadVisit(test, visit, { admitted: false })).json<{ receiptId: string }>();
    await entryTokenId(test, shopper, SAMPLE_STORE_ID);
    await asShopper(test.cloud, shopper, 'POST', `/v1/me/receipts/${receiptId}/lines/1/disputes`, {
      quantity: 1,
    });
    await test.cloud.app.inject({
      method: 'POST',
      url: '/v1/shop/orders',
      headers: { authorization: `Bearer ${test.shopCredential}` },
      payload: {
        orderId: `o-${shopper.accountId}`,
        accountId: shopper.accountId,
        storeId: SAMPLE_STORE_ID,
        placedAt: 1,
        lines: CART,
      },
    });
    await asShopper(test.cloud, shopper, 'POST', '/v1/me/reservations', {
      storeId: SAMPLE_STORE_ID,
      sku: 'SKU-0001',
      quantity: 1,
    });
    return { shopper, visit, receiptId };
  }

  it('exports everything about me as JSON', async () => {
    const { shopper, visit, receiptId } = await shopperWithHistory();
    const response = await asShopper(test.cloud, shopper, 'GET', '/v1/me/export');
    expect(response.statusCode).toBe(200);
    const { data } = response.json<{ data: Record<string, Record<string, unknown>[]> }>();
    expect(Object.keys(data).sort()).toEqual(
      [
        'account',
        'behaviour',
        'disputes',
        'onlineOrders',
        'paymentHolds',
        'paymentMethods',
        'points',
        'receipts',
        'reservations',
        'returns',
        'sessions',
        'visits',
      ].sort(),
    );
    expect(data.account?.[0]).toMatchObject({
      account_id: shopper.accountId,
      email: shopper.email,
      consent_behaviour: true,
    });
    expect(JSON.stringify(data)).not.toContain('scrypt');
    expect(data.visits?.[0]).toMatchObject({ visit_id: visit.visitId });
    expect(data.receipts?.[0]).toMatchObject({ receipt_id: receiptId, total_cents: 378 });
    expect(data.receipts?.[0]?.lines).toEqual([expect.objectContaining({ sku: 'SKU-0001', quantity: 2 })]);
    expect(data.onlineOrders?.[0]).toMatchObject({ shop_id: ONLINE_SHOP_ID, total_cents: 378 });
    expect(data.disputes).toHaveLength(1);
    expect(data.returns).toEqual([]);
    expect(data.reservations).toHaveLength(1);
    expect(data.behaviour).toHaveLength(1);
    expect(data.points?.map((p) => p.source).sort()).toEqual(['order', 'receipt', 'refund']);
    // the holds at the gate: amounts, what became of them and when, the card by brand and last digits
    expect(data.paymentHolds).toEqual([
      {
        hold_id: expect.any(String),
        store_id: SAMPLE_STORE_ID,
        visit_id: visit.visitId,
        amount_cents: 5000,
        currency: 'EUR',
        status: 'captured',
        captured_cents: 378,
        card: 'visa 4242',
        created_at: expect.any(Number),
        expires_at: expect.any(Number),
        closed_at: expect.any(Number),
      },
      expect.objectContaining({ visit_id: null, amount_cents: 5000, status: 'held', captured_cents: null }),
    ]);
    // no card secret: neither the provider's card token nor its authorisation ids
    const secrets = await test.cloud.db.query<{ secret: string }>(
      `SELECT provider_token AS secret FROM payment_methods WHERE account_id = $1
       UNION ALL SELECT authorisation_id FROM payment_holds WHERE account_id = $1
       UNION ALL SELECT payment_method_token FROM payment_holds WHERE account_id = $1`,
      [shopper.accountId],
    );
    expect(secrets).toHaveLength(5);
    for (const { secret } of secrets) expect(JSON.stringify(data)).not.toContain(secret);
  });

  it('erases the person: nothing links to them, receipts stay anonymised and the money still reconciles', async () => {
    const { shopper, visit, receiptId } = await shopperWithHistory();
    const wrong = await asShopper(test.cloud, shopper, 'POST', '/v1/me/erase', {
      password: 'not my password',
    });
    expect(wrong.statusCode).toBe(401);
    const erased = await asShopper(test.cloud, shopper, 'POST', '/v1/me/erase', {
      password: 'correct horse battery',
    });
    expect(erased.json()).toEqual({ erased: true });

    for (const table of [
      'accounts',
      'sessions',
      'payment_methods',
      'points_entries',
      'behaviour_visits',
      'reservations',
      'visits',
      'receipts',
      'disputes',
      'online_orders',
      'payment_holds',
    ]) {
      const rows = await test.cloud.db.query(`SELECT 1 FROM ${table} WHERE account_id = $1`, [
        shopper.accountId,
      ]);
      expect(rows, table).toHaveLength(0);
    }
    const [receipt] = await test.cloud.db.query<{ account_id: string | null; total_cents: unknown }>(
      'SELECT account_id, total_cents FROM receipts WHERE receipt_id = $1',
      [receiptId],
    );
    expect(receipt).toEqual({ account_id: null, total_cents: expect.anything() });
    expect(Number(receipt?.total_cents)).toBe(378);
    const [stored] = await test.cloud.db.query<{ events: unknown[] }>(
      'SELECT events FROM visits WHERE visit_id = $1',
      [visit.visitId],
    );
    expect(stored?.events).toEqual([]);
    expect((await asShopper(test.cloud, shopper, 'GET', '/v1/me/receipts')).statusCode).toBe(401);
    // The edge may still redeliver the visit: it is answered from the anonymised receipt, not charged again.
    expect((await uploadVisit(test, visit)).json()).toMatchObject({ receiptId, status: 'paid' });
    expect((await reconcile(test.cloud.db)).ok).toBe(true);
    // The email is free again.
    const again = await test.cloud.app.inject({
      method: 'POST',
      url: '/v1/accounts',
      payload: { email: shopper.email, password: 'correct horse battery', name: 'New' },
    });
    expect(again.statusCode).toBe(201);
  });
});

describe('rate limits at their real values', () => {
  let test: TestCloud;
  beforeAll(async () => {
    test = await startTestCloud(PRIMARY_BACKEND, {
      rateLimit: { scale: 1 },
    });
  });
  afterAll(async () => {
    await test?.stop();
  });

  it('answers sign-in attempts beyond 60 a minute from one address with 429 and Retry-After', async () => {
    const attempt = () =>
      test.cloud.app.inject({
        method: 'POST',
        url: '/v1/auth/sessions',
        payload: { email: 'x@example.com', password: 'nope' },
      });
    // Together: each costs a scrypt (N = 2^15) on the thread pool, which four run at once.
    const statuses = (await Promise.all(Array.from({ length: 60 }, attempt))).map((r) => r.statusCode);
    expect(statuses.every((s) => s === 401)).toBe(true);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'rate_limited' });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  }, 90_000);

  it('gives store edges their own, higher budget keyed by credential', async () => {
    const response = await test.cloud.app.inject({
      method: 'PUT',
      url: `/v1/stores/${SAMPLE_STORE_ID}/stock`,
      headers: { authorization: `Bearer ${test.credentials[SAMPLE_STORE_ID]}` },
      payload: { lanes: [] },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-ratelimit-limit']).toBe('6000');
  });
});
