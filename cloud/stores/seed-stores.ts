// The stores given at start (STORE_CONFIG and its credential, or a test's stores): checked, then registered
// as store config versions like any other (cloud/stores/store-configs.ts).
import type { Clock } from '../../shared/clock.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import type { Database } from '../db/database.ts';
import { MIN_CREDENTIAL_LENGTH, registerStoreConfig } from './store-configs.ts';

export interface StoreSetup {
  config: StoreConfig;
  /** Secret the store's edge presents as `Authorization: Bearer <credential>`. */
  credential: string;
}

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

/**
 * Registers each start-up store's config (registerStoreConfig, by 'startup'): a new version only when the
 * file's content changed, and never over a config registered through the API.
 */
export async function seedStores(db: Database, stores: readonly StoreSetup[], clock: Clock): Promise<void> {
  checkStoreSetups(stores);
  await db.transaction(async (tx) => {
    for (const { config, credential } of stores) {
      await registerStoreConfig(tx, { config, credential, registeredBy: 'startup', now: clock.now() });
    }
  });
}
