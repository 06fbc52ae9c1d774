// What an edge uploads to the cloud when a shopper leaves: the cart and the visit's behaviour.
// The cloud prices the lines from its own price list (one price online and in store).
import { type Static, Type } from 'typebox';
import { EntryTokenIdSchema } from './entry-token.ts';
import { VisitBehaviourSchema } from './visit-behaviour.ts';

/** Latest time a message may carry (ms since the Unix epoch): JavaScript's last Date, within a bigint column. */
export const EPOCH_MS_MAX = 8.64e15;

/** A visit is one admission; a few tokens allow for a shopper re-admitted after a gate fault. */
export const MAX_ENTRY_TOKENS_PER_VISIT = 4;

const Sku = Type.String({ minLength: 1, maxLength: 64 });

export const VisitLineSchema = Type.Object(
  { sku: Sku, quantity: Type.Integer({ minimum: 1, maximum: 1000 }) },
  { additionalProperties: false },
);

export const VisitEventSchema = Type.Object(
  {
    eventId: Type.String({ minLength: 1, maxLength: 80 }),
    kind: Type.Union([Type.Literal('pick'), Type.Literal('put-back')]),
    sku: Sku,
    count: Type.Integer({ minimum: 1, maximum: 1000 }),
    lane: Type.String({ minLength: 1, maxLength: 64 }),
    ts: Type.Number({ minimum: 0 }),
    /** How the edge knew it was this shopper (the only one inside, the cameras, or staff) and how sure. */
    attribution: Type.Optional(
      Type.Union([Type.Literal('sole-session'), Type.Literal('vision'), Type.Literal('staff')]),
    ),
    confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);

/**
 * A live-cart line the shopper flagged "I didn't take this" (#18) and how staff decided it: removed lines are a
 * count of the system's errors that the evaluation and the dataset export read from the visit record.
 */
export const ShopperFlagRecordSchema = Type.Object(
  {
    flagId: Type.String({ minLength: 8, maxLength: 64 }),
    sku: Sku,
    /** The pick the flag disputed. */
    eventId: Type.String({ minLength: 1, maxLength: 120 }),
    /** undecided: staff did not decide before the receipt was due; the shopper's word stood (not billed). */
    outcome: Type.Union([Type.Literal('confirmed'), Type.Literal('removed'), Type.Literal('undecided')]),
  },
  { additionalProperties: false },
);

export const VisitUploadSchema = Type.Object(
  {
    /** Unique per visit, chosen by the edge; the upload's idempotency key derives from it. */
    visitId: Type.String({ minLength: 8, maxLength: 80 }),
    accountId: Type.String({ minLength: 1, maxLength: 64 }),
    enteredAt: Type.Integer({ minimum: 0, maximum: EPOCH_MS_MAX }),
    exitedAt: Type.Integer({ minimum: 0, maximum: EPOCH_MS_MAX }),
    party: Type.Integer({ minimum: 1, maximum: 10 }),
    lines: Type.Array(VisitLineSchema, { maxItems: 500 }),
    events: Type.Array(VisitEventSchema, { maxItems: 5000 }),
    /**
     * The entry token(s) the shopper was admitted on (their jti): the cloud bills only the account each was
     * issued to, at this store, once. A party on one group code names its one token. Optional in the schema
     * so an old edge gets the clear error `entry_token_required` rather than a schema failure.
     */
    entryTokenIds: Type.Optional(
      Type.Array(EntryTokenIdSchema, {
        minItems: 1,
        maxItems: MAX_ENTRY_TOKENS_PER_VISIT,
        uniqueItems: true,
      }),
    ),
    /**
     * Behaviour from the store floor (#19), only for a shopper whose entry token carried consent; absent
     * otherwise. The cloud keeps it only while the account consents.
     */
    behaviour: Type.Optional(VisitBehaviourSchema),
    /** Lines the shopper flagged from the live cart, and staff's decision on each (#18); not billed on. */
    shopperFlags: Type.Optional(Type.Array(ShopperFlagRecordSchema, { maxItems: 100 })),
  },
  { additionalProperties: false },
);

export type VisitLine = Static<typeof VisitLineSchema>;
export type VisitEvent = Static<typeof VisitEventSchema>;
export type VisitUpload = Static<typeof VisitUploadSchema>;
export type ShopperFlagRecord = Static<typeof ShopperFlagRecordSchema>;
