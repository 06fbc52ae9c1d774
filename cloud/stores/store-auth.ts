// Authenticates a store's edge by its bearer credential: 401 when unknown, 403 when it belongs to
// another store than the one the route names. Asked of the database on every call (one indexed read), never
// remembered: with several cloud replicas a rotated credential must stop working on all of them at once.
// Checks made in the same event-loop turn share one statement (StatementBatcher): each is still asked of the
// database after its request arrived, so batching never answers from a stale read.
import type { FastifyRequest } from 'fastify';
import { type Database, toNumber } from '../db/database.ts';
import {
  DEFAULT_STATEMENT_BATCH_SETTINGS,
  StatementBatcher,
  type StatementBatchSettings,
} from '../db/statement-batcher.ts';
import { ApiError } from '../http/api-error.ts';
import { hashSecret, readBearerToken } from '../http/bearer-token.ts';

/** OpenAPI security requirement of the routes a store edge calls. */
export const STORE_SECURITY = [{ storeCredential: [] }];

export interface AuthenticatedStore {
  storeId: string;
  /** The store's config version now: cached catalogs older than this are re-read (PriceList). */
  configVersion: number;
}

interface StoreRow {
  credential_hash: string;
  store_id: string;
  config_version: unknown;
}

export class StoreAuth {
  /** credential hash → its store's row, if any */
  private readonly checks: StatementBatcher<string, StoreRow | undefined>;

  constructor(db: Database, batching: StatementBatchSettings = DEFAULT_STATEMENT_BATCH_SETTINGS) {
    this.checks = new StatementBatcher(
      {
        run: async (hashes) => {
          const rows = await db.query<StoreRow>(
            'SELECT credential_hash, store_id, config_version FROM stores WHERE credential_hash = ANY($1::text[])',
            [[...new Set(hashes)]],
          );
          const byHash = new Map(rows.map((row) => [row.credential_hash, row]));
          return hashes.map((hash) => byHash.get(hash));
        },
      },
      batching,
    );
  }

  async authenticate(request: FastifyRequest, routeStoreId: string): Promise<AuthenticatedStore> {
    const credential = readBearerToken(request);
    if (credential === undefined) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the store credential as "Authorization: Bearer <credential>".',
      );
    }
    const row = await this.checks.run(hashSecret(credential));
    const storeId = row?.store_id;
    if (storeId === undefined) {
      throw new ApiError(
        401,
        'unauthorized',
        'The store credential is not valid: check the edge configuration.',
      );
    }
    if (storeId !== routeStoreId) {
      throw new ApiError(
        403,
        'forbidden_store',
        `This credential belongs to store ${storeId}, not ${routeStoreId}: upload to your own store's path.`,
      );
    }
    return { storeId, configVersion: toNumber(row?.config_version ?? 0) };
  }
}
