// Store configs (catalog and prices, shelves and lanes, gates, cameras) registered and versioned per store in
// the cloud database, so one cloud serves a chain and its replicas never read a config file. Registering a
// config appends a version (the same content again is a no-op), applies its catalog and new lanes, and bumps
// stores.config_version so every replica re-reads its cached prices. An optional expected version makes a
// concurrent change a conflict instead of a silent overwrite.
import { createHash } from 'node:crypto';
import type { StoreConfig } from '../../shared/store-config.ts';
import { type Queryable, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { hashSecret } from '../http/bearer-token.ts';

/** Who registered a version: the file given at start, or a staff account through the API. */
export type RegisteredBy = 'startup' | `staff:${string}`;

export interface StoreConfigRegistration {
  config: StoreConfig;
  /** The store edge's secret: required for a new store, rotates it when given for a known one. */
  credential?: string;
  /** The version the change was based on (0: the store has none yet); another one is a 409. */
  expectedVersion?: number;
  registeredBy: RegisteredBy;
  now: number;
}

export interface RegisteredConfig {
  storeId: string;
  version: number;
  /** False when the latest version already had this content (nothing written but a given credential). */
  created: boolean;
}

export interface StoreConfigVersion {
  version: number;
  contentHash: string;
  registeredBy: string;
  createdAt: number;
}

export const MIN_CREDENTIAL_LENGTH = 16;

/** sha256 of the config's JSON with keys sorted, so key order does not make a new version. */
export function contentHashOf(config: StoreConfig): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries.map(([k, v]) => [k, sorted(v)]));
    }
    return value;
  };
  return createHash('sha256')
    .update(JSON.stringify(sorted(config)))
    .digest('hex');
}

interface Latest {
  version: number;
  contentHash: string;
  registeredBy: string;
}

async function latestOf(tx: Queryable, storeId: string): Promise<Latest | undefined> {
  const rows = await tx.query<{ version: unknown; content_hash: string; registered_by: string }>(
    `SELECT version, content_hash, registered_by FROM store_config_versions WHERE store_id = $1
     ORDER BY version DESC LIMIT 1`,
    [storeId],
  );
  const row = rows[0];
  return row === undefined
    ? undefined
    : { version: toNumber(row.version), contentHash: row.content_hash, registeredBy: row.registered_by };
}

/** Registers `reg.config` in `tx` (a transaction): see the module comment. */
export async function registerStoreConfig(
  tx: Queryable,
  reg: StoreConfigRegistration,
): Promise<RegisteredConfig> {
  const { config } = reg;
  const storeId = config.storeId;
  await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`store-config:${storeId}`]);
  const latest = await latestOf(tx, storeId);
  const known = (await tx.query('SELECT 1 FROM stores WHERE store_id = $1', [storeId])).length > 0;
  const current = latest?.version ?? 0;
  // Once a config was registered through the API, the API owns the store: a replica starting with an old
  // file (a rolling deploy) must not take it back.
  if (reg.registeredBy === 'startup' && latest !== undefined && latest.registeredBy !== 'startup') {
    return { storeId, version: current, created: false };
  }
  if (reg.expectedVersion !== undefined && reg.expectedVersion !== current) {
    throw new ApiError(
      409,
      'config_version_conflict',
      `Store ${storeId} is at config version ${current}, not ${reg.expectedVersion}: fetch it, reapply your change, and send again.`,
    );
  }
  if (!known && reg.credential === undefined) {
    throw new ApiError(
      422,
      'credential_required',
      `Store ${storeId} is new: send its edge credential (at least ${MIN_CREDENTIAL_LENGTH} characters) with its first config.`,
    );
  }
  if (reg.credential !== undefined) await setCredential(tx, storeId, reg.credential, known);
  const contentHash = contentHashOf(config);
  if (latest?.contentHash === contentHash) return { storeId, version: current, created: false };
  const version = current + 1;
  await applyCatalog(tx, config, version, reg.now);
  await applyNewLanes(tx, config);
  await tx.query(
    `INSERT INTO store_config_versions (store_id, version, config, content_hash, registered_by, created_at)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6)`,
    [storeId, version, JSON.stringify(config), contentHash, reg.registeredBy, reg.now],
  );
  return { storeId, version, created: true };
}

async function setCredential(tx: Queryable, storeId: string, credential: string, known: boolean) {
  if (credential.length < MIN_CREDENTIAL_LENGTH) {
    throw new ApiError(
      400,
      'credential_too_short',
      `A store credential has at least ${MIN_CREDENTIAL_LENGTH} characters.`,
    );
  }
  const hash = hashSecret(credential);
  const owner = await tx.query<{ store_id: string }>(
    'SELECT store_id FROM stores WHERE credential_hash = $1',
    [hash],
  );
  if (owner[0] !== undefined && owner[0].store_id !== storeId) {
    // Credentials identify the store, so two stores may not share one.
    throw new ApiError(
      409,
      'credential_in_use',
      `Store ${storeId}: that credential belongs to another store; generate a new one.`,
    );
  }
  if (known) await tx.query('UPDATE stores SET credential_hash = $2 WHERE store_id = $1', [storeId, hash]);
  else {
    await tx.query(
      `INSERT INTO stores (store_id, name, currency, credential_hash, updated_at, config_version)
       VALUES ($1, $1, 'XXX', $2, 0, 0)`,
      [storeId, hash],
    );
  }
}

/** Store row, products (upserted; those no longer listed dropped) and the config version replicas check. */
async function applyCatalog(tx: Queryable, config: StoreConfig, version: number, now: number) {
  await tx.query(
    `UPDATE stores SET name = $2, currency = $3, updated_at = $4, config_version = $5 WHERE store_id = $1`,
    [config.storeId, config.name, config.currency, now, version],
  );
  const { catalog } = config;
  await tx.query(
    `INSERT INTO products (store_id, sku, name, category, price_cents)
     SELECT $1, t.sku, t.name, t.category, t.price FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[])
       AS t(sku, name, category, price)
     ON CONFLICT (store_id, sku) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category,
       price_cents = EXCLUDED.price_cents`,
    [
      config.storeId,
      catalog.map((p) => p.sku),
      catalog.map((p) => p.name),
      catalog.map((p) => p.category),
      catalog.map((p) => p.priceCents),
    ],
  );
  // Receipts copy name and price, so removing a product never changes a past receipt.
  await tx.query('DELETE FROM products WHERE store_id = $1 AND NOT (sku = ANY($2::text[]))', [
    config.storeId,
    catalog.map((p) => p.sku),
  ]);
}

/** Lanes the database has not seen start at their configured units; known lanes keep their reports. */
async function applyNewLanes(tx: Queryable, config: StoreConfig) {
  const lanes = config.shelves.flatMap((shelf) =>
    shelf.lanes.flatMap((lane) => (lane.sku === undefined ? [] : [{ ...lane, sku: lane.sku }])),
  );
  await tx.query(
    `INSERT INTO lane_stock (store_id, lane, sku, units, ts)
     SELECT $1, t.lane, t.sku, t.units, 0 FROM unnest($2::text[], $3::text[], $4::int[]) AS t(lane, sku, units)
     ON CONFLICT (store_id, lane) DO NOTHING`,
    [config.storeId, lanes.map((l) => l.id), lanes.map((l) => l.sku), lanes.map((l) => l.initialUnits)],
  );
}

/** The config in force (highest version), or undefined for a store without one. */
export async function currentStoreConfig(
  db: Queryable,
  storeId: string,
): Promise<{ version: number; config: StoreConfig; createdAt: number } | undefined> {
  const rows = await db.query<{ version: unknown; config: StoreConfig; created_at: unknown }>(
    `SELECT version, config, created_at FROM store_config_versions WHERE store_id = $1
     ORDER BY version DESC LIMIT 1`,
    [storeId],
  );
  const row = rows[0];
  if (row === undefined) return undefined;
  return { version: toNumber(row.version), config: row.config, createdAt: toNumber(row.created_at) };
}

export async function storeConfigVersions(db: Queryable, storeId: string): Promise<StoreConfigVersion[]> {
  const rows = await db.query<{
    version: unknown;
    content_hash: string;
    registered_by: string;
    created_at: unknown;
  }>(
    `SELECT version, content_hash, registered_by, created_at FROM store_config_versions WHERE store_id = $1
     ORDER BY version DESC LIMIT 500`,
    [storeId],
  );
  return rows.map((row) => ({
    version: toNumber(row.version),
    contentHash: row.content_hash,
    registeredBy: row.registered_by,
    createdAt: toNumber(row.created_at),
  }));
}
