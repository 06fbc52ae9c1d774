// The online shop's API: record orders (idempotent by order id, priced and pointed as in store) and ask for
// recommendations — bought together across channels, and what a consenting customer considered in store.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../db/database.ts';
import { ApiError, errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { behaviourProfile, consentOf } from '../profile/profile-queries.ts';
import { boughtTogether, favouriteSkus } from '../profile/recommendations.ts';
import type { OnlineShopAuth } from './online-shop-auth.ts';
import { SHOP_SECURITY } from './online-shop-auth.ts';
import type { OrderIngest } from './order-ingest.ts';
import { OnlineOrderSchema, RecordedOrderSchema } from './order-schemas.ts';

const BoughtTogetherSchema = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  baskets: Type.Integer(),
});
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 5 }));

export interface ShopRoutesOptions {
  db: Database;
  shopAuth: OnlineShopAuth;
  orders: OrderIngest;
}

/** The online shop records its orders here. */
export const shopRoutes: FastifyPluginAsyncTypebox<ShopRoutesOptions> = async (app, { shopAuth, orders }) => {
  const config = { rateLimit: rateLimitFor('shop') };
  app.post(
    '/v1/shop/orders',
    {
      config,
      schema: {
        tags: ['online shop'],
        summary: "Record a customer's online order (idempotent by orderId)",
        security: SHOP_SECURITY,
        body: OnlineOrderSchema,
        response: {
          200: { ...RecordedOrderSchema, description: 'A repeat: the order as first recorded' },
          201: { ...RecordedOrderSchema, description: 'Recorded now' },
          ...errorResponses(400, 401, 409, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const shopId = await shopAuth.authenticate(request);
      const { created, ...order } = await orders.record(shopId, request.body);
      return reply.status(created ? 201 : 200).send(order);
    },
  );
};

/** The online shop's recommendations: bought together, and for one customer. */
export const shopRecommendationsRoutes: FastifyPluginAsyncTypebox<ShopRoutesOptions> = async (
  app,
  { db, shopAuth },
) => {
  const config = { rateLimit: rateLimitFor('shop') };
  app.get(
    '/v1/shop/products/:sku/bought-together',
    {
      config,
      schema: {
        tags: ['online shop'],
        summary: 'Products most often bought with this one, in store and online',
        security: SHOP_SECURITY,
        params: Type.Object({ sku: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({ limit: Limit }),
        response: {
          200: Type.Object({ products: Type.Array(BoughtTogetherSchema) }),
          ...errorResponses(401, 429),
        },
      },
    },
    async (request) => {
      await shopAuth.authenticate(request);
      return { products: await boughtTogether(db, [request.params.sku], request.query.limit ?? 5) };
    },
  );

  app.get(
    '/v1/shop/customers/:accountId/recommendations',
    {
      config,
      schema: {
        tags: ['online shop'],
        summary: 'For one customer: considered in store but not bought (with consent), and bought together',
        security: SHOP_SECURITY,
        params: Type.Object({ accountId: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({ limit: Limit }),
        response: {
          200: Type.Object({
            consent: Type.Boolean({ description: 'False: no in-store behaviour is kept or shown' }),
            consideredNotBought: Type.Array(
              Type.Object({
                sku: Type.String(),
                name: Type.String(),
                putBacks: Type.Integer(),
                looks: Type.Integer({ description: 'Times lingered at its lane in store without taking it' }),
                lastConsideredAt: Type.Number(),
              }),
            ),
            boughtTogether: Type.Array(BoughtTogetherSchema),
          }),
          ...errorResponses(401, 404, 429),
        },
      },
    },
    async (request) => {
      await shopAuth.authenticate(request);
      const { accountId } = request.params;
      const known = await db.query("SELECT 1 FROM accounts WHERE account_id = $1 AND role = 'shopper'", [
        accountId,
      ]);
      if (known.length === 0) throw new ApiError(404, 'customer_not_found', 'No such customer.');
      const limit = request.query.limit ?? 5;
      const consent = (await consentOf(db, accountId)).behaviourTracking;
      const considered = consent ? (await behaviourProfile(db, accountId)).consideredNotBought : [];
      return {
        consent,
        consideredNotBought: considered.slice(0, limit),
        boughtTogether: await boughtTogether(db, await favouriteSkus(db, accountId), limit),
      };
    },
  );
};
