// The receipt a shopper reads and the answer a store edge gets for a visit upload.
import { type Static, Type } from 'typebox';

export const ReceiptStatusSchema = Type.Union([
  Type.Literal('pending_payment'),
  Type.Literal('paid'),
  Type.Literal('declined'),
]);
export type ReceiptStatus = Static<typeof ReceiptStatusSchema>;

export const ReceiptLineSchema = Type.Object({
  sku: Type.String(),
  name: Type.String(),
  quantity: Type.Integer(),
  unitPriceCents: Type.Integer(),
  totalCents: Type.Integer(),
});
export type ReceiptLine = Static<typeof ReceiptLineSchema>;

const EpochMs = Type.Number({ description: 'ms since the Unix epoch' });

export const ReceiptSchema = Type.Object({
  receiptId: Type.String(),
  visitId: Type.String(),
  storeId: Type.String(),
  accountId: Type.String(),
  enteredAt: EpochMs,
  exitedAt: EpochMs,
  lines: Type.Array(ReceiptLineSchema),
  totalCents: Type.Integer(),
  currency: Type.String(),
  status: ReceiptStatusSchema,
  createdAt: EpochMs,
});
export type Receipt = Static<typeof ReceiptSchema>;

export const VisitReceiptSchema = Type.Object({
  receiptId: Type.String(),
  status: ReceiptStatusSchema,
  totalCents: Type.Integer(),
});
export type VisitReceipt = Static<typeof VisitReceiptSchema>;
