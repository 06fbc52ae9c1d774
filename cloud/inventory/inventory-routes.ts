// Stock: store edges report lane units (PUT /v1/stores/:storeId/stock), shoppers browse a store's products
// with what is in stock, the online shop reads live stock per store less click & collect holds.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../../shared/clock.ts';
import { EPOCH_MS_MAX } from '../../shared/schemas/visit.ts';
import { SHOPPER_SECURITY, type ShopperSessions } from '../accounts/shopper-sessions.ts';
import type { Database } from '../db/database.ts';
import { errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { type OnlineShopAuth, SHOP_SECURITY } from '../orders/online-shop-auth.ts';
import type { PriceList } from '../stores/price-list.ts';
import { STORE_SECURITY, type StoreAuth } from '../stores/store-auth.ts';
import { applyLaneReports, stockOf } from './stock.ts';

export interface InventoryRoutesOptions {
  db: Database;
  clock: Clock;
  sessions: ShopperSessions;
  storeAuth: StoreAuth;
  shopAuth: OnlineShopAuth;
  priceList: PriceList;
}

const StoreId = Type.String({ minLength: 1, maxLength: 64 });
const Sku = Type.String({ minLength: 1, maxLength: 64 });

const SkuStockSchema = Type.Object({
  storeId: Type.String(),
  sku: Type.String(),
  units: Type.Integer({ description: 'On the shelves, as the edge last reported' }),
  held: Type.Integer({ description: 'Held for click & collect' }),
  available: Type.Integer({ description: 'units − held, never below 0' }),
});

/** Store edges: lane units as the shelves last reported them. */
export const laneStockRoutes: FastifyPluginAsyncTypebox<InventoryRoutesOptions> = async (
  app,
  { db, storeAuth },
) => {
  app.put(
    '/v1/stores/:storeId/stock',
    {
      config: { rateLimit: rateLimitFor('store') },
      schema: {
        tags: ['edge'],
        summary: "Report lanes' units; per lane the reading with the latest ts wins",
        security: STORE_SECURITY,
        params: Type.Object({ storeId: StoreId }),
        body: Type.Object(
          {
            lanes: Type.Array(
              Type.Object(
                {
                  lane: Type.String({ minLength: 1, maxLength: 64 }),
                  sku: Sku,
                  units: Type.Integer({ minimum: 0, maximum: 100_000 }),
                  ts: Type.Number({
                    minimum: 0,
                    maximum: EPOCH_MS_MAX,
                    description: 'Edge time of the reading, ms since the Unix epoch',
                  }),
                },
                { additionalProperties: false },
              ),
              { maxItems: 5000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            applied: Type.Integer({ description: 'Lanes changed; older readings are ignored' }),
          }),
          ...errorResponses(400, 401, 403, 429),
        },
      },
    },
    async (request) => {
      await storeAuth.authenticate(request, request.params.storeId);
      return { applied: await applyLaneReports(db, request.params.storeId, request.body.lanes) };
    },
  );
};

/** Shoppers: the stores. */
export const storesRoutes: FastifyPluginAsyncTypebox<InventoryRoutesOptions> = async (
  app,
  { db, sessions },
) => {
  app.get(
    '/v1/stores',
    {
      config: { rateLimit: rateLimitFor('shopper') },
      schema: {
        tags: ['shopper'],
        summary: 'Stores',
        security: SHOPPER_SECURITY,
        response: {
          200: Type.Object({
            stores: Type.Array(
              Type.Object({ storeId: Type.String(), name: Type.String(), currency: Type.String() }),
            ),
          }),
          ...errorResponses(401, 429),
        },
      },
    },
    async (request) => {
      await sessions.authenticate(request);
      const rows = await db.query<{ store_id: string; name: string; currency: string }>(
        'SELECT store_id, name, currency FROM stores ORDER BY store_id',
      );
      return {
        stores: rows.map((row) => ({ storeId: row.store_id, name: row.name, currency: row.currency })),
      };
    },
  );
};

/** Shoppers: a store's products with price and stock ("in stock at your store"). */
export const storeProductsRoutes: FastifyPluginAsyncTypebox<InventoryRoutesOptions> = async (
  app,
  { db, clock, sessions, priceList },
) => {
  app.get(
    '/v1/stores/:storeId/products',
    {
      config: { rateLimit: rateLimitFor('shopper') },
      schema: {
        tags: ['shopper'],
        summary: 'Products of a store with price and what is in stock there ("in stock at your store")',
        security: SHOPPER_SECURITY,
        params: Type.Object({ storeId: StoreId }),
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100, description: 'Name or SKU contains' })),
        }),
        response: {
          200: Type.Object({
            products: Type.Array(
              Type.Object({
                sku: Type.String(),
                name: Type.String(),
                category: Type.String(),
                priceCents: Type.Integer(),
                currency: Type.String(),
                available: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses(401, 404, 429),
        },
      },
    },
    async (request, reply) => {
      await sessions.authenticate(request);
      const catalog = await priceList.catalogOf(request.params.storeId);
      if (catalog === undefined) {
        return reply
          .status(404)
          .send({ error: 'store_not_found', message: 'No such store: list them at /v1/stores.' });
      }
      const needle = (request.query.q ?? '').trim().toLowerCase();
      const stock = new Map(
        (await stockOf(db, clock.now(), { storeId: catalog.storeId })).map((row) => [row.sku, row.available]),
      );
      const products = [...catalog.products.values()]
        .filter(
          (p) =>
            needle === '' || p.name.toLowerCase().includes(needle) || p.sku.toLowerCase().includes(needle),
        )
        .slice(0, 100)
        .map((p) => ({
          sku: p.sku,
          name: p.name,
          category: p.category,
          priceCents: p.priceCents,
          currency: catalog.currency,
          available: stock.get(p.sku) ?? 0,
        }));
      return { products };
    },
  );
};

/** The online shop: live stock less click & collect holds. */
export const shopStockRoutes: FastifyPluginAsyncTypebox<InventoryRoutesOptions> = async (
  app,
  { db, clock, shopAuth },
) => {
  app.get(
    '/v1/shop/stock',
    {
      config: { rateLimit: rateLimitFor('shop') },
      schema: {
        tags: ['online shop'],
        summary: 'Live stock per store and SKU, less click & collect holds',
        security: SHOP_SECURITY,
        querystring: Type.Object({
          storeId: Type.Optional(StoreId),
          sku: Type.Optional(Type.Array(Sku, { maxItems: 200, description: 'Repeat for several SKUs' })),
        }),
        response: {
          200: Type.Object({ stock: Type.Array(SkuStockSchema) }),
          ...errorResponses(400, 401, 429),
        },
      },
    },
    async (request) => {
      await shopAuth.authenticate(request);
      const { storeId, sku } = request.query;
      return {
        stock: await stockOf(db, clock.now(), {
          ...(storeId === undefined ? {} : { storeId }),
          ...(sku === undefined ? {} : { skus: sku }),
        }),
      };
    },
  );
};
