// Picks the database adapter from a URL: postgres:// → pg, pglite:<dir> → PGlite on disk, none → PGlite in memory.
import type { Database } from './database.ts';
import { openPglite } from './pglite-database.ts';
import { openPostgres } from './postgres-database.ts';

export async function openDatabase(
  url: string | undefined,
  postgresSchema?: string,
  maxConnections?: number,
): Promise<Database> {
  if (url === undefined || url === '' || url === 'pglite:' || url === 'pglite:memory') return openPglite();
  if (url.startsWith('pglite:')) return openPglite(url.slice('pglite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return openPostgres({
      url,
      ...(postgresSchema === undefined ? {} : { schema: postgresSchema }),
      ...(maxConnections === undefined ? {} : { maxConnections }),
    });
  }
  throw new Error(
    `unsupported DATABASE_URL ${JSON.stringify(url.replace(/\/\/[^@]*@/, '//…@'))}: ` +
      'use postgres://…, pglite:<data dir>, or leave it unset for an in-memory PGlite',
  );
}
