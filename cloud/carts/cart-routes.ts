// Live-cart routes (#18). The store edge uploads each visit's cart snapshots and pulls the shoppers' flags;
// the shopper's app opens one Server-Sent Events stream (cart changes and receipts, authenticated with the
// shopper's session, resumable with Last-Event-ID) and flags a line "I didn't take this".
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  CartFlagsAckSchema,
  CartFlagsPageSchema,
  LiveCartUpdateSchema,
} from '../../shared/schemas/live-cart.ts';
import { SHOPPER_SECURITY, type ShopperSessions } from '../accounts/shopper-sessions.ts';
import { ApiError, errorResponses } from '../http/api-error.ts';
import { requireIdempotencyKey } from '../http/idempotency-key.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { STORE_SECURITY, type StoreAuth } from '../stores/store-auth.ts';
import type { CartHub, StreamEvent } from './cart-hub.ts';
import type { LiveCarts } from './live-carts.ts';

export interface CartRoutesOptions {
  sessions: ShopperSessions;
  storeAuth: StoreAuth;
  liveCarts: LiveCarts;
  hub: CartHub;
  /** Comment lines sent this often keep proxies from closing a quiet stream (ms, default 15 s). */
  heartbeatMs?: number;
}

const StoreParams = Type.Object({ storeId: Type.String({ minLength: 1, maxLength: 64 }) });

/** The store edge uploads cart snapshots. */
export const cartUpdatesRoutes: FastifyPluginAsyncTypebox<CartRoutesOptions> = async (
  app,
  { storeAuth, liveCarts },
) => {
  const config = { rateLimit: rateLimitFor('store') };
  app.post(
    '/v1/stores/:storeId/cart-updates',
    {
      config,
      schema: {
        tags: ['edge'],
        summary: "A snapshot of a shopper's cart while they are inside (idempotent by session and sequence)",
        security: STORE_SECURITY,
        params: StoreParams,
        headers: Type.Object({
          'idempotency-key': Type.String({
            minLength: 1,
            maxLength: 200,
            description: 'Must be cart:<sessionId>:<seq>',
          }),
        }),
        body: LiveCartUpdateSchema,
        response: {
          200: Type.Object({
            outcome: Type.Union([
              Type.Literal('stored'),
              Type.Literal('repeat'),
              Type.Literal('stale'),
              Type.Literal('after_receipt'),
            ]),
          }),
          ...errorResponses(400, 401, 403, 409, 422, 429),
        },
      },
    },
    async (request) => {
      const { storeId } = request.params;
      await storeAuth.authenticate(request, storeId);
      requireIdempotencyKey(request, `cart:${request.body.sessionId}:${request.body.seq}`, 'snapshot');
      return { outcome: await liveCarts.accept(storeId, request.body) };
    },
  );
};

/** The store edge pulls the shoppers' flags and acknowledges them. */
export const cartFlagsEdgeRoutes: FastifyPluginAsyncTypebox<CartRoutesOptions> = async (
  app,
  { storeAuth, liveCarts },
) => {
  const config = { rateLimit: rateLimitFor('store') };
  app.get(
    '/v1/stores/:storeId/cart-flags',
    {
      config,
      schema: {
        tags: ['edge'],
        summary:
          'Shopper flags ("I didn\'t take this") the edge has not acknowledged, oldest first (100 at most)',
        security: STORE_SECURITY,
        params: StoreParams,
        response: { 200: CartFlagsPageSchema, ...errorResponses(401, 403, 429) },
      },
    },
    async (request) => {
      await storeAuth.authenticate(request, request.params.storeId);
      return { flags: await liveCarts.unpulled(request.params.storeId) };
    },
  );

  app.post(
    '/v1/stores/:storeId/cart-flags/ack',
    {
      config,
      schema: {
        tags: ['edge'],
        summary: 'The edge opened these flags for staff: they are not sent again',
        security: STORE_SECURITY,
        params: StoreParams,
        body: CartFlagsAckSchema,
        response: {
          200: Type.Object({ acknowledged: Type.Integer() }),
          ...errorResponses(400, 401, 403, 429),
        },
      },
    },
    async (request) => {
      await storeAuth.authenticate(request, request.params.storeId);
      return { acknowledged: await liveCarts.markPulled(request.params.storeId, request.body.flagIds) };
    },
  );
};

/** The shopper's stream of cart changes and receipts. */
export const cartStreamRoutes: FastifyPluginAsyncTypebox<CartRoutesOptions> = async (
  app,
  { sessions, liveCarts, hub, heartbeatMs },
) => {
  const config = { rateLimit: rateLimitFor('shopper') };
  // open streams would keep the server from closing
  app.addHook('preClose', (done) => {
    hub.closeAll();
    done();
  });

  app.get(
    '/v1/me/cart/stream',
    {
      config,
      schema: {
        tags: ['shopper'],
        summary:
          'Server-Sent Events: my live cart while I am inside (event cart) and each receipt (event receipt)',
        description:
          'text/event-stream. On connect: the latest cart of each visit in progress and receipts of the last 10 min; ' +
          'then every change as it happens. Send Last-Event-ID to skip what you already have (docs/cloud-api.md).',
        security: SHOPPER_SECURITY,
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 200 })) }),
        response: { ...errorResponses(401, 429, 503) },
      },
    },
    async (request, reply) => {
      const accountId = await sessions.authenticate(request);
      const raw = reply.raw;
      let pending: StreamEvent[] | undefined = [];
      const write = (e: StreamEvent) => {
        raw.write(`id: ${e.id}\nevent: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
      };
      // subscribe before reading what is owed, so nothing between the two is missed (the app keeps the newest)
      const unsubscribe = hub.subscribe(
        accountId,
        (e) => (pending === undefined ? write(e) : pending.push(e)),
        () => raw.end(),
      );
      if (unsubscribe === undefined)
        throw new ApiError(503, 'too_many_streams', 'The service is busy: open the app again in a minute.');
      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-store',
        'x-content-type-options': 'nosniff',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      raw.write('retry: 2000\n\n');
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), heartbeatMs ?? 15_000);
      request.raw.on('close', () => {
        clearInterval(heartbeat);
        unsubscribe();
      });
      try {
        for (const e of await liveCarts.current(accountId, request.headers['last-event-id'])) write(e);
      } finally {
        for (const e of pending) write(e);
        pending = undefined;
      }
    },
  );
};

/** The shopper flags a line "I didn't take this". */
export const cartFlagRoutes: FastifyPluginAsyncTypebox<CartRoutesOptions> = async (
  app,
  { sessions, liveCarts },
) => {
  const config = { rateLimit: rateLimitFor('shopper') };
  app.post(
    '/v1/me/cart/flags',
    {
      config,
      schema: {
        tags: ['shopper'],
        summary:
          '"I didn\'t take this": staff check a counted line of my visit in progress before the receipt',
        description:
          '404 cart_not_found (no visit in progress with this id, or it is over); 409 line_not_flaggable (nothing of ' +
          'this product is counted now). Repeating a flag not yet at the store returns the same flagId.',
        security: SHOPPER_SECURITY,
        body: Type.Object(
          {
            sessionId: Type.String({ minLength: 8, maxLength: 80 }),
            sku: Type.String({ minLength: 1, maxLength: 64 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ flagId: Type.String() }), ...errorResponses(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const accountId = await sessions.authenticate(request);
      const flag = await liveCarts.flag(accountId, request.body.sessionId, request.body.sku);
      return reply.status(201).send(flag);
    },
  );
};
