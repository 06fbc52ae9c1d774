// The cloud's single statements share a few pipelined connections on the real PostgreSQL: concurrent
// statements each get their own answer, a failing one fails alone (its own implicit transaction), and a
// connection killed under load fails only what was in flight on it and is replaced.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PipelinedConnections } from '../../../cloud/db/pipelined-connections.ts';
import { realPostgres } from '../../support/services.ts';
import { dropSchema, newSchemaName } from './cloud-harness.ts';

const postgres = realPostgres();

describe.skipIf(postgres.url === undefined)('pipelined connections on PostgreSQL', () => {
  const url = postgres.url as string;
  const schema = newSchemaName();
  const application = `walkout-pipelined:${schema}`;
  let connections: PipelinedConnections;
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${schema}.items (id integer PRIMARY KEY, label text NOT NULL)`);
    connections = new PipelinedConnections(
      { connectionString: url, application_name: application, options: `-c search_path=${schema}` },
      3,
    );
    await connections.start();
  });

  afterAll(async () => {
    await connections?.close();
    await admin?.end();
    await dropSchema(url, schema);
  });

  const insert = (id: number) =>
    connections.query({
      name: 'insert_item',
      text: 'INSERT INTO items (id, label) VALUES ($1, $2) RETURNING id, label',
      values: [id, `item ${id}`],
    });

  it('answers each of many concurrent statements with its own rows, on 3 server backends', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => insert(i + 1)));
    expect(results.map((r) => r.rows[0])).toEqual(
      Array.from({ length: 60 }, (_, i) => ({ id: i + 1, label: `item ${i + 1}` })),
    );
    const backends = await admin.query(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [application],
    );
    expect(backends.rows[0]).toEqual({ n: 3 });
  });

  it('fails a statement alone: the ones written around it on the same connection commit', async () => {
    const outcomes = await Promise.allSettled([insert(101), insert(1), insert(102), insert(2), insert(103)]);
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const rejected = outcomes[1] as PromiseRejectedResult;
    expect((rejected.reason as { code?: string }).code).toBe('23505');
    const stored = await admin.query(`SELECT id FROM ${schema}.items WHERE id > 100 ORDER BY id`);
    expect(stored.rows.map((r) => r.id)).toEqual([101, 102, 103]);
  });

  it('fails only the statements in flight on a killed connection, and replaces it', async () => {
    // Every backend is busy for a moment, so statements are in flight on each when they are killed.
    const sleeping = Array.from({ length: 6 }, () =>
      connections.query({ text: 'SELECT pg_sleep(0.3) AS slept' }).then(
        () => 'answered',
        () => 'failed',
      ),
    );
    await new Promise((r) => setTimeout(r, 100));
    const [victim] = (
      await admin.query(
        'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND state = $2 ORDER BY pid LIMIT 1',
        [application, 'active'],
      )
    ).rows as { pid: number }[];
    expect(victim).toBeDefined();
    await admin.query('SELECT pg_terminate_backend($1)', [victim?.pid]);
    const outcomes = await Promise.all(sleeping);
    expect(outcomes.filter((o) => o === 'failed').length).toBeGreaterThanOrEqual(1);
    expect(outcomes.filter((o) => o === 'answered').length).toBeGreaterThanOrEqual(3);
    // The next statements all succeed, on three live backends again.
    const after = await Promise.all(Array.from({ length: 9 }, (_, i) => insert(200 + i)));
    expect(after.map((r) => r.rows[0]?.id)).toEqual(Array.from({ length: 9 }, (_, i) => 200 + i));
    const backends = await admin.query(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND pid <> $2',
      [application, victim?.pid],
    );
    expect(backends.rows[0]).toEqual({ n: 3 });
  });
});
