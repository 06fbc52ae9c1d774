// Store setups are checked before anything is written: unique store ids and credentials, long enough secrets.
import { describe, expect, it } from 'vitest';
import { checkStoreSetups } from '../../../../cloud/stores/seed-stores.ts';
import { loadStoreConfig } from '../../../../shared/store-config.ts';

const config = loadStoreConfig('stores/sample-store.json');

describe('checkStoreSetups', () => {
  it('accepts distinct stores with distinct credentials', () => {
    expect(() =>
      checkStoreSetups([
        { config, credential: 'credential-of-store-1' },
        { config: { ...config, storeId: 'store-002' }, credential: 'credential-of-store-2' },
      ]),
    ).not.toThrow();
  });

  it('refuses a store configured twice, a shared credential and a short credential', () => {
    expect(() =>
      checkStoreSetups([
        { config, credential: 'credential-of-store-1' },
        { config, credential: 'credential-of-store-2' },
      ]),
    ).toThrow('store store-001 is configured twice');
    expect(() =>
      checkStoreSetups([
        { config, credential: 'credential-shared' },
        { config: { ...config, storeId: 'store-002' }, credential: 'credential-shared' },
      ]),
    ).toThrow('store store-002: credential used by another store');
    expect(() => checkStoreSetups([{ config, credential: 'short' }])).toThrow(
      'store store-001: credential shorter than 16 characters',
    );
  });
});
