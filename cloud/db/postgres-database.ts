// Database adapter for PostgreSQL: single statements on a few pipelined connections, transactions and scripts
// on a pg Pool; optionally confined to one schema (isolated test runs).
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Database, Queryable } from './database.ts';
import { PipelinedConnections } from './pipelined-connections.ts';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface PostgresOptions {
  url: string;
  /** Every connection's search_path is set to this schema, created when missing. */
  schema?: string;
  /**
   * Pooled connections, for transactions and scripts. Default 8: with the pipelined ones a replica holds at
   * most 16 connections, as many as its pool alone held when every statement took a pooled connection.
   */
  maxConnections?: number;
  /** Pipelined connections the single statements share (PipelinedConnections). Default 8. */
  pipelinedConnections?: number;
}

/**
 * 8: bench:cloud on PostgreSQL (48 concurrent edges; 2 cores shared with other jobs, paired runs), against
 * single statements on the 12 pooled connections (2.5-2.6 CPU ms per receipt, cloud + server): 2-3 pipelined
 * connections queued statements behind each other (throughput fell); 4 cut the server's CPU most
 * (1.3 -> 1.0 ms) but not the cloud's; 8 cut both (2.0 ms in all); 12 no better than 8.
 */
const DEFAULT_PIPELINED_CONNECTIONS = 8;

export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new Error(`invalid postgres schema name ${JSON.stringify(schema)} (lower-case letters, digits, _)`);
  }
  if (schema !== undefined) {
    const admin = new pg.Client({ connectionString: options.url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const connection: pg.ClientConfig = {
    connectionString: options.url,
    // Names the cloud's connections in pg_stat_activity (per schema, so a test run's are told apart).
    application_name: schema === undefined ? 'walkout-cloud' : `walkout-cloud:${schema}`,
    // Startup parameters, so every connection has them before its first query.
    options: [...(schema === undefined ? [] : [`-c search_path=${schema}`]), GENERIC_PLANS].join(' '),
  };
  const pool = new pg.Pool({ ...connection, max: options.maxConnections ?? 8 });
  const pipelined = new PipelinedConnections(
    connection,
    options.pipelinedConnections ?? DEFAULT_PIPELINED_CONNECTIONS,
  );
  try {
    await pipelined.start();
  } catch (err) {
    await Promise.all([pipelined.close(), pool.end()]);
    throw err;
  }
  return new PostgresDatabase(pool, pipelined);
}

/**
 * Prepared statements run their generic plan from the first execution. The server's default ('auto') keeps
 * planning a statement anew for each execution whenever the generic plan's estimate looks dearer than a
 * custom one, as it does for the ingest path's statements over arrays (`= ANY($n)`, `unnest($n)`), and
 * planning their CTEs costs more CPU than running them: the visit lookup measured 0.66 ms of server CPU per
 * execution re-planned against 0.30 ms generic, and bench:cloud's PostgreSQL CPU per receipt fell ~20 %.
 * The cloud's statements are keyed lookups and small writes, where the generic plan is the custom one.
 */
const GENERIC_PLANS = '-c plan_cache_mode=force_generic_plan';

/** by SQL text: the name its prepared statement has on every connection */
const statementNames = new Map<string, string>();

/**
 * Parameterised statements are prepared once per connection under a name derived from their text, so the
 * server parses and plans the ingest path's statements once rather than on every call.
 */
function prepared(sql: string, params: readonly unknown[]): pg.QueryConfig {
  if (params.length === 0) return { text: sql };
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `w_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return { name, text: sql, values: [...params] };
}

class PostgresDatabase implements Database {
  readonly kind = 'postgres';
  constructor(
    private readonly pool: pg.Pool,
    private readonly pipelined: PipelinedConnections,
  ) {}

  async query<Row extends object>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.pipelined.query(prepared(sql, params));
    return result.rows as Row[];
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx: Queryable = {
      query: async <Row extends object>(sql: string, params: readonly unknown[] = []) =>
        (await client.query(prepared(sql, params))).rows as Row[],
      exec: async (script: string) => {
        // Without parameters pg uses the simple query protocol, which accepts several statements.
        await client.query(script);
      },
    };
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      client.release();
      return result;
    } catch (err) {
      // A failed ROLLBACK means the connection is broken: destroy it rather than return it to the pool.
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(!rolledBack);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.pipelined.close();
    await this.pool.end();
  }
}
