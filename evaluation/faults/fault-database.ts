// The cloud database of a fault run, one per case so cases never see each other's receipts: a schema of its
// own on PostgreSQL (dropped afterwards), or a PGlite data directory when no PostgreSQL answers. Reads what the
// cloud billed (receipts, their lines, the payment provider's charges) with the cloud's own database adapter,
// and, on PostgreSQL, holds a table lock so a fault lands at an exact step of the ingest.
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from '../../cloud/db/database.ts';
import { toNumber } from '../../cloud/db/database.ts';
import { openDatabase } from '../../cloud/db/open-database.ts';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface BilledVisit {
  visitId: string;
  accountId: string;
  status: string;
  lines: { sku: string; quantity: number }[];
  /** Charges the payment provider made for this visit (more than one is a double charge). */
  providerCharges: number;
  /** Charge entries in the cloud's ledger for this receipt. */
  ledgerCharges: number;
}

export interface CaseDatabase {
  kind: 'postgres' | 'pglite';
  /** Environment for the cloud process. */
  env: Record<string, string>;
  /** What the cloud billed to these accounts. PGlite: only while the cloud is stopped (one process at a time). */
  billed(accountIds: readonly string[]): Promise<BilledVisit[]>;
  /** Receipts in the case's database (every one is the case's: a fresh database per case). */
  receiptCount(): Promise<number>;
  /**
   * PostgreSQL only: takes a lock that lets readers through and holds every writer of `table` until released,
   * so an ingest stops at its write of that table.
   */
  holdWrites(table: 'provider_charges' | 'visits'): Promise<HeldTable>;
  drop(): Promise<void>;
}

export interface HeldTable {
  /** Resolves once a cloud connection is waiting for the lock. */
  waitForWriter(timeoutMs: number): Promise<void>;
  /** Ends the cloud's waiting connections, as a dead process's connections end. */
  terminateWriters(): Promise<number>;
  release(): Promise<void>;
}

export class NoPostgresError extends Error {
  readonly code = 'NO_POSTGRES';
}

/** Whether PostgreSQL answers at `url` (a short connect). */
export async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const BILLED_SQL = `
SELECT r.visit_id, r.account_id, r.status,
  COALESCE((SELECT json_agg(json_build_object('sku', l.sku, 'quantity', l.quantity) ORDER BY l.line_no)
            FROM receipt_lines l WHERE l.receipt_id = r.receipt_id), '[]'::json) AS lines,
  (SELECT count(*) FROM provider_charges c WHERE c.idempotency_key = 'charge:visit:' || r.visit_id
     AND c.status = 'succeeded') AS provider_charges,
  (SELECT count(*) FROM ledger_entries e WHERE e.receipt_id = r.receipt_id AND e.kind = 'charge') AS ledger_charges
FROM receipts r WHERE r.account_id = ANY($1::text[]) ORDER BY r.created_at`;

async function readBilled(db: Database, accountIds: readonly string[]): Promise<BilledVisit[]> {
  const rows = await db.query<{
    visit_id: string;
    account_id: string;
    status: string;
    lines: unknown;
    provider_charges: unknown;
    ledger_charges: unknown;
  }>(BILLED_SQL, [accountIds]);
  return rows.map((r) => ({
    visitId: r.visit_id,
    accountId: r.account_id,
    status: r.status,
    lines: (typeof r.lines === 'string' ? JSON.parse(r.lines) : r.lines) as BilledVisit['lines'],
    providerCharges: toNumber(r.provider_charges),
    ledgerCharges: toNumber(r.ledger_charges),
  }));
}

/** A fresh database for one case: a schema `faults_<run>_<case>` on PostgreSQL, else PGlite in `dir`. */
export function caseDatabase(
  postgresUrl: string | undefined,
  runId: string,
  caseName: string,
  dir: string,
): CaseDatabase {
  if (postgresUrl === undefined) return pgliteCaseDatabase(join(dir, `cloud-${caseName}`));
  return postgresCaseDatabase(postgresUrl, runId, caseName);
}

/** PGlite on disk: read after the cloud stopped; no table locks. */
function pgliteCaseDatabase(path: string): CaseDatabase {
  const url = `pglite:${path}`;
  return {
    kind: 'pglite',
    env: { DATABASE_URL: url },
    billed: async (accountIds) => {
      const db = await openDatabase(url);
      try {
        return await readBilled(db, accountIds);
      } finally {
        await db.close();
      }
    },
    holdWrites: async () => {
      throw new NoPostgresError('table locks need PostgreSQL');
    },
    receiptCount: async () => {
      throw new NoPostgresError('PGlite is read only while the cloud is stopped');
    },
    drop: async () => {},
  };
}

/** A schema of its own on PostgreSQL, dropped after the case. */
function postgresCaseDatabase(postgresUrl: string, runId: string, caseName: string): CaseDatabase {
  const schema = `faults_${runId}_${caseName.replace(/[^a-z0-9]/g, '_')}`.toLowerCase().slice(0, 60);
  const appName = `walkout-cloud:${schema}`;
  return {
    kind: 'postgres',
    env: { DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schema },
    billed: async (accountIds) => {
      const db = await openDatabase(postgresUrl, schema);
      try {
        return await readBilled(db, accountIds);
      } finally {
        await db.close();
      }
    },
    receiptCount: async () => {
      const db = await openDatabase(postgresUrl, schema);
      try {
        const rows = await db.query<{ n: unknown }>('SELECT count(*) AS n FROM receipts');
        return toNumber(rows[0]?.n ?? 0);
      } finally {
        await db.close();
      }
    },
    holdWrites: (table) => holdTableWrites(postgresUrl, schema, appName, table),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * Holds every write of `table` (a transaction with an EXCLUSIVE lock: reads go on) so a case can kill the cloud
 * at that exact step of its ingest; the cloud's connections are found by their application name.
 */
async function holdTableWrites(
  postgresUrl: string,
  schema: string,
  appName: string,
  table: string,
): Promise<HeldTable> {
  const client = new pg.Client({ connectionString: postgresUrl, application_name: 'walkout-faults' });
  await client.connect();
  await client.query('BEGIN');
  // EXCLUSIVE: reads go on, every INSERT/UPDATE of the table waits
  await client.query(`LOCK TABLE ${schema}.${table} IN EXCLUSIVE MODE`);
  const waiting = async () => {
    // Inside a transaction pg_stat_activity is a snapshot taken at its first read: discard it, or a writer
    // that starts waiting after the first poll is never seen.
    await client.query('SELECT pg_stat_clear_snapshot()');
    const rows = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
      [appName],
    );
    return rows.rows.map((r) => r.pid);
  };
  let released = false;
  return {
    waitForWriter: async (timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while ((await waiting()).length === 0) {
        if (Date.now() > deadline)
          throw new Error(`no cloud write of ${table} arrived within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    terminateWriters: async () => {
      const pids = await waiting();
      for (const pid of pids) await client.query('SELECT pg_terminate_backend($1)', [pid]);
      return pids.length;
    },
    release: async () => {
      if (released) return;
      released = true;
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}
