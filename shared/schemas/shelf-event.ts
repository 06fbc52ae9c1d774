// A pick or put-back detected on a lane by the edge, with its product hypotheses and attribution.
import { type Static, Type } from 'typebox';
import { AttributionEvidenceSchema } from './attribution-evidence.ts';

export const ProductHypothesisSchema = Type.Object(
  {
    sku: Type.String(),
    count: Type.Integer({ minimum: 1 }),
    /** Normalised over the hypotheses of the event (0–1). */
    likelihood: Type.Number({ minimum: 0, maximum: 1 }),
  },
  { additionalProperties: false },
);

export const ShelfEventSchema = Type.Object(
  {
    v: Type.Literal(1),
    eventId: Type.String(),
    kind: Type.Union([Type.Literal('pick'), Type.Literal('put-back')]),
    shelf: Type.String(),
    /** Lane that moved the most weight; `lanes` lists every lane of the interaction (an item across plates). */
    lane: Type.String(),
    lanes: Type.Array(Type.String(), { minItems: 1 }),
    loadCell: Type.String(),
    /** First sample of the change and first sample of the stable-after window, ms since the epoch. */
    startTs: Type.Number(),
    endTs: Type.Number(),
    /** Sample furthest from the old level during the change (the hand's moment on the shelf). */
    peakTs: Type.Number(),
    /** Weight change (negative for a pick) and its standard uncertainty, grams. */
    deltaGrams: Type.Number(),
    deltaSdGrams: Type.Number({ minimum: 0 }),
    /** Best first. Empty when no product of the lane or its neighbours explains the change. */
    hypotheses: Type.Array(ProductHypothesisSchema),
    /** True when the best hypothesis is not clearly better than the next: vision or staff must decide. */
    ambiguous: Type.Boolean(),
    /** The session charged for the event, or null when the edge refuses to guess. */
    sessionId: Type.Union([Type.String(), Type.Null()]),
    /**
     * How the session was chosen: the only one inside, the cameras (a hand in the lane), a staff decision,
     * or none (the edge refused to guess and asked staff).
     */
    attribution: Type.Union([
      Type.Literal('sole-session'),
      Type.Literal('vision'),
      Type.Literal('staff'),
      Type.Literal('unattributed'),
    ]),
    /** 0–1: how sure the edge is of the session (1 for a sole session or a staff decision). */
    confidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** What the decision rested on (absent on events from before fusion recorded it). */
    evidence: Type.Optional(AttributionEvidenceSchema),
  },
  { additionalProperties: false },
);

export type ProductHypothesis = Static<typeof ProductHypothesisSchema>;
export type ShelfEvent = Static<typeof ShelfEventSchema>;

/** A shelf event before attribution (what the shelf stage detects; fusion adds the session). */
export type DetectedShelfEvent = Omit<ShelfEvent, 'sessionId' | 'attribution'>;
