// Where every shopper is: the edge's vision tracks, published several times a second for fusion (who
// reached into which lane) and the floor view. One message carries every live track at one moment.
import { type Static, Type } from 'typebox';

const Hand = Type.Object(
  {
    x: Type.Number(),
    y: Type.Number(),
    /**
     * 0–1: how sure the detector is that this hand is this track's person's, from its hand→owner output
     * (docs/vision.md, "Whose hand"). 1: the predicted owner point lies on this person and every other
     * person is ≥ 0.25 m further from it. Below ~0.3 the hand is contested: it is also on the neighbour's
     * track, because the owner point lies about as near both. 0: the owner point lands on nobody detected and
     * the hand went to the nearest person (as without the field). Absent (older edges or a detector without
     * the owner output): the hand went to the nearest person, and to both of two within 0.2 m of the same
     * distance.
     */
    ownerConfidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false },
);

export const TrackSchema = Type.Object(
  {
    /** Stable while the tracker keeps the person's identity (`T17`). */
    id: Type.String({ minLength: 1, maxLength: 64 }),
    /** Shopping session bound at the entry gate; null for a person who did not come in on a scan. */
    sessionId: Type.Union([Type.String(), Type.Null()]),
    /** tentative: just appeared; confirmed: tracked; exited: left through an exit gate (last message). */
    state: Type.Union([Type.Literal('tentative'), Type.Literal('confirmed'), Type.Literal('exited')]),
    /** Floor position (m) and velocity (m/s), store coordinates. */
    x: Type.Number(),
    y: Type.Number(),
    vx: Type.Number(),
    vy: Type.Number(),
    /** Extended hands seen this moment (reaching into a shelf), floor metres. */
    hands: Type.Array(Hand, { maxItems: 4 }),
    /**
     * True for a track the tracker judged no person (docs/vision.md, "Phantoms"): born away from the entry while
     * nobody could be its person — a second peak beside someone (an arm, a bag, the gap between two people).
     * Fusion does not count its body as someone standing at a lane (its hands still count). Absent: a person.
     */
    phantom: Type.Optional(Type.Literal(true)),
    /** 0–1: how sure the tracker is the person is there now (falls while unseen). */
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    /**
     * 0–1: how sure the tracker is that this is still the person bound to `sessionId` (1: no doubt). Falls
     * when two people may have been swapped (found again by appearance, close to another track while
     * either was unseen or merged, bound at the gate next to another newcomer); rises again only on evidence
     * (docs/vision.md). Fusion bills nobody on a track below 0.6. Absent from older edges: treat as 1.
     */
    identityConfidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /**
     * 0–1: the highest `identityConfidence` any look can restore — below 1 when the binding at the gate could
     * have gone to another newcomer (a look tells who the person is, not whose scan let them in). Absent: 1.
     */
    identityCeiling: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /**
     * Capture time (ms since the epoch) of the last moment the track may have changed person — a close
     * encounter while unseen, a relink, an ambiguous binding — even if a look has since restored
     * `identityConfidence`. Absent: never. The exit settles a doubtful pick by the track only when this is
     * before the pick.
     */
    identityDoubtTs: Type.Optional(Type.Number()),
    /**
     * The unsettled swap doubts behind `identityDoubtTs`, oldest first: when (capture time, the latest moment)
     * and since when (its first moment), and for a close encounter with which track. At the exit a doubt with
     * a track that walked out on the same session's scan changed nothing that is billed; a pick is decided
     * again once no doubt begun before it is left (docs/fusion.md). Absent: none, or an older edge.
     * `swapped`: an encounter whose looks showed the two had swapped people, after which the tracker gave each
     * track the other's session (docs/vision.md, "Swaps the looks undo"): the track carries its session's
     * person from the encounter's latest moment on, and another session's person before it. Kept for the
     * track's life, as a moment it did change person.
     */
    identityDoubts: Type.Optional(
      Type.Array(
        Type.Object(
          {
            ts: Type.Number(),
            with: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            since: Type.Optional(Type.Number()),
            swapped: Type.Optional(Type.Literal(true)),
          },
          { additionalProperties: false },
        ),
        { maxItems: 40 },
      ),
    ),
    /**
     * The track has been in doubt of its person at some moment since it was bound (a swap doubt, settled by
     * looks since or not). Absent: never — the tracker has followed the person bound at the gate without a
     * moment's doubt, and the exit takes its session as the person's (docs/fusion.md, "Settled at the exit").
     */
    identityEverDoubted: Type.Optional(Type.Literal(true)),
    /** Last time a camera saw the person (ms since the epoch, capture time). */
    lastSeenTs: Type.Number(),
    /** Exit gate, once exited. */
    exitGate: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const TrackUpdateSchema = Type.Object(
  {
    v: Type.Literal(1),
    /** Capture time the tracks refer to (ms since the epoch). */
    ts: Type.Number(),
    tracks: Type.Array(TrackSchema, { maxItems: 500 }),
    /** Frames the vision stage dropped since it started because inference fell behind. */
    droppedFrames: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export type TrackMessage = Static<typeof TrackSchema>;
export type TrackUpdate = Static<typeof TrackUpdateSchema>;
