// Applies the numbered SQL files in cloud/db/migrations/ that the database has not seen yet, in order,
// each in its own transaction and recorded in schema_migrations.
import { readdirSync, readFileSync } from 'node:fs';
import type { Database } from './database.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_NAME = /^(\d{3})-[a-z0-9-]+\.sql$/;
/** Arbitrary constant: the advisory lock that keeps two starting instances from migrating at once. */
const MIGRATION_LOCK = 7_412_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(): Migration[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE_NAME.exec(file);
      if (match?.[1] === undefined) throw new Error(`migration file ${file} is not named NNN-name.sql`);
      return {
        version: Number(match[1]),
        name: file,
        sql: readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8'),
      };
    })
    .sort((a, b) => a.version - b.version);
}

/** Returns the names of the migrations it applied. */
export async function migrate(db: Database, migrations = loadMigrations()): Promise<string[]> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (seen.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}
