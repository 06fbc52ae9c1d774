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
      '009-chain-scale.sql',
    ]);
    // 007 and 008 are taken by work on other branches; versions only have to be unique and ascending.
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(migrations[0]?.sql).toContain('CREATE TABLE receipts');
  });
});
