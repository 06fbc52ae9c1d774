// Staff resolve a receipt in collection: collected by another means (cash at the till, a bank transfer) or
// written off, with a note; audited and idempotent (collection-resolutions.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../../shared/clock.ts';
import { type ShopperSessions, STAFF_SECURITY } from '../accounts/shopper-sessions.ts';
import type { Database } from '../db/database.ts';
import { errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { resolveCollection } from './collection-resolutions.ts';

export interface CollectionResolutionRoutesOptions {
  db: Database;
  sessions: ShopperSessions;
  clock: Clock;
}

const OutcomeSchema = Type.Union([Type.Literal('collected'), Type.Literal('written_off')], {
  description: 'collected: paid by another means (cash at the store, a bank transfer); written_off: given up',
});

const ResolutionSchema = Type.Object({
  receiptId: Type.String(),
  outcome: OutcomeSchema,
  amountCents: Type.Integer({ description: "The receipt's total: collected, or lost" }),
  currency: Type.String(),
  note: Type.String(),
  reference: Type.Union([Type.String(), Type.Null()]),
  resolvedBy: Type.String({ description: 'The staff account that resolved it' }),
  resolvedAt: Type.Number({ description: 'ms since the Unix epoch' }),
});

export const collectionResolutionRoutes: FastifyPluginAsyncTypebox<
  CollectionResolutionRoutesOptions
> = async (app, { db, sessions, clock }) => {
  app.post(
    '/v1/staff/collections/:receiptId/resolution',
    {
      config: { rateLimit: rateLimitFor('staff') },
      schema: {
        tags: ['staff'],
        summary: 'Resolve a receipt in collection: collected by another means, or written off (with a note)',
        description:
          'The receipt leaves collection for `collected` or `written_off`; who, when and why are kept. 201 the ' +
          'resolution; 200 the first resolution again when it was resolved with the same outcome before. ' +
          '404 receipt_not_found; 409 not_in_collection, collection_already_resolved (another outcome).',
        security: STAFF_SECURITY,
        params: Type.Object({ receiptId: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: Type.Object(
          {
            outcome: OutcomeSchema,
            note: Type.String({ minLength: 1, maxLength: 500, description: 'Why (kept in the audit trail)' }),
            reference: Type.Optional(
              Type.String({
                minLength: 1,
                maxLength: 120,
                description: 'Till receipt or transfer reference',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: ResolutionSchema,
          201: ResolutionSchema,
          ...errorResponses(400, 401, 403, 404, 409, 429),
        },
      },
    },
    async (request, reply) => {
      const staffId = await sessions.authenticateStaff(request);
      const { resolution, created } = await resolveCollection(db, {
        receiptId: request.params.receiptId,
        ...request.body,
        staffId,
        now: clock.now(),
      });
      if (created)
        request.log.info(
          { receiptId: resolution.receiptId, outcome: resolution.outcome, staffId },
          'collection resolved',
        );
      return reply.code(created ? 201 : 200).send(resolution);
    },
  );
};
