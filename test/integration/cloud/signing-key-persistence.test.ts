// The entry-token key is generated once and survives restarts: edges keep trusting the key they fetched.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCloud } from '../../../cloud/server.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';
import { BACKENDS, dropSchema, newSchemaName } from './cloud-harness.ts';

const stores = [
  { config: loadStoreConfig('stores/sample-store.json'), credential: 'persistence-test-credential' },
];

async function kidOf(databaseUrl: string, postgresSchema?: string): Promise<string> {
  const cloud = await createCloud({ databaseUrl, stores, ...(postgresSchema ? { postgresSchema } : {}) });
  try {
    return (await cloud.app.inject({ method: 'GET', url: '/v1/entry-token-key' })).json<{ kid: string }>()
      .kid;
  } finally {
    await cloud.stop();
  }
}

describe('entry-token signing key persistence', () => {
  it('keeps the key across restarts of a PGlite data directory', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'walkout-cloud-'));
    try {
      const first = await kidOf(`pglite:${dir}`);
      expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await kidOf(`pglite:${dir}`)).toBe(first);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const postgres = BACKENDS.find((b) => b.name === 'PostgreSQL');
  it.skipIf(postgres?.databaseUrl === undefined)('keeps the key across restarts on PostgreSQL', async () => {
    const url = postgres?.databaseUrl as string;
    const schema = newSchemaName();
    try {
      const first = await kidOf(url, schema);
      expect(await kidOf(url, schema)).toBe(first);
    } finally {
      await dropSchema(url, schema);
    }
  });
});
