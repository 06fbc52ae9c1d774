// Authenticates a store's edge by its bearer credential: 401 when unknown, 403 when it belongs to
// another store than the one the route names. Asked of the database on every call (one indexed read), never
// remembered: with several cloud replicas a rotated credential must stop working on all of them at once.
import type { FastifyRequest } from 'fastify';
import { type Database, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { hashSecret, readBearerToken } from '../http/bearer-token.ts';

/** OpenAPI security requirement of the routes a store edge calls. */
export const STORE_SECURITY = [{ storeCredential: [] }];

export interface AuthenticatedStore {
  storeId: string;
  /** The store's config version now: cached catalogs older than this are re-read (PriceList). */
  configVersion: number;
}

export class StoreAuth {
  constructor(private readonly db: Database) {}

  async authenticate(request: FastifyRequest, routeStoreId: string): Promise<AuthenticatedStore> {
    const credential = readBearerToken(request);
    if (credential === undefined) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the store credential as "Authorization: Bearer <credential>".',
      );
    }
    const rows = await this.db.query<{ store_id: string; config_version: unknown }>(
      'SELECT store_id, config_version FROM stores WHERE credential_hash = $1',
      [hashSecret(credential)],
    );
    const storeId = rows[0]?.store_id;
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
    return { storeId, configVersion: toNumber(rows[0]?.config_version ?? 0) };
  }
}
