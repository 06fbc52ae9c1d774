// The rate limiter's counters in the cloud database, so every replica behind the load balancer counts the
// same requests (a caller cannot multiply its limit by the number of replicas). Fixed windows, counted by one
// upsert per request on the database's clock, so replicas with skewed clocks agree on when a window ends.
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import { type Queryable, toNumber } from '../db/database.ts';

const COUNT_SQL = `
INSERT INTO rate_limit_counters AS c (key, window_start, window_ms, hits)
VALUES ($1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, $2, 1)
ON CONFLICT (key) DO UPDATE SET
  hits = CASE WHEN c.window_start + c.window_ms <= EXCLUDED.window_start THEN 1 ELSE c.hits + 1 END,
  window_start = CASE WHEN c.window_start + c.window_ms <= EXCLUDED.window_start
                      THEN EXCLUDED.window_start ELSE c.window_start END,
  window_ms = EXCLUDED.window_ms
RETURNING hits, window_start + window_ms - (extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ttl`;

/** Deletes counters whose window has ended (the retention job); returns how many. */
export async function pruneRateLimitCounters(db: Queryable): Promise<number> {
  const rows = await db.query(
    `DELETE FROM rate_limit_counters
     WHERE window_start + window_ms < (extract(epoch FROM clock_timestamp()) * 1000)::bigint RETURNING key`,
  );
  return rows.length;
}

/** A store class for @fastify/rate-limit's `store` option, counting in `db`. */
export function databaseRateLimitStore(db: Queryable): FastifyRateLimitStoreCtor {
  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    /** Keys are scoped per route, as the in-memory store's per-route caches were. */
    constructor(private readonly prefix = '') {}

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ): void {
      db.query<{ hits: unknown; ttl: unknown }>(COUNT_SQL, [`${this.prefix}${key}`, timeWindow]).then(
        (rows) => {
          const row = rows[0];
          if (row === undefined) callback(new Error('rate limit counter upsert returned no row'));
          else callback(null, { current: toNumber(row.hits), ttl: Math.max(0, toNumber(row.ttl)) });
        },
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
    }

    // The plugin passes the merged limiter settings with the route under routeInfo (its typings say otherwise).
    child(routeOptions: object) {
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: unknown } }).routeInfo;
      return new DatabaseRateLimitStore(`${String(route?.method ?? '')} ${String(route?.url ?? '')}|`);
    }
  }
  return DatabaseRateLimitStore as unknown as FastifyRateLimitStoreCtor;
}
