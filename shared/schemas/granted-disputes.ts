// Disputes staff granted in the cloud, for the store's edge (#17, the data flywheel): a shopper said a receipt
// line was not theirs and staff refunded it, so the system billed the wrong shopper (or product). The edge pulls
// them (GET /v1/stores/{storeId}/disputes/decided?after=<cursor>) and keeps each, with the frames it still holds
// of the line's shelf events, as a decision sample for `npm run dataset:export`.
import { type Static, Type } from 'typebox';
import { EPOCH_MS_MAX } from './visit.ts';

/** Where a page ends: `{decidedAt}.{disputeId}`; the next page starts after it. */
export const DisputeCursorSchema = Type.String({
  pattern: '^[0-9]{1,16}\\.[A-Za-z0-9-]{1,64}$',
  maxLength: 81,
});

export const GrantedDisputeSchema = Type.Object(
  {
    disputeId: Type.String({ minLength: 1, maxLength: 64 }),
    /** The visit's id: the edge's session id of the shopper who was billed. */
    visitId: Type.String({ minLength: 1, maxLength: 80 }),
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    /** Items of the line the dispute refunded. */
    quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
    decidedAt: Type.Number({ minimum: 0, maximum: EPOCH_MS_MAX }),
    /** The edge's pick events of the line's product in the visit (the events that billed it). */
    eventIds: Type.Array(Type.String({ minLength: 1, maxLength: 80 }), { maxItems: 100 }),
  },
  { additionalProperties: false },
);

export const GrantedDisputesPageSchema = Type.Object(
  {
    disputes: Type.Array(GrantedDisputeSchema, { maxItems: 100 }),
    /** The cursor after the last dispute of this page (null: the page is empty, keep the one you sent). */
    next: Type.Union([DisputeCursorSchema, Type.Null()]),
  },
  { additionalProperties: false },
);

export type GrantedDispute = Static<typeof GrantedDisputeSchema>;
export type GrantedDisputesPage = Static<typeof GrantedDisputesPageSchema>;
