// Line disputes: a shopper disputes a receipt line (refunded at once under the configured amount, otherwise
// queued for staff) and follows its outcome; staff list the queue with the visit's evidence and decide.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { type VisitEvent, VisitEventSchema } from '../../shared/schemas/visit.ts';
import { SHOPPER_SECURITY, type ShopperSessions, STAFF_SECURITY } from '../accounts/shopper-sessions.ts';
import { type Database, toNumber } from '../db/database.ts';
import { errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { type DisputeStatus, DisputeStatusSchema, ReceiptLineSchema } from '../receipts/receipt-schemas.ts';
import type { DisputeRefunds } from './dispute-refunds.ts';

export interface DisputesRoutesOptions {
  db: Database;
  sessions: ShopperSessions;
  disputes: DisputeRefunds;
}

const DisputeSchema = Type.Object({
  disputeId: Type.String(),
  receiptId: Type.String(),
  lineNo: Type.Integer(),
  sku: Type.String(),
  name: Type.String(),
  quantity: Type.Integer(),
  amountCents: Type.Integer(),
  currency: Type.String(),
  reason: Type.String(),
  status: DisputeStatusSchema,
  decisionNote: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.Number(),
});

const ReviewItemSchema = Type.Object({
  ...DisputeSchema.properties,
  evidence: Type.Object({
    visitId: Type.String(),
    storeId: Type.String(),
    enteredAt: Type.Number(),
    exitedAt: Type.Number(),
    party: Type.Integer(),
    line: ReceiptLineSchema,
    /** The edge's pick and put-back events of the disputed product, in time order. */
    productEvents: Type.Array(VisitEventSchema),
    /** Every event kept for the visit (all of them with consent; those of billed products otherwise). */
    visitEvents: Type.Array(VisitEventSchema),
  }),
});

interface DisputeRow {
  dispute_id: string;
  receipt_id: string;
  line_no: number;
  sku: string;
  name: string;
  line_quantity: number;
  unit_price_cents: unknown;
  line_total_cents: unknown;
  quantity: number;
  amount_cents: unknown;
  currency: string;
  reason: string;
  status: DisputeStatus;
  decision_note: string | null;
  created_at: unknown;
  visit_id: string;
  store_id: string;
  entered_at: unknown;
  exited_at: unknown;
  party: number;
  events: unknown;
}

const DISPUTE_SELECT = `SELECT d.dispute_id, d.receipt_id, d.line_no, l.sku, l.name, l.quantity AS line_quantity,
    l.unit_price_cents, l.total_cents AS line_total_cents, d.quantity, d.amount_cents, r.currency, d.reason,
    d.status, d.decision_note, d.created_at, v.visit_id, v.store_id, v.entered_at, v.exited_at, v.party, v.events
  FROM disputes d
  JOIN receipts r ON r.receipt_id = d.receipt_id
  JOIN receipt_lines l ON l.receipt_id = d.receipt_id AND l.line_no = d.line_no
  JOIN visits v ON v.visit_id = r.visit_id`;

function toDispute(row: DisputeRow) {
  return {
    disputeId: row.dispute_id,
    receiptId: row.receipt_id,
    lineNo: row.line_no,
    sku: row.sku,
    name: row.name,
    quantity: row.quantity,
    amountCents: toNumber(row.amount_cents),
    currency: row.currency,
    reason: row.reason,
    status: row.status,
    decisionNote: row.decision_note,
    createdAt: toNumber(row.created_at),
  };
}

function toReviewItem(row: DisputeRow) {
  const events = (typeof row.events === 'string' ? JSON.parse(row.events) : row.events) as VisitEvent[];
  const sorted = [...events].sort((a, b) => a.ts - b.ts);
  return {
    ...toDispute(row),
    evidence: {
      visitId: row.visit_id,
      storeId: row.store_id,
      enteredAt: toNumber(row.entered_at),
      exitedAt: toNumber(row.exited_at),
      party: row.party,
      line: {
        sku: row.sku,
        name: row.name,
        quantity: row.line_quantity,
        unitPriceCents: toNumber(row.unit_price_cents),
        totalCents: toNumber(row.line_total_cents),
      },
      productEvents: sorted.filter((event) => event.sku === row.sku),
      visitEvents: sorted,
    },
  };
}

const Params = Type.Object({
  receiptId: Type.String({ minLength: 1, maxLength: 64 }),
  lineNo: Type.Integer({ minimum: 1, maximum: 500 }),
});

export const disputesRoutes: FastifyPluginAsyncTypebox<DisputesRoutesOptions> = async (
  app,
  { db, sessions, disputes },
) => {
  app.post(
    '/v1/me/receipts/:receiptId/lines/:lineNo/disputes',
    {
      config: { rateLimit: rateLimitFor('shopper') },
      schema: {
        tags: ['shopper'],
        summary: 'Dispute a receipt line ("I didn\'t take this"); idempotent per line',
        description:
          'Under the auto-refund amount the line is refunded at once (status refunded); otherwise the dispute ' +
          'waits for staff review (pending_review). Disputing the same line again answers with its dispute.',
        security: SHOPPER_SECURITY,
        params: Params,
        body: Type.Object(
          {
            quantity: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 1000, description: 'Default: the whole line' }),
            ),
            reason: Type.Optional(Type.String({ maxLength: 500, default: "I didn't take this" })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            disputeId: Type.String(),
            status: DisputeStatusSchema,
            amountCents: Type.Integer(),
          }),
          201: Type.Object({
            disputeId: Type.String(),
            status: DisputeStatusSchema,
            amountCents: Type.Integer(),
          }),
          ...errorResponses(400, 401, 404, 409, 429, 503),
        },
      },
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      const accountId = await sessions.authenticate(request);
      const { receiptId, lineNo } = request.params;
      const { created, ...dispute } = await disputes.open(
        accountId,
        receiptId,
        lineNo,
        request.body.quantity,
        request.body.reason ?? "I didn't take this",
      );
      return reply.status(created ? 201 : 200).send(dispute);
    },
  );

  app.get(
    '/v1/me/disputes',
    {
      config: { rateLimit: rateLimitFor('shopper') },
      schema: {
        tags: ['shopper'],
        summary: 'My disputes and their outcomes, newest first',
        security: SHOPPER_SECURITY,
        response: { 200: Type.Object({ disputes: Type.Array(DisputeSchema) }), ...errorResponses(401, 429) },
      },
    },
    async (request) => {
      const accountId = await sessions.authenticate(request);
      const rows = await db.query<DisputeRow>(
        `${DISPUTE_SELECT} WHERE d.account_id = $1 ORDER BY d.created_at DESC, d.dispute_id LIMIT 200`,
        [accountId],
      );
      return { disputes: rows.map(toDispute) };
    },
  );
};

/** Staff review: the disputes waiting, and a decision on one. */
export const disputeReviewRoutes: FastifyPluginAsyncTypebox<DisputesRoutesOptions> = async (
  app,
  { db, sessions, disputes },
) => {
  app.get(
    '/v1/staff/disputes',
    {
      config: { rateLimit: rateLimitFor('staff') },
      schema: {
        tags: ['staff'],
        summary: 'Disputes by status (default: waiting for review), oldest first, with the visit evidence',
        security: STAFF_SECURITY,
        querystring: Type.Object({ status: Type.Optional(DisputeStatusSchema) }),
        response: {
          200: Type.Object({ disputes: Type.Array(ReviewItemSchema) }),
          ...errorResponses(400, 401, 403, 429),
        },
      },
    },
    async (request) => {
      await sessions.authenticateStaff(request);
      const rows = await db.query<DisputeRow>(
        `${DISPUTE_SELECT} WHERE d.status = $1 ORDER BY d.created_at, d.dispute_id LIMIT 200`,
        [request.query.status ?? 'pending_review'],
      );
      return { disputes: rows.map(toReviewItem) };
    },
  );

  app.post(
    '/v1/staff/disputes/:disputeId/decision',
    {
      config: { rateLimit: rateLimitFor('staff') },
      schema: {
        tags: ['staff'],
        summary: 'Approve (refund the line) or reject a dispute waiting for review',
        security: STAFF_SECURITY,
        params: Type.Object({ disputeId: Type.String({ minLength: 1, maxLength: 64 }) }),
        body: Type.Object(
          {
            decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
            note: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ disputeId: Type.String(), status: DisputeStatusSchema }),
          ...errorResponses(400, 401, 403, 404, 409, 429, 503),
        },
      },
    },
    async (request) => {
      const staffId = await sessions.authenticateStaff(request);
      const { disputeId } = request.params;
      const status = await disputes.decide(
        disputeId,
        staffId,
        request.body.decision === 'approve',
        request.body.note ?? '',
      );
      return { disputeId, status };
    },
  );
};
