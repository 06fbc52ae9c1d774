// One cloud serving a chain: 50 stores registered through the API, each with its own credential and prices;
// each edge bills only its own store, and a new config version registered on one replica prices the next
// visit on another replica at once (no per-replica cache decides an answer).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cloud, createCloud } from '../../../cloud/server.ts';
import type { StoreConfig } from '../../../shared/store-config.ts';
import {
  admit,
  BACKENDS,
  newSchemaName,
  newShopper,
  type Shopper,
  STAFF_LOGIN,
  startTestCloud,
  type TestCloud,
  visitOf,
} from './cloud-harness.ts';

const STORES = 50;
const postgres = BACKENDS.find((b) => b.name === 'PostgreSQL');

/** Store n sells SKU-0001 at 100 + n cents, so a receipt's total says which store's prices it used. */
function chainStore(sample: StoreConfig, n: number, price = 100 + n): StoreConfig {
  return {
    ...sample,
    storeId: `chain-${String(n).padStart(3, '0')}`,
    name: `Chain store ${n}`,
    catalog: sample.catalog.map((p) => (p.sku === 'SKU-0001' ? { ...p, priceCents: price } : p)),
  };
}

describe.skipIf(postgres === undefined || postgres.unavailable)('a chain of 50 stores in one cloud', () => {
  let test: TestCloud;
  let replica: Cloud;
  let staffToken: string;
  let shopper: Shopper;
  const credentials = new Map<string, string>();

  beforeAll(async () => {
    if (postgres?.databaseUrl === undefined) return;
    const schema = newSchemaName();
    test = await startTestCloud(postgres, { postgresSchema: schema });
    // A second replica on the same database, started with no store config of its own.
    replica = await createCloud({ databaseUrl: postgres.databaseUrl, postgresSchema: schema, stores: [] });
    const signIn = await test.cloud.app.inject({
      method: 'POST',
      url: '/v1/auth/sessions',
      payload: { email: STAFF_LOGIN.email, password: STAFF_LOGIN.password },
    });
    staffToken = signIn.json<{ token: string }>().token;
    shopper = await newShopper(test.cloud, 'tok_visa');
  }, 90_000);
  afterAll(async () => {
    await replica?.stop();
    await test?.stop();
  });

  const register = (cloud: Cloud, config: StoreConfig, body: Record<string, unknown> = {}) =>
    cloud.app.inject({
      method: 'PUT',
      url: `/v1/stores/${config.storeId}/config`,
      headers: { authorization: `Bearer ${staffToken}` },
      payload: { config, ...body },
    });

  const upload = async (cloud: Cloud, storeId: string, credential: string, admittedAt = storeId) => {
    const visit = visitOf(shopper.accountId, [{ sku: 'SKU-0001', quantity: 2 }]);
    await admit(cloud, visit, admittedAt);
    return cloud.app.inject({
      method: 'POST',
      url: `/v1/stores/${storeId}/visits`,
      headers: { authorization: `Bearer ${credential}`, 'idempotency-key': `visit:${visit.visitId}` },
      payload: visit,
    });
  };

  it('registers 50 stores through the API and bills each visit at its own store’s prices', async () => {
    const configs = Array.from({ length: STORES }, (_, n) => chainStore(test.sampleStore, n));
    for (const config of configs) {
      const credential = `chain-${randomBytes(16).toString('hex')}`;
      credentials.set(config.storeId, credential);
      const response = await register(test.cloud, config, { credential, expectedVersion: 0 });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ storeId: config.storeId, version: 1, created: true });
    }
    // Each edge uploads through either replica (alternating, as a load balancer would).
    const results = await Promise.all(
      configs.map(async (config, n) => {
        const cloud = n % 2 === 0 ? test.cloud : replica;
        const response = await upload(cloud, config.storeId, credentials.get(config.storeId) as string);
        return { status: response.statusCode, body: response.json<{ status: string; totalCents: number }>() };
      }),
    );
    expect(results).toEqual(
      configs.map((_, n) => ({
        status: 201,
        body: expect.objectContaining({ status: 'paid', totalCents: 2 * (100 + n) }),
      })),
    );
    const perStore = await test.cloud.db.query<{ store_id: string; receipts: string }>(
      `SELECT store_id, count(*)::text AS receipts FROM receipts WHERE store_id LIKE 'chain-%' GROUP BY store_id`,
    );
    expect(perStore).toHaveLength(STORES);
    expect(perStore.every((row) => row.receipts === '1')).toBe(true);
  }, 60_000);

  it('refuses an edge uploading to another store, and a token admitted at another store', async () => {
    const own = credentials.get('chain-000') as string;
    const foreign = await upload(test.cloud, 'chain-001', own, 'chain-001');
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json<{ error: string }>().error).toBe('forbidden_store');
    const elsewhere = await upload(replica, 'chain-000', own, 'chain-002');
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json<{ error: string }>().error).toBe('entry_token_wrong_store');
  });

  it('prices at a new config version registered on the other replica at once; a stale base is a conflict', async () => {
    const credential = credentials.get('chain-007') as string;
    // The replica has the store's version-1 prices cached from the first test.
    expect((await upload(replica, 'chain-007', credential)).json()).toMatchObject({ totalCents: 2 * 107 });
    const v2 = await register(test.cloud, chainStore(test.sampleStore, 7, 555), { expectedVersion: 1 });
    expect(v2.json()).toEqual({ storeId: 'chain-007', version: 2, created: true });
    expect((await upload(replica, 'chain-007', credential)).json()).toMatchObject({ totalCents: 2 * 555 });

    const stale = await register(replica, chainStore(test.sampleStore, 7, 999), { expectedVersion: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<{ error: string }>().error).toBe('config_version_conflict');
    const same = await register(replica, chainStore(test.sampleStore, 7, 555));
    expect(same.json()).toEqual({ storeId: 'chain-007', version: 2, created: false });
    const current = await replica.app.inject({
      method: 'GET',
      url: '/v1/stores/chain-007/config',
      headers: { authorization: `Bearer ${credential}` },
    });
    expect(current.json<{ version: number; config: StoreConfig }>().version).toBe(2);
    expect(
      current.json<{ config: StoreConfig }>().config.catalog.find((p) => p.sku === 'SKU-0001')?.priceCents,
    ).toBe(555);
  });

  it('refuses a config the store-config schema rejects, and a shopper registering one', async () => {
    const broken = {
      ...chainStore(test.sampleStore, 60),
      gates: test.sampleStore.gates.filter((g) => g.kind !== 'exit'),
    };
    const response = await register(test.cloud, broken, {
      credential: `chain-${randomBytes(16).toString('hex')}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain('/gates: no exit gate');
    const asShopper = await test.cloud.app.inject({
      method: 'PUT',
      url: '/v1/stores/chain-061/config',
      headers: { authorization: `Bearer ${shopper.token}` },
      payload: {
        config: chainStore(test.sampleStore, 61),
        credential: `chain-${randomBytes(16).toString('hex')}`,
      },
    });
    expect(asShopper.statusCode).toBe(403);
  });
});
