// The cloud's live cart (#18) (PostgreSQL in CI): snapshots are kept by highest sequence (repeats and
// late older ones change nothing), pushed only to the owning account's streams, resumed with Last-Event-ID;
// a flag is taken only for a counted line of a visit in progress and waits for the store's edge to pull it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveCartUpdate } from '../../../shared/schemas/live-cart.ts';
import { CartStreamClient } from '../../../simulators/app/cart-stream-client.ts';
import {
  asShopper,
  newShopper,
  OTHER_STORE_ID,
  PRIMARY_BACKEND,
  SAMPLE_STORE_ID,
  type Shopper,
  startTestCloud,
  type TestCloud,
} from './cloud-harness.ts';

const cartOf = (shopper: Shopper, sessionId: string, seq: number, skus: string[]): LiveCartUpdate => ({
  sessionId,
  accountId: shopper.accountId,
  seq,
  ts: 1_800_000_000_000 + seq,
  currency: 'EUR',
  lines: skus.map((sku) => ({
    sku,
    name: sku,
    count: 1,
    unitPriceCents: 100,
    lineCents: 100,
    status: 'counted',
  })),
  totalCents: 100 * skus.length,
  flags: [],
});

const backend = PRIMARY_BACKEND;
describe(`live cart stream on ${backend.name}`, () => {
  let test: TestCloud;
  let url: string;
  const streams: CartStreamClient[] = [];
  const upload = (
    update: LiveCartUpdate,
    storeId = SAMPLE_STORE_ID,
    key = `cart:${update.sessionId}:${update.seq}`,
  ) =>
    test.cloud.app.inject({
      method: 'POST',
      url: `/v1/stores/${storeId}/cart-updates`,
      headers: { authorization: `Bearer ${test.credentials[storeId]}`, 'idempotency-key': key },
      payload: update,
    });
  const open = async (shopper: Shopper) => {
    const stream = new CartStreamClient({ cloudUrl: url, token: shopper.token });
    streams.push(stream);
    await stream.start();
    return stream;
  };

  beforeAll(async () => {
    test = await startTestCloud(backend);
    url = await test.cloud.start();
  });
  afterAll(async () => {
    for (const s of streams) await s.stop();
    await test?.stop();
  });

  it('keeps the newest snapshot, pushes it to the owner only, and resumes after Last-Event-ID', async () => {
    const ada = await newShopper(test.cloud);
    const bob = await newShopper(test.cloud);
    const [adaPhone, adaTablet, bobPhone] = [await open(ada), await open(ada), await open(bob)];
    const visit = `s-${randomUUID()}`;
    expect((await upload(cartOf(ada, visit, 1, ['SKU-0001']))).json()).toEqual({ outcome: 'stored' });
    expect((await upload(cartOf(ada, visit, 2, ['SKU-0001', 'SKU-0002']))).json()).toEqual({
      outcome: 'stored',
    });
    expect((await upload(cartOf(ada, visit, 2, ['SKU-0001', 'SKU-0002']))).json()).toEqual({
      outcome: 'repeat',
    });
    expect((await upload(cartOf(ada, visit, 1, ['SKU-0001']))).json()).toEqual({ outcome: 'stale' });
    const second = await adaTablet.waitFor((e) => e.id === `cart:${visit}:2`);
    expect((second.data as LiveCartUpdate).lines.map((l) => l.sku)).toEqual(['SKU-0001', 'SKU-0002']);
    await adaPhone.waitFor((e) => e.id === `cart:${visit}:2`);
    expect(adaPhone.events.map((e) => e.id)).toEqual([`cart:${visit}:1`, `cart:${visit}:2`]);
    expect(bobPhone.events).toEqual([]);
    // a key that does not name the snapshot, another store's credential, an unknown account
    expect((await upload(cartOf(ada, visit, 3, []), SAMPLE_STORE_ID, 'cart:other:3')).statusCode).toBe(400);
    expect((await upload(cartOf(ada, visit, 3, []), OTHER_STORE_ID)).statusCode).toBe(200);
    expect((await upload({ ...cartOf(ada, visit, 4, []), accountId: 'nobody' })).statusCode).toBe(422);

    // a phone that comes back gets only what it missed
    const firstSecond = async (lastEventId?: string) => {
      const controller = new AbortController();
      const response = await fetch(`${url}/v1/me/cart/stream`, {
        headers: {
          authorization: `Bearer ${ada.token}`,
          ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }),
        },
        signal: controller.signal,
      });
      let text = '';
      const reading = (async () => {
        for await (const chunk of response.body ?? []) text += Buffer.from(chunk).toString('utf8');
      })().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 1000));
      controller.abort();
      await reading;
      return text;
    };
    expect(await firstSecond()).toContain(`id: cart:${visit}:2`);
    expect(await firstSecond(`cart:${visit}:2`)).not.toContain(`id: cart:${visit}:2`);
    const unauthenticated = await fetch(`${url}/v1/me/cart/stream`);
    expect(unauthenticated.status).toBe(401);
  });

  it('refuses a snapshot whose Idempotency-Key names another one (400, saying which key to send)', async () => {
    const ada = await newShopper(test.cloud);
    const update = cartOf(ada, `s-${randomUUID()}`, 3, ['SKU-0001']);
    const refused = await upload(update, SAMPLE_STORE_ID, `cart:${update.sessionId}:2`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({
      error: 'idempotency_key_mismatch',
      message: `Idempotency-Key must be "cart:${update.sessionId}:3" for this snapshot; send the same key on every retry.`,
    });
    expect((await upload(update)).json()).toEqual({ outcome: 'stored' });
  });

  it('takes a flag for a counted line only, until the edge pulls and acknowledges it', async () => {
    const ada = await newShopper(test.cloud);
    const visit = `s-${randomUUID()}`;
    await upload(cartOf(ada, visit, 1, ['SKU-0003']));
    const flag = (sku: string, sessionId = visit) =>
      asShopper(test.cloud, ada, 'POST', '/v1/me/cart/flags', { sessionId, sku });
    expect((await flag('SKU-0009')).statusCode).toBe(409);
    expect((await flag('SKU-0003', `s-${randomUUID()}`)).statusCode).toBe(404);
    const first = await flag('SKU-0003');
    expect(first.statusCode).toBe(201);
    expect((await flag('SKU-0003')).json()).toEqual(first.json());
    const edge = (method: 'GET' | 'POST', path: string, payload?: object) =>
      test.cloud.app.inject({
        method,
        url: `/v1/stores/${SAMPLE_STORE_ID}/cart-flags${path}`,
        headers: { authorization: `Bearer ${test.credentials[SAMPLE_STORE_ID]}` },
        ...(payload === undefined ? {} : { payload }),
      });
    const pulled = (await edge('GET', '')).json<{
      flags: { flagId: string; sku: string; sessionId: string }[];
    }>();
    expect(pulled.flags).toEqual([
      expect.objectContaining({ flagId: first.json().flagId, sku: 'SKU-0003', sessionId: visit }),
    ]);
    expect((await edge('POST', '/ack', { flagIds: [first.json().flagId] })).json()).toEqual({
      acknowledged: 1,
    });
    expect((await edge('GET', '')).json()).toEqual({ flags: [] });
  });
});
