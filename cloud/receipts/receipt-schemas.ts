// The receipt a shopper reads (with each line's dispute, points and refunds) and the answer a store edge
// gets for a visit upload.
import { type Static, Type } from 'typebox';

export const ReceiptStatusSchema = Type.Union(
  [
    Type.Literal('pending_payment'),
    Type.Literal('paid'),
    Type.Literal('declined'),
    Type.Literal('collection'),
    Type.Literal('collected'),
    Type.Literal('written_off'),
  ],
  {
    description:
      'collection: the capture still failed after the retries; staff collect the payment, then collected (paid ' +
      'by another means) or written_off (the store gave it up)',
  },
);
export type ReceiptStatus = Static<typeof ReceiptStatusSchema>;

export const DisputeStatusSchema = Type.Union(
  [
    Type.Literal('refunding'),
    Type.Literal('refunded'),
    Type.Literal('pending_review'),
    Type.Literal('rejected'),
  ],
  { description: 'refunding → refunded; pending_review → refunding → refunded, or rejected' },
);
export type DisputeStatus = Static<typeof DisputeStatusSchema>;

export const LineDisputeSchema = Type.Object({
  disputeId: Type.String(),
  status: DisputeStatusSchema,
  quantity: Type.Integer(),
  amountCents: Type.Integer(),
});

export const ReceiptLineSchema = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  quantity: Type.Integer(),
  unitPriceCents: Type.Integer(),
  totalCents: Type.Integer(),
});
export type ReceiptLine = Static<typeof ReceiptLineSchema>;

export const ReceiptLineViewSchema = Type.Object({
  ...ReceiptLineSchema.properties,
  lineNo: Type.Integer({ description: 'Position on the receipt, from 1; disputes name it' }),
  returnedQuantity: Type.Integer({
    description: 'Units put back on the shelf after the receipt was issued and refunded (0 when none)',
  }),
  returnedCents: Type.Integer({ description: 'What those returned units were refunded (0 when none)' }),
  dispute: Type.Optional(LineDisputeSchema),
});
export type ReceiptLineView = Static<typeof ReceiptLineViewSchema>;

const EpochMs = Type.Number({ description: 'ms since the Unix epoch' });

export const ReceiptSchema = Type.Object({
  receiptId: Type.String(),
  visitId: Type.String(),
  storeId: Type.String(),
  accountId: Type.String(),
  enteredAt: EpochMs,
  exitedAt: EpochMs,
  lines: Type.Array(ReceiptLineViewSchema),
  totalCents: Type.Integer(),
  currency: Type.String(),
  status: ReceiptStatusSchema,
  pointsEarned: Type.Integer({ description: 'Points credited when paid, less those of refunds' }),
  refundedCents: Type.Integer({
    description: 'Refunded so far: granted disputes and items returned to the shelf after the receipt',
  }),
  createdAt: EpochMs,
});
export type Receipt = Static<typeof ReceiptSchema>;

export const VisitReceiptSchema = Type.Object({
  receiptId: Type.String(),
  status: ReceiptStatusSchema,
  totalCents: Type.Integer(),
});
export type VisitReceipt = Static<typeof VisitReceiptSchema>;
