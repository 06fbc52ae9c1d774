// The store edge pulls the disputes staff granted on its visits (#17): training data, since the edge holds the
// frames of the events that billed the line and the cloud does not. Paged by a cursor over (decided_at,
// dispute_id), so a restarted edge goes on where it stopped; only the store's own disputes, by its credential.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  DisputeCursorSchema,
  type GrantedDispute,
  GrantedDisputesPageSchema,
} from '../../shared/schemas/granted-disputes.ts';
import type { VisitEvent } from '../../shared/schemas/visit.ts';
import { type Database, toNumber } from '../db/database.ts';
import { errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { STORE_SECURITY, type StoreAuth } from '../stores/store-auth.ts';

export interface GrantedDisputesRoutesOptions {
  db: Database;
  storeAuth: StoreAuth;
}

interface GrantedRow {
  dispute_id: string;
  visit_id: string;
  sku: string;
  quantity: number;
  decided_at: unknown;
  events: unknown;
}

/** Granted: staff approved it (refunding, then refunded). Auto-refunds under the limit were never judged. */
const GRANTED = `d.decided_by IS NOT NULL AND d.status IN ('refunding', 'refunded')`;

export const grantedDisputesRoutes: FastifyPluginAsyncTypebox<GrantedDisputesRoutesOptions> = async (
  app,
  { db, storeAuth },
) => {
  app.get(
    '/v1/stores/:storeId/disputes/decided',
    {
      config: { rateLimit: rateLimitFor('store') },
      schema: {
        tags: ['edge'],
        summary: "Disputes staff granted on the store's visits, in decision order, after a cursor",
        description:
          'Each with the visit (the edge session), the product, the refunded quantity and the edge events that ' +
          'billed it. Start without `after`; send the page’s `next` as `after` for the following page.',
        security: STORE_SECURITY,
        params: Type.Object({ storeId: Type.String({ minLength: 1, maxLength: 64 }) }),
        querystring: Type.Object({
          after: Type.Optional(DisputeCursorSchema),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Default 100' })),
        }),
        response: { 200: GrantedDisputesPageSchema, ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request) => {
      const { storeId } = request.params;
      await storeAuth.authenticate(request, storeId);
      const { after, limit = 100 } = request.query;
      const dot = after?.indexOf('.') ?? -1;
      const afterAt = after === undefined ? -1 : Number(after.slice(0, dot));
      const afterId = after === undefined ? '' : after.slice(dot + 1);
      const rows = await db.query<GrantedRow>(
        `SELECT d.dispute_id, v.visit_id, l.sku, d.quantity, d.decided_at, v.events
           FROM disputes d
           JOIN receipts r ON r.receipt_id = d.receipt_id
           JOIN receipt_lines l ON l.receipt_id = d.receipt_id AND l.line_no = d.line_no
           JOIN visits v ON v.visit_id = r.visit_id
          WHERE v.store_id = $1 AND ${GRANTED} AND (d.decided_at, d.dispute_id) > ($2, $3)
          ORDER BY d.decided_at, d.dispute_id LIMIT $4`,
        [storeId, afterAt, afterId, limit],
      );
      const disputes = rows.map(toGranted);
      const last = disputes.at(-1);
      return { disputes, next: last === undefined ? null : `${last.decidedAt}.${last.disputeId}` };
    },
  );
};

function toGranted(row: GrantedRow): GrantedDispute {
  const events = (typeof row.events === 'string' ? JSON.parse(row.events) : row.events) as VisitEvent[];
  return {
    disputeId: row.dispute_id,
    visitId: row.visit_id,
    sku: row.sku,
    quantity: row.quantity,
    decidedAt: toNumber(row.decided_at),
    eventIds: events
      .filter((e) => e.kind === 'pick' && e.sku === row.sku)
      .map((e) => e.eventId)
      .slice(0, 100),
  };
}
