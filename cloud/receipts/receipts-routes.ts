// Visit upload from store edges (POST /v1/stores/:storeId/visits) and the shopper's receipts
// (GET /v1/me/receipts, GET /v1/me/receipts/:receiptId).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { VisitUploadSchema } from '../../shared/schemas/visit.ts';
import { SHOPPER_SECURITY, type ShopperSessions } from '../accounts/shopper-sessions.ts';
import type { LiveCarts } from '../carts/live-carts.ts';
import type { Database } from '../db/database.ts';
import { ApiError, errorResponses } from '../http/api-error.ts';
import { requireIdempotencyKey } from '../http/idempotency-key.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { STORE_SECURITY, type StoreAuth } from '../stores/store-auth.ts';
import { findReceipt, listReceipts } from './receipt-queries.ts';
import { ReceiptSchema, VisitReceiptSchema } from './receipt-schemas.ts';
import type { VisitIngest } from './visit-ingest.ts';

export interface ReceiptsRoutesOptions {
  db: Database;
  sessions: ShopperSessions;
  storeAuth: StoreAuth;
  ingest: VisitIngest;
  /** Pushes each receipt to the shopper's open apps the moment it exists (#18). */
  liveCarts?: LiveCarts;
}

/** Store edges upload finished visits and get their receipts. */
export const visitsRoutes: FastifyPluginAsyncTypebox<ReceiptsRoutesOptions> = async (
  app,
  { storeAuth, ingest, liveCarts },
) => {
  app.post(
    '/v1/stores/:storeId/visits',
    {
      // Up to 5000 events per visit do not fit fastify's default 1 MiB.
      bodyLimit: 8 * 1024 * 1024,
      config: { rateLimit: rateLimitFor('store') },
      schema: {
        tags: ['edge'],
        summary: 'Upload a finished visit; answers with its receipt (idempotent by visit id)',
        security: STORE_SECURITY,
        params: Type.Object({ storeId: Type.String({ minLength: 1, maxLength: 64 }) }),
        headers: Type.Object({
          'idempotency-key': Type.String({
            minLength: 1,
            maxLength: 100,
            description: 'Must be visit:<visitId>',
          }),
        }),
        body: VisitUploadSchema,
        response: {
          200: { ...VisitReceiptSchema, description: 'A repeat delivery: the receipt made the first time' },
          201: { ...VisitReceiptSchema, description: 'First delivery: the receipt made now' },
          ...errorResponses(400, 401, 403, 409, 422, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const { storeId } = request.params;
      const { configVersion } = await storeAuth.authenticate(request, storeId);
      requireIdempotencyKey(request, `visit:${request.body.visitId}`, 'visit');
      const { created, ...receipt } = await ingest.ingest(storeId, request.body, configVersion);
      try {
        liveCarts?.receiptReady(storeId, request.body, receipt);
      } catch (err) {
        // the receipt is stored: a failed push must not make the edge deliver the visit again
        request.log.error({ err, visitId: request.body.visitId }, 'receipt not pushed to the shopper app');
      }
      return reply.status(created ? 201 : 200).send(receipt);
    },
  );
};

/** The shopper's receipts. */
export const receiptsRoutes: FastifyPluginAsyncTypebox<ReceiptsRoutesOptions> = async (
  app,
  { db, sessions },
) => {
  app.get(
    '/v1/me/receipts',
    {
      config: { rateLimit: rateLimitFor('shopper') },
      schema: {
        tags: ['shopper'],
        summary: 'My receipts, newest first',
        security: SHOPPER_SECURITY,
        response: { 200: Type.Object({ receipts: Type.Array(ReceiptSchema) }), ...errorResponses(401, 429) },
      },
    },
    async (request) => ({ receipts: await listReceipts(db, await sessions.authenticate(request)) }),
  );

  app.get(
    '/v1/me/receipts/:receiptId',
    {
      config: { rateLimit: rateLimitFor('shopper') },
      schema: {
        tags: ['shopper'],
        summary: 'One of my receipts',
        security: SHOPPER_SECURITY,
        params: Type.Object({ receiptId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: ReceiptSchema, ...errorResponses(401, 404, 429) },
      },
    },
    async (request) => {
      const accountId = await sessions.authenticate(request);
      const receipt = await findReceipt(db, accountId, request.params.receiptId);
      if (receipt === undefined) {
        throw new ApiError(
          404,
          'receipt_not_found',
          'No such receipt on your account: list yours at /v1/me/receipts.',
        );
      }
      return receipt;
    },
  );
};
