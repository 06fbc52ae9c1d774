// The migration files are found, numbered uniquely and applied in order.
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../../../cloud/db/migrate.ts';

describe('loadMigrations', () => {
  it('lists the numbered SQL files in order, numbered 1, 2, … without gaps', () => {
    const migrations = loadMigrations();
    expect(migrations.map((m) => m.name)).toEqual([
      '001-core.sql',
      '002-sandbox-payment-provider.sql',
      '003-omnichannel.sql',
      '004-entry-tokens.sql',
      '005-session-expiry-index.sql',
      '006-floor-behaviour.sql',
      '007-live-carts.sql',
      '008-chain-scale.sql',
      '009-payment-holds.sql',
      '010-collection-resolutions.sql',
      '011-visit-returns.sql',
    ]);
    expect(migrations.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(migrations[0]?.sql).toContain('CREATE TABLE receipts');
  });
});
