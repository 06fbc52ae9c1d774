// The live cart (#18): what the edge believes a shopper holds while they are inside, sent to the cloud after
// every change fusion decides (edge → cloud, POST /v1/stores/{storeId}/cart-updates), and the shopper's
// "I didn't take this" flags going the other way (the edge pulls them, GET …/cart-flags).
import { type Static, Type } from 'typebox';
import { EPOCH_MS_MAX } from './visit.ts';

const Sku = Type.String({ minLength: 1, maxLength: 64 });
const SessionId = Type.String({ minLength: 8, maxLength: 80 });
/** Cloud-issued flag id (a UUID). */
export const CartFlagIdSchema = Type.String({ minLength: 8, maxLength: 64 });

export const LiveCartLineSchema = Type.Object(
  {
    sku: Sku,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    count: Type.Integer({ minimum: 1, maximum: 1000 }),
    unitPriceCents: Type.Integer({ minimum: 0 }),
    lineCents: Type.Integer({ minimum: 0 }),
    /**
     * counted: on the bill as things stand; checking: still being decided (whose it was, or which product;
     * staff or the cameras decide before the receipt) — not in the total.
     */
    status: Type.Union([Type.Literal('counted'), Type.Literal('checking')]),
    /** The shopper said "I didn't take this" and staff have not decided yet. */
    flagged: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** What made this update: a pick or put-back fusion decided, or a decision on a doubtful line. */
export const LiveCartChangeSchema = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('pick'),
      Type.Literal('put-back'),
      Type.Literal('decided'),
      Type.Literal('flagged'),
    ]),
    /** Shelf event behind it (the bench and tests match a shelf event to what the app shows with it). */
    eventId: Type.String({ minLength: 1, maxLength: 120 }),
    sku: Type.Optional(Sku),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);

/** How a shopper's flag ended (or that staff are still deciding). */
export const FlagOutcomeSchema = Type.Object(
  {
    flagId: CartFlagIdSchema,
    sku: Sku,
    status: Type.Union([Type.Literal('checking'), Type.Literal('confirmed'), Type.Literal('removed')]),
  },
  { additionalProperties: false },
);

export const LiveCartUpdateSchema = Type.Object(
  {
    /** The edge's session; the visit upload later carries it as `visitId`. */
    sessionId: SessionId,
    accountId: Type.String({ minLength: 1, maxLength: 64 }),
    /** 1, 2, … per session: the cloud keeps the highest and ignores repeats and late older ones. */
    seq: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    /** Edge clock when the change was decided (ms). */
    ts: Type.Integer({ minimum: 0, maximum: EPOCH_MS_MAX }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    lines: Type.Array(LiveCartLineSchema, { maxItems: 500 }),
    /** Sum of the counted lines at the store's prices (the receipt is priced by the cloud). */
    totalCents: Type.Integer({ minimum: 0 }),
    change: Type.Optional(LiveCartChangeSchema),
    flags: Type.Array(FlagOutcomeSchema, { maxItems: 100 }),
  },
  { additionalProperties: false },
);

/** A shopper's "I didn't take this" on a live-cart line, as the edge pulls it. */
export const CartFlagSchema = Type.Object(
  {
    flagId: CartFlagIdSchema,
    sessionId: SessionId,
    sku: Sku,
    createdAt: Type.Integer({ minimum: 0, maximum: EPOCH_MS_MAX }),
  },
  { additionalProperties: false },
);

export const CartFlagsPageSchema = Type.Object(
  { flags: Type.Array(CartFlagSchema, { maxItems: 100 }) },
  { additionalProperties: false },
);

export const CartFlagsAckSchema = Type.Object(
  { flagIds: Type.Array(CartFlagIdSchema, { minItems: 1, maxItems: 100, uniqueItems: true }) },
  { additionalProperties: false },
);

export type LiveCartLine = Static<typeof LiveCartLineSchema>;
export type LiveCartChange = Static<typeof LiveCartChangeSchema>;
export type FlagOutcome = Static<typeof FlagOutcomeSchema>;
export type LiveCartUpdate = Static<typeof LiveCartUpdateSchema>;
export type CartFlag = Static<typeof CartFlagSchema>;
