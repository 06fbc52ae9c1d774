// POST /v1/me/payment-methods: attaches a card (a provider card token) to the shopper's account. The newest
// method is the one charged, and adding one clears a previous decline so the shopper may enter again.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../../shared/clock.ts';
import { type PaymentProvider, PaymentProviderError } from '../billing/payment-provider.ts';
import type { Database } from '../db/database.ts';
import { ApiError, errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { SHOPPER_SECURITY, type ShopperSessions } from './shopper-sessions.ts';

export interface PaymentMethodsRoutesOptions {
  db: Database;
  clock: Clock;
  sessions: ShopperSessions;
  provider: PaymentProvider;
}

const addCardSchema = {
  tags: ['shopper'],
  summary: 'Add a card; it becomes the one charged',
  security: SHOPPER_SECURITY,
  body: Type.Object(
    {
      cardToken: Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'e.g. tok_visa in the sandbox',
      }),
    },
    { additionalProperties: false },
  ),
  response: {
    201: Type.Object({ paymentMethodId: Type.String(), brand: Type.String(), last4: Type.String() }),
    ...errorResponses(400, 401, 429),
  },
};

const listCardsSchema = {
  tags: ['shopper'],
  summary: 'My cards, the one charged first',
  security: SHOPPER_SECURITY,
  response: {
    200: Type.Object({
      paymentMethods: Type.Array(
        Type.Object({ paymentMethodId: Type.String(), brand: Type.String(), last4: Type.String() }),
      ),
    }),
    ...errorResponses(401, 429),
  },
};

export const paymentMethodsRoutes: FastifyPluginAsyncTypebox<PaymentMethodsRoutesOptions> = async (
  app,
  { db, clock, sessions, provider },
) => {
  app.post(
    '/v1/me/payment-methods',
    {
      config: { rateLimit: rateLimitFor('shopper') },
      schema: addCardSchema,
    },
    async (request, reply) => {
      const accountId = await sessions.authenticate(request);
      const card = await provider.attachCard(request.body.cardToken).catch((err: unknown) => {
        if (err instanceof PaymentProviderError && err.code === 'unknown_card_token') {
          throw new ApiError(400, 'unknown_card_token', `The card was not accepted: ${err.message}.`);
        }
        throw err;
      });
      const paymentMethodId = randomUUID();
      await db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO payment_methods (payment_method_id, account_id, provider_token, brand, last4, created_at)
           VALUES ($1, $2, $3, $4, $5, $6)`,
          [paymentMethodId, accountId, card.paymentMethodToken, card.brand, card.last4, clock.now()],
        );
        await tx.query(`UPDATE accounts SET payment_standing = 'ok' WHERE account_id = $1`, [accountId]);
      });
      return reply.status(201).send({ paymentMethodId, brand: card.brand, last4: card.last4 });
    },
  );

  app.get(
    '/v1/me/payment-methods',
    {
      config: { rateLimit: rateLimitFor('shopper') },
      schema: listCardsSchema,
    },
    async (request) => {
      const accountId = await sessions.authenticate(request);
      const rows = await db.query<{ payment_method_id: string; brand: string; last4: string }>(
        `SELECT payment_method_id, brand, last4 FROM payment_methods WHERE account_id = $1
         ORDER BY created_at DESC, payment_method_id`,
        [accountId],
      );
      return {
        paymentMethods: rows.map((row) => ({
          paymentMethodId: row.payment_method_id,
          brand: row.brand,
          last4: row.last4,
        })),
      };
    },
  );
};
