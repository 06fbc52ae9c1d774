// What an edge sends when an item billed on a receipt came back to its shelf after the receipt was issued: the
// shopper handed it to someone who put it back once they had left. The cloud refunds those units of the line.
import { type Static, Type } from 'typebox';
import { EPOCH_MS_MAX } from './visit.ts';

export const VisitReturnSchema = Type.Object(
  {
    /** The put-back's shelf event id: unique per return, the idempotency key (a retry never refunds twice). */
    returnId: Type.String({ minLength: 1, maxLength: 120 }),
    /** The visit (receipt) the item was billed on. */
    visitId: Type.String({ minLength: 8, maxLength: 80 }),
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    /** Units that came back. */
    quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
    lane: Type.String({ minLength: 1, maxLength: 64 }),
    /** When the put-back began on the shelf (device time, ms since the Unix epoch). */
    returnedAt: Type.Integer({ minimum: 0, maximum: EPOCH_MS_MAX }),
  },
  { additionalProperties: false },
);

export type VisitReturn = Static<typeof VisitReturnSchema>;
