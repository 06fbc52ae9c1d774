// Visit uploads the cloud refuses (bad store credentials, keys, bodies, SKUs, accounts, conflicting repeats)
// and receipts kept private to their owner, through the HTTP API (PostgreSQL in CI).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asShopper,
  newShopper,
  OTHER_STORE_ID,
  PRIMARY_BACKEND,
  providerCharges,
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

const backend = PRIMARY_BACKEND;
describe(`visit upload refusals and receipt privacy on ${backend.name}`, () => {
  let test: TestCloud;
  beforeAll(async () => {
    test = await startTestCloud(backend);
  });
  afterAll(async () => {
    await test?.stop();
  });

  it('refuses a SKU outside the catalog with 422 naming it, and stores nothing', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const visit = visitOf(shopper.accountId, [...CART, { sku: 'SKU-9999', quantity: 1 }]);
    const response = await uploadVisit(test, visit);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({ error: 'unknown_sku', message: expect.stringContaining('SKU-9999') });
    expect(
      await test.cloud.db.query('SELECT 1 FROM visits WHERE visit_id = $1', [visit.visitId]),
    ).toHaveLength(0);
  });

  it('authenticates the store: 401 without or with a bad credential, 403 with another store’s', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const visit = visitOf(shopper.accountId, CART);
    const missing = await uploadVisit(test, visit, { credential: null });
    expect(missing.statusCode).toBe(401);
    expect(missing.json<{ error: string }>().error).toBe('unauthorized');
    expect((await uploadVisit(test, visit, { credential: 'cred-not-a-real-one-at-all' })).statusCode).toBe(
      401,
    );
    const wrongStore = await uploadVisit(test, visit, { credential: test.credentials[OTHER_STORE_ID] });
    expect(wrongStore.statusCode).toBe(403);
    expect(wrongStore.json<{ error: string }>().error).toBe('forbidden_store');
    expect(await providerCharges(test.cloud, visit.visitId)).toHaveLength(0);
  });

  it('requires Idempotency-Key visit:<visitId> and a body that matches the schema', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const visit = visitOf(shopper.accountId, CART);
    const noKey = await uploadVisit(test, visit, { idempotencyKey: null });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json<{ message: string }>().message).toContain('idempotency-key');
    const wrongKey = await uploadVisit(test, visit, { idempotencyKey: 'visit:someone-else' });
    expect(wrongKey.statusCode).toBe(400);
    expect(wrongKey.json()).toEqual({
      error: 'idempotency_key_mismatch',
      message: `Idempotency-Key must be "visit:${visit.visitId}" for this visit; send the same key on every retry.`,
    });
    const backwards = await uploadVisit(test, { ...visit, exitedAt: visit.enteredAt - 1 });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json<{ error: string }>().error).toBe('invalid_visit');
    const zeroQuantity = await uploadVisit(test, { ...visit, lines: [{ sku: 'SKU-0001', quantity: 0 }] });
    expect(zeroQuantity.statusCode).toBe(400);
    expect(zeroQuantity.json()).toEqual({
      error: 'invalid_body',
      message: expect.stringContaining('body/lines/0/quantity'),
    });
  });

  it('refuses the same visit id with a different cart with 409', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const visit = visitOf(shopper.accountId, CART);
    expect((await uploadVisit(test, visit)).statusCode).toBe(201);
    const altered = await uploadVisit(test, { ...visit, lines: [{ sku: 'SKU-0001', quantity: 5 }] });
    expect(altered.statusCode).toBe(409);
    expect(altered.json<{ error: string }>().error).toBe('idempotency_key_reused');
  });

  it('shows receipts only to their owner, newest first', async () => {
    const owner = await newShopper(test.cloud, 'tok_visa');
    const other = await newShopper(test.cloud, 'tok_visa');
    const first = (await uploadVisit(test, visitOf(owner.accountId, CART))).json<{ receiptId: string }>();
    const second = (
      await uploadVisit(test, visitOf(owner.accountId, [{ sku: 'SKU-0002', quantity: 1 }]))
    ).json<{ receiptId: string }>();

    const list = await asShopper(test.cloud, owner, 'GET', '/v1/me/receipts');
    const ids = list.json<{ receipts: { receiptId: string }[] }>().receipts.map((r) => r.receiptId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids)).toEqual(new Set([first.receiptId, second.receiptId]));
    const createdAt = list.json<{ receipts: { createdAt: number }[] }>().receipts.map((r) => r.createdAt);
    expect(createdAt[0]).toBeGreaterThanOrEqual(createdAt[1] ?? Number.POSITIVE_INFINITY);

    const stranger = await asShopper(test.cloud, other, 'GET', `/v1/me/receipts/${first.receiptId}`);
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json<{ error: string }>().error).toBe('receipt_not_found');
    expect((await asShopper(test.cloud, other, 'GET', '/v1/me/receipts')).json()).toEqual({ receipts: [] });
    expect((await asShopper(test.cloud, owner, 'GET', '/v1/me/receipts/no-such-receipt')).statusCode).toBe(
      404,
    );
  });

  it('refuses a visit for an account that does not exist: no entry token was issued to it', async () => {
    const response = await uploadVisit(test, visitOf('no-such-account', CART));
    expect(response.statusCode).toBe(403);
    expect(response.json<{ error: string }>().error).toBe('entry_token_unknown');
  });
});
