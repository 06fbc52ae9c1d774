// The online shop's order as it reports it to the cloud, and the cloud's answer.
import { type Static, Type } from 'typebox';
import { EPOCH_MS_MAX, VisitLineSchema } from '../../shared/schemas/visit.ts';

export const OnlineOrderSchema = Type.Object(
  {
    orderId: Type.String({
      minLength: 1,
      maxLength: 80,
      description: 'Unique per order: recording is idempotent by it',
    }),
    accountId: Type.String({ minLength: 1, maxLength: 64 }),
    storeId: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'Store whose price list prices the order',
    }),
    placedAt: Type.Number({ minimum: 0, maximum: EPOCH_MS_MAX, description: 'ms since the Unix epoch' }),
    lines: Type.Array(VisitLineSchema, { minItems: 1, maxItems: 500 }),
    expectedTotalCents: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'What the shop charged; refused when the price list disagrees',
      }),
    ),
  },
  { additionalProperties: false },
);
export type OnlineOrder = Static<typeof OnlineOrderSchema>;

export const RecordedOrderSchema = Type.Object({
  orderId: Type.String(),
  totalCents: Type.Integer(),
  currency: Type.String(),
  pointsEarned: Type.Integer(),
});
