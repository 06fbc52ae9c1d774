// Authenticates a store's edge by its bearer credential: 401 when unknown, 403 when it belongs to
// another store than the one the route names. Known credentials are remembered for a minute, so the hot
// ingest path does not ask the database on every upload.
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../shared/clock.ts';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { hashSecret, readBearerToken } from '../http/bearer-token.ts';

/** OpenAPI security requirement of the routes a store edge calls. */
export const STORE_SECURITY = [{ storeCredential: [] }];

const REMEMBER_MS = 60_000;

export class StoreAuth {
  /** by credential hash: the store it belongs to and when we looked it up */
  private readonly known = new Map<string, { storeId: string; at: number }>();

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  private async storeOf(credentialHash: string): Promise<string | undefined> {
    const now = this.clock.now();
    const remembered = this.known.get(credentialHash);
    if (remembered !== undefined && now - remembered.at < REMEMBER_MS) return remembered.storeId;
    const rows = await this.db.query<{ store_id: string }>(
      'SELECT store_id FROM stores WHERE credential_hash = $1',
      [credentialHash],
    );
    const storeId = rows[0]?.store_id;
    if (storeId === undefined) this.known.delete(credentialHash);
    else this.known.set(credentialHash, { storeId, at: now });
    return storeId;
  }

  async authenticate(request: FastifyRequest, routeStoreId: string): Promise<void> {
    const credential = readBearerToken(request);
    if (credential === undefined) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the store credential as "Authorization: Bearer <credential>".',
      );
    }
    const storeId = await this.storeOf(hashSecret(credential));
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
  }
}
