// What a vision worker saw in one camera frame: the people on the floor (metres, through the camera's
// homography), their hands and appearance embeddings. Published per frame on vision/{camera}/detections;
// the edge's tracker is the one consumer (docs/mqtt-api.md, docs/vision.md).
import { type Static, Type } from 'typebox';

/** Most people one frame may report: a ceiling camera sees a few metres of floor. */
export const MAX_PEOPLE_PER_FRAME = 64;
/** Base64 of a float32 embedding: 256 dimensions at most (the shipped embedder has 16). */
const MAX_EMBEDDING_BASE64 = Math.ceil((256 * 4) / 3) * 4;

const FloorHandSchema = Type.Object(
  {
    x: Type.Number(),
    y: Type.Number(),
    /** 0–1, as on edge/tracks (shared/schemas/track.ts); absent without the detector's owner output. */
    ownerConfidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** Where the detector says the hand's owner stands (floor metres); absent without its owner output. */
    owner: Type.Optional(
      Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false }),
    ),
    /** How sure the arm-owner model is of `owner` (0–1); absent without that model. */
    ownerSure: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);

const FloorPersonSchema = Type.Object(
  {
    /** Floor metres. */
    x: Type.Number(),
    y: Type.Number(),
    score: Type.Number({ minimum: 0, maximum: 1 }),
    /** L2-normalised appearance embedding, float32 little-endian, base64; absent without an embedder. */
    embedding: Type.Optional(
      Type.String({ maxLength: MAX_EMBEDDING_BASE64, pattern: '^[A-Za-z0-9+/]*={0,2}$' }),
    ),
    hands: Type.Array(FloorHandSchema, { maxItems: 16 }),
  },
  { additionalProperties: false },
);

export const FrameDetectionsSchema = Type.Object(
  {
    v: Type.Literal(1),
    /** The camera the frame came from (also in the topic; they must agree). */
    camera: Type.String({ minLength: 1, maxLength: 64 }),
    /** The frame's sequence number from the camera's frame header: gaps are frames nobody inferred. */
    seq: Type.Integer({ minimum: 0, maximum: 0xffffffff }),
    /** The camera's capture time (ms since the epoch). */
    captureTs: Type.Number({ minimum: 0 }),
    /** The worker that inferred it (its broker username, or `thread-<n>` inside the edge). */
    worker: Type.String({ minLength: 1, maxLength: 64 }),
    /** False: the motion gate skipped the detector (nothing moved since it last found nobody): nobody seen. */
    inferred: Type.Boolean(),
    people: Type.Array(FloorPersonSchema, { maxItems: MAX_PEOPLE_PER_FRAME }),
  },
  { additionalProperties: false },
);

export type FrameDetections = Static<typeof FrameDetectionsSchema>;
