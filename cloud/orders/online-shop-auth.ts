// The online shop's credential: seeded from configuration at start (stored as a SHA-256 digest) and checked
// on every /v1/shop route. One credential per shop; several shops may feed the same customer profiles.
import type { FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { hashSecret, readBearerToken } from '../http/bearer-token.ts';

/** OpenAPI security requirement of the routes the online shop calls. */
export const SHOP_SECURITY = [{ onlineShopCredential: [] }];

export interface OnlineShopSetup {
  shopId: string;
  credential: string;
}

const MIN_CREDENTIAL_LENGTH = 16;

export async function seedOnlineShops(db: Database, shops: readonly OnlineShopSetup[]): Promise<void> {
  for (const { shopId, credential } of shops) {
    if (credential.length < MIN_CREDENTIAL_LENGTH) {
      throw new Error(`online shop ${shopId}: credential shorter than ${MIN_CREDENTIAL_LENGTH} characters`);
    }
    await db.query(
      `INSERT INTO online_shops (shop_id, credential_hash) VALUES ($1, $2)
       ON CONFLICT (shop_id) DO UPDATE SET credential_hash = EXCLUDED.credential_hash`,
      [shopId, hashSecret(credential)],
    );
  }
}

export class OnlineShopAuth {
  constructor(private readonly db: Database) {}

  /** The calling shop's id, or 401. */
  async authenticate(request: FastifyRequest): Promise<string> {
    const credential = readBearerToken(request);
    const rows =
      credential === undefined
        ? []
        : await this.db.query<{ shop_id: string }>(
            'SELECT shop_id FROM online_shops WHERE credential_hash = $1',
            [hashSecret(credential)],
          );
    const shop = rows[0];
    if (shop === undefined) {
      throw new ApiError(
        401,
        'unauthorized',
        'Send the online shop credential as "Authorization: Bearer <credential>".',
      );
    }
    return shop.shop_id;
  }
}
