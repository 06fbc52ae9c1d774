// The shopper's own profile: one history across channels, points, consent, and what the store remembers of
// their visits (only while they consent).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SHOPPER_SECURITY, type ShopperSessions } from '../accounts/shopper-sessions.ts';
import type { Database } from '../db/database.ts';
import { errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { behaviourProfile, consentOf, pointsBalance, purchaseHistory } from './profile-queries.ts';

const ConsentSchema = Type.Object(
  {
    behaviourTracking: Type.Boolean({
      description: 'Keep what I do in store beyond the bill (put-backs, aisles) for my profile and offers',
    }),
    marketing: Type.Boolean({ description: 'Offers by email' }),
  },
  { additionalProperties: false },
);

const HistoryEntrySchema = Type.Object({
  channel: Type.Union([Type.Literal('store'), Type.Literal('online')]),
  id: Type.String({ description: 'Receipt id (store) or order id (online)' }),
  storeId: Type.String(),
  at: Type.Number(),
  totalCents: Type.Integer(),
  currency: Type.String(),
  pointsEarned: Type.Integer(),
  items: Type.Integer(),
  status: Type.String(),
});

const ProfileSchema = Type.Object({
  accountId: Type.String(),
  name: Type.String(),
  email: Type.String(),
  consent: ConsentSchema,
  points: Type.Integer(),
  paymentStanding: Type.Union([Type.Literal('ok'), Type.Literal('declined')]),
  behaviour: Type.Object({
    visits: Type.Array(
      Type.Object({
        visitId: Type.String(),
        storeId: Type.String(),
        enteredAt: Type.Number(),
        exitedAt: Type.Number(),
      }),
    ),
    consideredNotBought: Type.Array(
      Type.Object({
        sku: Type.String(),
        name: Type.String(),
        putBacks: Type.Integer(),
        looks: Type.Integer({ description: 'Times lingered at its lane without taking it' }),
        lastConsideredAt: Type.Number(),
      }),
    ),
    categories: Type.Array(
      Type.Object({
        category: Type.String(),
        interactions: Type.Integer(),
        activeSpanMs: Type.Number(),
        dwellMs: Type.Number({ description: 'Time stood at shelves of the category (from the floor)' }),
      }),
    ),
    lookedAt: Type.Array(
      Type.Object({
        sku: Type.String(),
        name: Type.String(),
        category: Type.Optional(Type.String()),
        looks: Type.Integer(),
        lookedMs: Type.Number(),
        lastLookedAt: Type.Number(),
      }),
      { description: '"You looked at": lanes lingered at without taking, newest first' },
    ),
    compared: Type.Array(
      Type.Object({
        category: Type.String(),
        by: Type.Union([Type.Literal('handled'), Type.Literal('looked')]),
        products: Type.Array(Type.Object({ sku: Type.String(), name: Type.String() })),
        kept: Type.Object({ sku: Type.String(), name: Type.String() }),
        at: Type.Number(),
      }),
      { description: '"You compared": products of one category weighed against each other, newest first' },
    ),
  }),
});

export interface ProfileRoutesOptions {
  db: Database;
  sessions: ShopperSessions;
}

/** The shopper's profile and purchase history. */
export const profileRoutes: FastifyPluginAsyncTypebox<ProfileRoutesOptions> = async (
  app,
  { db, sessions },
) => {
  const config = { rateLimit: rateLimitFor('shopper') };
  app.get(
    '/v1/me/profile',
    {
      config,
      schema: {
        tags: ['shopper'],
        summary: 'My profile: points, consent, payment standing and in-store behaviour kept with consent',
        security: SHOPPER_SECURITY,
        response: { 200: ProfileSchema, ...errorResponses(401, 429) },
      },
    },
    async (request) => {
      const accountId = await sessions.authenticate(request);
      const [account] = await db.query<{ name: string; email: string; payment_standing: 'ok' | 'declined' }>(
        'SELECT name, email, payment_standing FROM accounts WHERE account_id = $1',
        [accountId],
      );
      return {
        accountId,
        name: account?.name ?? '',
        email: account?.email ?? '',
        paymentStanding: account?.payment_standing ?? 'ok',
        consent: await consentOf(db, accountId),
        points: await pointsBalance(db, accountId),
        behaviour: await behaviourProfile(db, accountId),
      };
    },
  );

  app.get(
    '/v1/me/history',
    {
      config,
      schema: {
        tags: ['shopper'],
        summary: 'My purchases in store and online, newest first, with the points balance',
        security: SHOPPER_SECURITY,
        response: {
          200: Type.Object({ points: Type.Integer(), purchases: Type.Array(HistoryEntrySchema) }),
          ...errorResponses(401, 429),
        },
      },
    },
    async (request) => {
      const accountId = await sessions.authenticate(request);
      return { points: await pointsBalance(db, accountId), purchases: await purchaseHistory(db, accountId) };
    },
  );
};

/** The shopper's consent; withdrawing behaviour tracking deletes what was kept. */
export const consentRoutes: FastifyPluginAsyncTypebox<ProfileRoutesOptions> = async (
  app,
  { db, sessions },
) => {
  const config = { rateLimit: rateLimitFor('shopper') };
  app.put(
    '/v1/me/consent',
    {
      config,
      schema: {
        tags: ['shopper'],
        summary: 'Set my consent; withdrawing behaviour tracking deletes the behaviour kept so far',
        security: SHOPPER_SECURITY,
        body: ConsentSchema,
        response: { 200: ConsentSchema, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => {
      const accountId = await sessions.authenticate(request);
      const { behaviourTracking, marketing } = request.body;
      await db.transaction(async (tx) => {
        await tx.query(
          'UPDATE accounts SET consent_behaviour = $2, consent_marketing = $3 WHERE account_id = $1',
          [accountId, behaviourTracking, marketing],
        );
        if (!behaviourTracking) {
          await tx.query('DELETE FROM behaviour_visits WHERE account_id = $1', [accountId]);
          // Visits keep only the evidence of what was billed: events of products on their receipt.
          await tx.query(
            `UPDATE visits v SET events = COALESCE((
               SELECT jsonb_agg(e) FROM jsonb_array_elements(v.events) e
               WHERE e->>'sku' IN (SELECT l.sku FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.receipt_id
                                   WHERE r.visit_id = v.visit_id)), '[]'::jsonb)
             WHERE v.account_id = $1`,
            [accountId],
          );
        }
      });
      return { behaviourTracking, marketing };
    },
  );
};
