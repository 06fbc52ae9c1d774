// Brings the stores table and each store's catalog in line with the store configs at start: upserts stores
// (with the hash of their edge credential) and products, and drops products a config no longer lists.
import type { Clock } from '../../shared/clock.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import type { Database } from '../db/database.ts';
import { hashSecret } from '../http/bearer-token.ts';

export interface StoreSetup {
  config: StoreConfig;
  /** Secret the store's edge presents as `Authorization: Bearer <credential>`. */
  credential: string;
}

const MIN_CREDENTIAL_LENGTH = 16;

export function checkStoreSetups(stores: readonly StoreSetup[]): void {
  const ids = new Set<string>();
  const credentials = new Set<string>();
  for (const { config, credential } of stores) {
    if (ids.has(config.storeId)) throw new Error(`store ${config.storeId} is configured twice`);
    if (credential.length < MIN_CREDENTIAL_LENGTH) {
      throw new Error(`store ${config.storeId}: credential shorter than ${MIN_CREDENTIAL_LENGTH} characters`);
    }
    // Credentials identify the store, so two stores may not share one.
    if (credentials.has(credential))
      throw new Error(`store ${config.storeId}: credential used by another store`);
    ids.add(config.storeId);
    credentials.add(credential);
  }
}

export async function seedStores(db: Database, stores: readonly StoreSetup[], clock: Clock): Promise<void> {
  checkStoreSetups(stores);
  await db.transaction(async (tx) => {
    for (const { config, credential } of stores) {
      await tx.query(
        `INSERT INTO stores (store_id, name, currency, credential_hash, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (store_id) DO UPDATE SET name = EXCLUDED.name, currency = EXCLUDED.currency,
           credential_hash = EXCLUDED.credential_hash, updated_at = EXCLUDED.updated_at`,
        [config.storeId, config.name, config.currency, hashSecret(credential), clock.now()],
      );
      for (const product of config.catalog) {
        await tx.query(
          `INSERT INTO products (store_id, sku, name, category, price_cents) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (store_id, sku) DO UPDATE SET name = EXCLUDED.name, category = EXCLUDED.category,
             price_cents = EXCLUDED.price_cents`,
          [config.storeId, product.sku, product.name, product.category, product.priceCents],
        );
      }
      // Receipts copy name and price, so removing a product never changes a past receipt.
      await tx.query('DELETE FROM products WHERE store_id = $1 AND NOT (sku = ANY($2::text[]))', [
        config.storeId,
        config.catalog.map((p) => p.sku),
      ]);
    }
  });
}
