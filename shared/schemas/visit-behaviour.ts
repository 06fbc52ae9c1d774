// What the edge derived from the floor about one visit of a shopper who consented (#19): where they lingered
// without taking, what they compared, dwell per shelf and category, time to the first pick, a coarse path.
// Absent from the upload when the shopper did not consent: nothing personal is derived for them.
import { type Static, Type } from 'typebox';

const Id = Type.String({ minLength: 1, maxLength: 64 });

/** Bounds of one visit's behaviour: the edge keeps the first ones, so an upload is never refused for it. */
export const MAX_LINGERS = 500;
export const MAX_PATH_POINTS = 2000;
export const MAX_COMPARISONS = 100;
/** Shelves or categories a visit's dwell lists. */
export const MAX_DWELL_KEYS = 500;
const Ms = Type.Integer({ minimum: 0, maximum: 86_400_000 });

/** Stood within reach of a lane (facing it when the tracker knows where people face) without taking. */
export const LingerSchema = Type.Object(
  {
    lane: Id,
    /** The lane's product and its category when the lane is stocked (from the store config). */
    sku: Type.Optional(Id),
    category: Type.Optional(Id),
    /** Device time the stay began (ms since the epoch). */
    startTs: Type.Number({ minimum: 0 }),
    durationMs: Ms,
  },
  { additionalProperties: false },
);

export const ComparisonSchema = Type.Object(
  {
    category: Id,
    /**
     * handled: took two or more products of the category and put back all but one; looked: lingered over
     * lanes of the category, then took from one of them.
     */
    by: Type.Union([Type.Literal('handled'), Type.Literal('looked')]),
    /** Products weighed against each other, the kept one included (sorted). */
    skus: Type.Array(Id, { minItems: 1, maxItems: 50 }),
    /** The product kept. */
    kept: Id,
    /** When the product kept was taken (device time). */
    ts: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const VisitBehaviourSchema = Type.Object(
  {
    v: Type.Literal(1),
    lingers: Type.Array(LingerSchema, { maxItems: MAX_LINGERS }),
    comparisons: Type.Array(ComparisonSchema, { maxItems: MAX_COMPARISONS }),
    /** Time stood at the shelves, per shelf face (the aisle side of one shelf) and per product category. */
    dwellByShelf: Type.Array(Type.Object({ shelf: Id, dwellMs: Ms }, { additionalProperties: false }), {
      maxItems: MAX_DWELL_KEYS,
    }),
    dwellByCategory: Type.Array(Type.Object({ category: Id, dwellMs: Ms }, { additionalProperties: false }), {
      maxItems: MAX_DWELL_KEYS,
    }),
    /** Entry scan → first pick (ms); absent when nothing was picked. */
    firstPickMs: Type.Optional(Ms),
    /** Coarse path: [seconds since entry, x, y] every few seconds, positions rounded (m). */
    path: Type.Array(Type.Tuple([Type.Number(), Type.Number(), Type.Number()]), {
      maxItems: MAX_PATH_POINTS,
    }),
  },
  { additionalProperties: false },
);

export type Linger = Static<typeof LingerSchema>;
export type Comparison = Static<typeof ComparisonSchema>;
export type VisitBehaviour = Static<typeof VisitBehaviourSchema>;
