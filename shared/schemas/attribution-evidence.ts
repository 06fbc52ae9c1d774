// Why a shelf event went to a session (or to staff): what the edge measured of every shopper who could have
// done it. Stored with the event, so the decision can be replayed from the event log for a dispute.

import { type Static, Type } from 'typebox';
import { RULE_PATTERN } from '../attribution-rule.ts';

export const CandidateEvidenceSchema = Type.Object(
  {
    /** The shopping session, or null for a person on the floor bound to no session (staff, tailgater). */
    sessionId: Type.Union([Type.String(), Type.Null()]),
    /** Closest a hand of the session's people came to the lane around the event (m); null: no hand seen. */
    handM: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    /** Closest the session's people stood to the lane around the event (m); null: not seen then. */
    bodyM: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    /**
     * 0–1: how sure the detector was that a hand of the session's people seen within `ownedHandM` of the lane
     * was theirs (the surest such sighting; docs/vision.md, "Whose hand"). Absent: no such hand, or a detector
     * without the owner output (the hand went to the nearest person).
     */
    handOwner: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /**
     * Identity confidence (0–1, the lowest around the event) of the session's people who reached in (a hand
     * within 0.45 m of the lane); when none did, of those who stood within 1 m; when none came near, of all.
     */
    identity: Type.Number({ minimum: 0, maximum: 1 }),
    /** The one track of these people whose hand came within 0.45 m of the lane (absent: none, or several). */
    handTrack: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** The one track of these people that stood within 1 m of the lane (absent: none, or several). */
    bodyTrack: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /**
     * The same hands measured only while the weight changed (the event's first to last sample, a quarter second
     * either side): whoever lifted the item had a hand in the lane then. Absent from older edges' evidence.
     */
    atChange: Type.Optional(
      Type.Object(
        {
          handM: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
          handOwner: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * The same hands measured only after the weight change (its last sample, with the slack, to the window's
     * end). Absent from older edges' evidence.
     */
    afterChange: Type.Optional(
      Type.Object(
        { handM: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]) },
        { additionalProperties: false },
      ),
    ),
    /**
     * How long (ms) before this event's first sample an event of this session's on the same lane ended — the
     * latest one the cameras gave them, when within a few seconds: a hand of theirs in the lane just before may
     * be still there from their own pick or put-back (docs/fusion.md, "Their own pick just before"). Absent: none.
     */
    ownLaneEventBeforeMs: Type.Optional(Type.Number({ minimum: 0 })),
    /**
     * The nearest (m) that any track which may have carried the session's person came to the lane around the
     * event, body or hand: its own tracks and every track they may have been swapped with, however the doubts
     * chain; a track unseen for a while as near as it could have walked since (docs/fusion.md, "Alibis").
     * Far enough, and the shopper did not do it even while their identity is in doubt. Absent: the cameras
     * cannot say where the person was (a doubt naming nobody, a binding in doubt, no track), or an older edge.
     */
    alibiM: Type.Optional(Type.Number({ minimum: 0 })),
    /**
     * For a session whose identity was in doubt: every track its person may have been on while the weight
     * changed (its own and those its doubts link it to, as for `alibiM`). Several units taken at once by the
     * hands of exactly these tracks went one each to the same people, whichever of them is which
     * (docs/fusion.md, "One each"). Absent: identity sure, the cameras cannot say, or an older edge.
     */
    personOn: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 20 })),
    /** Tracks of these people that came within 1.5 m of the lane, so a doubt can be settled later (exit). */
    tracks: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })),
  },
  { additionalProperties: false },
);

export const AttributionEvidenceSchema = Type.Object(
  {
    /** Tracks from the ceiling cameras were available to decide. */
    vision: Type.Boolean(),
    /** Cameras saw the lane's aisle during the event (an unseen shopper cannot have been there). */
    laneSeen: Type.Boolean(),
    /** Units the shelf says moved (best hypothesis): several units with several people at the lane may be
     * one unit each. */
    units: Type.Optional(Type.Integer({ minimum: 1 })),
    /**
     * Half the distance (m) from the lane's reach point to the nearest other lane's: how far off a hand can be
     * and still be in this lane. Absent: a lane with no neighbour, or an older edge.
     */
    laneHalfWidthM: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
    /** Every session inside during the event, and anyone on no session who came close. */
    candidates: Type.Array(CandidateEvidenceSchema, { maxItems: 100 }),
    /** The rule that decided (e.g. `sole-session`, `reach`, `no-vision`, `close-call`, `cart`). */
    rule: Type.String({ maxLength: 200, pattern: RULE_PATTERN }),
  },
  { additionalProperties: false },
);

export type CandidateEvidence = Static<typeof CandidateEvidenceSchema>;
export type AttributionEvidence = Static<typeof AttributionEvidenceSchema>;
