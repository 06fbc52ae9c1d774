// Behaviour from the store floor (#19) in the cloud: the entry token carries the shopper's consent; an upload's
// behaviour is kept only while the account consents, shown as "you looked at" / "you compared", fed into
// considered-not-bought and the shop's recommendations, exported, and gone with withdrawal or erasure.
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VisitBehaviour } from '../../../shared/schemas/visit-behaviour.ts';
import {
  asShopper,
  newShopper,
  PRIMARY_BACKEND,
  SAMPLE_STORE_ID,
  type Shopper,
  STAFF_LOGIN,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOf,
} from './cloud-harness.ts';

/** Lingered at the yogurt (SKU-0004, dairy), compared it with the milk and kept the milk (SKU-0012). */
const FLOOR: VisitBehaviour = {
  v: 1,
  lingers: [
    { lane: 'S01-L01', sku: 'SKU-0004', category: 'dairy', startTs: 1_700_000_050_000, durationMs: 6200 },
  ],
  comparisons: [
    {
      category: 'dairy',
      by: 'looked',
      skus: ['SKU-0004', 'SKU-0012'],
      kept: 'SKU-0012',
      ts: 1_700_000_060_000,
    },
  ],
  dwellByShelf: [{ shelf: 'S01', dwellMs: 8400 }],
  dwellByCategory: [{ category: 'dairy', dwellMs: 8400 }],
  firstPickMs: 60_000,
  path: [
    [0, 2, 2],
    [5, 4, 3.5],
  ],
};

const backend = PRIMARY_BACKEND;
describe(`behaviour from the floor in the cloud on ${backend.name}`, () => {
  let test: TestCloud;
  beforeAll(async () => {
    test = await startTestCloud(backend);
  });
  afterAll(async () => {
    await test?.stop();
  });

  const consent = (shopper: Shopper, behaviourTracking: boolean) =>
    asShopper(test.cloud, shopper, 'PUT', '/v1/me/consent', { behaviourTracking, marketing: false });
  const upload = (shopper: Shopper) =>
    uploadVisit(test, {
      ...visitOf(shopper.accountId, [{ sku: 'SKU-0012', quantity: 1 }]),
      behaviour: FLOOR,
    });
  const floorRows = async (shopper: Shopper) =>
    test.cloud.db.query('SELECT floor FROM behaviour_visits WHERE account_id = $1 AND floor IS NOT NULL', [
      shopper.accountId,
    ]);

  it('puts the consent into the entry token: off by default, on once given', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const claim = async () =>
      decodeJwt(
        (
          await asShopper(test.cloud, shopper, 'POST', '/v1/me/entry-tokens', { storeId: SAMPLE_STORE_ID })
        ).json<{ token: string }>().token,
      ).behaviour;
    expect(await claim()).toBe(false);
    await consent(shopper, true);
    expect(await claim()).toBe(true);
  });

  it('without consent keeps nothing of it, whatever the upload carries', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    expect((await upload(shopper)).statusCode).toBe(201);
    expect(await floorRows(shopper)).toEqual([]);
    const profile = (await asShopper(test.cloud, shopper, 'GET', '/v1/me/profile')).json<{
      behaviour: { lookedAt: unknown[]; compared: unknown[] };
    }>();
    expect(profile.behaviour.lookedAt).toEqual([]);
    expect(profile.behaviour.compared).toEqual([]);
  });

  it('with consent: you looked at, you compared, dwell, considered-not-bought, recommendations, export', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    await consent(shopper, true);
    expect((await upload(shopper)).statusCode).toBe(201);
    const { behaviour } = (await asShopper(test.cloud, shopper, 'GET', '/v1/me/profile')).json<{
      behaviour: Record<string, unknown>;
    }>();
    expect(behaviour.lookedAt).toEqual([
      {
        sku: 'SKU-0004',
        name: 'Northfield Greek Yogurt',
        category: 'dairy',
        looks: 1,
        lookedMs: 6200,
        lastLookedAt: 1_700_000_050_000,
      },
    ]);
    expect(behaviour.compared).toEqual([
      {
        category: 'dairy',
        by: 'looked',
        products: [
          { sku: 'SKU-0004', name: 'Northfield Greek Yogurt' },
          { sku: 'SKU-0012', name: 'Northfield Whole Milk 1 L' },
        ],
        kept: { sku: 'SKU-0012', name: 'Northfield Whole Milk 1 L' },
        at: 1_700_000_060_000,
      },
    ]);
    expect(behaviour.categories).toEqual([
      expect.objectContaining({ category: 'dairy', interactions: 1, dwellMs: 8400 }),
    ]);
    // looked at and not bought: considered, and offered by the online shop
    expect(behaviour.consideredNotBought).toEqual([
      expect.objectContaining({ sku: 'SKU-0004', putBacks: 0, looks: 1 }),
    ]);
    const recommended = await test.cloud.app.inject({
      method: 'GET',
      url: `/v1/shop/customers/${shopper.accountId}/recommendations`,
      headers: { authorization: `Bearer ${test.shopCredential}` },
    });
    expect(recommended.json<{ consideredNotBought: { sku: string }[] }>().consideredNotBought).toEqual([
      expect.objectContaining({ sku: 'SKU-0004', looks: 1 }),
    ]);
    const { data } = (await asShopper(test.cloud, shopper, 'GET', '/v1/me/export')).json<{
      data: { behaviour: { floor: VisitBehaviour }[] };
    }>();
    expect(data.behaviour.map((b) => b.floor)).toEqual([FLOOR]);
  });

  it('withdrawing consent deletes it; erasure deletes it', async () => {
    const withdraws = await newShopper(test.cloud, 'tok_visa');
    await consent(withdraws, true);
    await upload(withdraws);
    expect(await floorRows(withdraws)).toHaveLength(1);
    await consent(withdraws, false);
    expect(await floorRows(withdraws)).toEqual([]);

    const erases = await newShopper(test.cloud, 'tok_visa');
    await consent(erases, true);
    await upload(erases);
    expect(await floorRows(erases)).toHaveLength(1);
    const erased = await asShopper(test.cloud, erases, 'POST', '/v1/me/erase', {
      password: 'correct horse battery',
    });
    expect(erased.statusCode).toBe(200);
    expect(await floorRows(erases)).toEqual([]);
  });

  it('staff see totals per category over five or more consenting visits, never a visit or a person', async () => {
    const signIn = await test.cloud.app.inject({
      method: 'POST',
      url: '/v1/auth/sessions',
      payload: { email: STAFF_LOGIN.email, password: STAFF_LOGIN.password },
    });
    const staff = signIn.json<{ token: string }>();
    const aggregates = async () =>
      (
        await test.cloud.app.inject({
          method: 'GET',
          url: `/v1/staff/behaviour?storeId=${SAMPLE_STORE_ID}&from=0`,
          headers: { authorization: `Bearer ${staff.token}` },
        })
      ).json<{ visits: number; suppressed: number; categories: Record<string, unknown>[] }>();
    const before = await aggregates();
    // one more consenting visit is not enough for a category of its own
    const shopper = await newShopper(test.cloud, 'tok_visa');
    await consent(shopper, true);
    await upload(shopper);
    const kept = before.visits + 1;
    const after = await aggregates();
    expect(after.visits).toBe(kept);
    if (kept < 5) expect(after).toMatchObject({ categories: [], suppressed: 1 });
    for (let i = kept; i < 5; i++) {
      const more = await newShopper(test.cloud, 'tok_visa');
      await consent(more, true);
      await upload(more);
    }
    const enough = await aggregates();
    expect(enough.categories).toEqual([
      {
        category: 'dairy',
        visits: enough.visits,
        looks: enough.visits,
        comparisons: enough.visits,
        dwellMs: 8400 * enough.visits,
      },
    ]);
    expect(JSON.stringify(enough)).not.toMatch(/accountId|visitId|SKU-/);
    const asShopperToo = await asShopper(
      test.cloud,
      shopper,
      'GET',
      `/v1/staff/behaviour?storeId=${SAMPLE_STORE_ID}`,
    );
    expect(asShopperToo.statusCode).toBe(403);
  });
});
