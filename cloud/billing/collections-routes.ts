// Staff collection: receipts whose capture against the entry hold still failed after the retries
// (status 'collection'; their hold was voided). Staff list them, oldest first, to collect the payment, and
// resolve each (collection-resolution-routes.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type ShopperSessions, STAFF_SECURITY } from '../accounts/shopper-sessions.ts';
import { type Database, toNumber } from '../db/database.ts';
import { errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';

export interface CollectionsRoutesOptions {
  db: Database;
  sessions: ShopperSessions;
}

/** Receipts one answer lists at most (the oldest): staff work through them from the top. */
export const COLLECTIONS_PAGE = 200;

const CollectionSchema = Type.Object({
  receiptId: Type.String(),
  visitId: Type.String(),
  storeId: Type.String(),
  accountId: Type.Union([Type.String(), Type.Null()], {
    description: 'null once the shopper erased their data',
  }),
  totalCents: Type.Integer(),
  currency: Type.String(),
  paymentAttempts: Type.Integer({ description: 'Failed attempts to take the money' }),
  lastError: Type.Union([Type.String(), Type.Null()]),
  since: Type.Number({ description: 'When the receipt went to collection (ms since the Unix epoch)' }),
  holdId: Type.Union([Type.String(), Type.Null()]),
});

interface CollectionRow {
  receipt_id: string;
  visit_id: string;
  store_id: string;
  account_id: string | null;
  total_cents: unknown;
  currency: string;
  payment_attempts: number;
  last_payment_error: string | null;
  updated_at: unknown;
  hold_id: string | null;
}

export const collectionsRoutes: FastifyPluginAsyncTypebox<CollectionsRoutesOptions> = async (
  app,
  { db, sessions },
) => {
  app.get(
    '/v1/staff/collections',
    {
      config: { rateLimit: rateLimitFor('staff') },
      schema: {
        tags: ['staff'],
        summary: 'Receipts whose payment failed after the retries (staff collect them), oldest first',
        security: STAFF_SECURITY,
        response: {
          200: Type.Object({ collections: Type.Array(CollectionSchema) }),
          ...errorResponses(401, 403, 429),
        },
      },
    },
    async (request) => {
      await sessions.authenticateStaff(request);
      const rows = await db.query<CollectionRow>(
        `SELECT r.receipt_id, r.visit_id, r.store_id, r.account_id, r.total_cents, r.currency,
                r.payment_attempts, r.last_payment_error, r.updated_at, h.hold_id
         FROM receipts r LEFT JOIN payment_holds h ON h.visit_id = r.visit_id
         WHERE r.status = 'collection' ORDER BY r.updated_at, r.receipt_id LIMIT $1`,
        [COLLECTIONS_PAGE],
      );
      return {
        collections: rows.map((row) => ({
          receiptId: row.receipt_id,
          visitId: row.visit_id,
          storeId: row.store_id,
          accountId: row.account_id,
          totalCents: toNumber(row.total_cents),
          currency: row.currency,
          paymentAttempts: Number(row.payment_attempts),
          lastError: row.last_payment_error,
          since: toNumber(row.updated_at),
          holdId: row.hold_id,
        })),
      };
    },
  );
};
