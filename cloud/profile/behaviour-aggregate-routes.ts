// Staff and analysts: behaviour from the floor as totals per category over a period, for one store. Only
// aggregates of consenting visits, each category over at least MIN_VISITS_PER_AGGREGATE visits.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type ShopperSessions, STAFF_SECURITY } from '../accounts/shopper-sessions.ts';
import type { Database } from '../db/database.ts';
import { errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { behaviourAggregates, MIN_VISITS_PER_AGGREGATE } from './behaviour-aggregates.ts';

const DAY_MS = 86_400_000;

export const behaviourAggregateRoutes: FastifyPluginAsyncTypebox<{
  db: Database;
  sessions: ShopperSessions;
  now: () => number;
}> = async (app, { db, sessions, now }) => {
  app.get(
    '/v1/staff/behaviour',
    {
      config: { rateLimit: rateLimitFor('staff') },
      schema: {
        tags: ['staff'],
        summary:
          'Behaviour from the floor per category over a period: totals only, never a visit or a person',
        description: `Categories seen in fewer than ${MIN_VISITS_PER_AGGREGATE} consenting visits are left out (counted in suppressed).`,
        security: STAFF_SECURITY,
        querystring: Type.Object({
          storeId: Type.String({ minLength: 1, maxLength: 64 }),
          from: Type.Optional(
            Type.Integer({ minimum: 0, description: 'ms since the epoch; default 30 days before to' }),
          ),
          to: Type.Optional(Type.Integer({ minimum: 0, description: 'ms since the epoch; default now' })),
        }),
        response: {
          200: Type.Object({
            storeId: Type.String(),
            from: Type.Integer(),
            to: Type.Integer(),
            minVisits: Type.Integer(),
            visits: Type.Integer(),
            suppressed: Type.Integer(),
            categories: Type.Array(
              Type.Object({
                category: Type.String(),
                visits: Type.Integer(),
                looks: Type.Integer(),
                comparisons: Type.Integer(),
                dwellMs: Type.Integer(),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403, 429),
        },
      },
    },
    async (request) => {
      await sessions.authenticateStaff(request);
      const { storeId } = request.query;
      const to = request.query.to ?? now();
      const from = request.query.from ?? to - 30 * DAY_MS;
      const sums = await behaviourAggregates(db, storeId, from, to);
      return { storeId, from, to, minVisits: MIN_VISITS_PER_AGGREGATE, ...sums };
    },
  );
};
