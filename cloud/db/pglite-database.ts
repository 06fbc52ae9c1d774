// Database adapter for PGlite (PostgreSQL in WebAssembly): in memory, or persisted in a data directory.
// PGlite has one connection and serialises transactions, so the same SQL behaves as on a server.
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.ts';

export async function openPglite(dataDir?: string): Promise<Database> {
  const db = await PGlite.create(dataDir === undefined ? {} : { dataDir });
  return new PgliteDatabase(db);
}

class PgliteDatabase implements Database {
  readonly kind = 'pglite';
  constructor(private readonly db: PGlite) {}

  async query<Row extends object>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.db.query<Row>(sql, [...params])).rows;
  }

  async exec(script: string): Promise<void> {
    await this.db.exec(script);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) =>
      work({
        query: async <Row extends object>(sql: string, params: readonly unknown[] = []) =>
          (await tx.query<Row>(sql, [...params])).rows,
        exec: async (script: string) => {
          await tx.exec(script);
        },
      }),
    );
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
