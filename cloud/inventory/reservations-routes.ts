// Click & collect for shoppers: hold units of a product at a store, list holds, cancel one.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SHOPPER_SECURITY, type ShopperSessions } from '../accounts/shopper-sessions.ts';
import { errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import type { Reservations } from './reservations.ts';

const ReservationSchema = Type.Object({
  reservationId: Type.String(),
  storeId: Type.String(),
  sku: Type.String(),
  quantity: Type.Integer(),
  status: Type.Union([
    Type.Literal('held'),
    Type.Literal('collected'),
    Type.Literal('cancelled'),
    Type.Literal('expired'),
  ]),
  expiresAt: Type.Number(),
  createdAt: Type.Number(),
});

export const reservationsRoutes: FastifyPluginAsyncTypebox<{
  sessions: ShopperSessions;
  reservations: Reservations;
}> = async (app, { sessions, reservations }) => {
  const config = { rateLimit: rateLimitFor('shopper') };
  app.post(
    '/v1/me/reservations',
    {
      config,
      schema: {
        tags: ['shopper'],
        summary: 'Reserve units for click & collect (held for 2 hours)',
        security: SHOPPER_SECURITY,
        body: Type.Object(
          {
            storeId: Type.String({ minLength: 1, maxLength: 64 }),
            sku: Type.String({ minLength: 1, maxLength: 64 }),
            quantity: Type.Integer({ minimum: 1, maximum: 20 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: ReservationSchema, ...errorResponses(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const accountId = await sessions.authenticate(request);
      const { storeId, sku, quantity } = request.body;
      return reply.status(201).send(await reservations.hold(accountId, storeId, sku, quantity));
    },
  );

  app.get(
    '/v1/me/reservations',
    {
      config,
      schema: {
        tags: ['shopper'],
        summary: 'My click & collect reservations, newest first',
        security: SHOPPER_SECURITY,
        response: {
          200: Type.Object({ reservations: Type.Array(ReservationSchema) }),
          ...errorResponses(401, 429),
        },
      },
    },
    async (request) => ({ reservations: await reservations.listOf(await sessions.authenticate(request)) }),
  );

  app.post(
    '/v1/me/reservations/:reservationId/cancel',
    {
      config,
      schema: {
        tags: ['shopper'],
        summary: 'Cancel a held reservation',
        security: SHOPPER_SECURITY,
        params: Type.Object({ reservationId: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: ReservationSchema, ...errorResponses(401, 404, 429) },
      },
    },
    async (request) =>
      reservations.cancel(await sessions.authenticate(request), request.params.reservationId),
  );
};
