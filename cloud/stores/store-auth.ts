// Authenticates a store's edge by its bearer credential: 401 when unknown, 403 when it belongs to
// another store than the one the route names.
import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { hashSecret, readBearerToken } from '../http/bearer-token.ts';

/** OpenAPI security requirement of the routes a store edge calls. */
export const STORE_SECURITY = [{ storeCredential: [] }];

export class StoreAuth {
  constructor(private readonly db: Database) {}

  async authenticate(request: FastifyRequest, storeId: string): Promise<void> {
    const credential = readBearerToken(request);
    if (credential === undefined) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the store credential as "Authorization: Bearer <credential>".',
      );
    }
    const rows = await this.db.query<{ store_id: string }>(
      'SELECT store_id FROM stores WHERE credential_hash = $1',
      [hashSecret(credential)],
    );
    const store = rows[0];
    if (store === undefined) {
      throw new ApiError(
        401,
        'unauthorized',
        'The store credential is not valid: check the edge configuration.',
      );
    }
    if (store.store_id !== storeId) {
      throw new ApiError(
        403,
        'forbidden_store',
        `This credential belongs to store ${store.store_id}, not ${storeId}: upload to your own store's path.`,
      );
    }
  }
}
