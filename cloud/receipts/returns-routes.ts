// Items returned to the shelf after the receipt (#13): store edges report them (POST /v1/stores/:storeId/returns)
// and the cloud refunds them (visit-returns.ts), once per return however often it is delivered.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { VisitReturnSchema } from '../../shared/schemas/visit-return.ts';
import { errorResponses } from '../http/api-error.ts';
import { requireIdempotencyKey } from '../http/idempotency-key.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { STORE_SECURITY, type StoreAuth } from '../stores/store-auth.ts';
import type { VisitReturns } from './visit-returns.ts';

export interface ReturnsRoutesOptions {
  storeAuth: StoreAuth;
  returns: VisitReturns;
}

const ReturnRefundSchema = Type.Object({
  returnId: Type.String(),
  receiptId: Type.String(),
  sku: Type.String(),
  quantity: Type.Integer({ description: 'Units refunded: those reported, at most what the line still had' }),
  amountCents: Type.Integer(),
  status: Type.Literal('refunded'),
});

export const returnsRoutes: FastifyPluginAsyncTypebox<ReturnsRoutesOptions> = async (
  app,
  { storeAuth, returns },
) => {
  app.post(
    '/v1/stores/:storeId/returns',
    {
      config: { rateLimit: rateLimitFor('store') },
      schema: {
        tags: ['edge'],
        summary:
          'Report an item put back on its shelf after its receipt was issued; refunds it (idempotent by return id)',
        security: STORE_SECURITY,
        params: Type.Object({ storeId: Type.String({ minLength: 1, maxLength: 64 }) }),
        headers: Type.Object({
          'idempotency-key': Type.String({
            minLength: 1,
            maxLength: 130,
            description: 'Must be return:<returnId>',
          }),
        }),
        body: VisitReturnSchema,
        response: {
          200: { ...ReturnRefundSchema, description: 'A repeat delivery: the refund made the first time' },
          201: { ...ReturnRefundSchema, description: 'First delivery: the refund made now' },
          ...errorResponses(400, 401, 403, 404, 409, 425, 429, 503),
        },
      },
    },
    async (request, reply) => {
      const { storeId } = request.params;
      await storeAuth.authenticate(request, storeId);
      requireIdempotencyKey(request, `return:${request.body.returnId}`, 'return');
      const { created, ...refund } = await returns.refund(storeId, request.body);
      return reply.status(created ? 201 : 200).send(refund);
    },
  );
};
