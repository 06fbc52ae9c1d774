// Every tuned number of fusion in one place, with its unit and how it was chosen: the attributor's evidence
// weights, how long a shelf event waits for the tracks, what the reach evidence counts, and the exit match.
// Windows that depend on each other are derived here (see `exitWatchMaxMs`), not copied by hand.

import { FASTEST_WALK_MPS } from '../../shared/walking-pace.ts';

export interface AttributionSettings {
  /**
   * Spread of a hand's distance to the lane's reach point (m). The detector places hands within ~8 cm (model
   * card); a hand in the next lane is a lane width (~0.5 m) off. 0.28 with the detector before the owner output.
   */
  handSigmaM: number;
  /** How much standing by the lane counts next to a hand seen in it. */
  bodyWeight: number;
  /** Standing closer than this is "at the lane" (m). */
  bodyNearM: number;
  bodySigmaM: number;
  /** Nobody's hand or body seen: weight of "might have been there" (lane unseen vs seen). */
  unseenWeight: { laneUnseen: number; laneSeen: number };
  /** Below this share of the evidence the edge asks staff. */
  minConfidence: number;
  /** Below this identity confidence the track may belong to someone else: staff decide. */
  minIdentity: number;
  /** The winner must have had a hand this close, or stood this close (m). */
  maxHandM: number;
  maxBodyM: number;
  /** A person bound to no session with a hand this close makes the event a staff decision (m). */
  strangerHandM: number;
  /** Shoppers of sure identity seen at least this far from the lane did not do it (m). */
  elsewhereM: number;
  /**
   * With several units moved, anyone else with a hand this close (m), standing at the lane (`bodyNearM`), or
   * standing this close while none of their hands was seen (m), may have taken some.
   */
  alsoAtLaneBodyM: number;
  alsoAtLaneHandM: number;
  /**
   * A hand the detector surely gave its owner (`handOwner` at least `ownedHandMin`, within `ownedHandInLaneM`
   * of the lane's reach point and `laneEdgeMarginM` clear of its edge — in it: a hand reaching across from a
   * neighbour lands ~0.2 m off, and that is where the detector's owner is most often wrong — the lane seen) says who reached in: anyone else with no hand near the lane (none within
   * `alsoAtLaneHandM`) counts only this share of their standing-by weight. 1 = standing by counts as before.
   */
  bodyBesideOwnedHand: number;
  /**
   * Beside such a hand, someone else's hand seen no closer than this (m) lets their standing by count at the
   * reduced share. Not a lane width (0.3 m): with crossing arms the one who really reached in is seen with a
   * hand ~0.45 m off while the detector gives their hand in the lane to the neighbour — at 0.3 the suite
   * billed three such picks to the neighbour with confidence (crossing-arms-02), so a hand within 0.6 m keeps
   * its owner in the running.
   */
  otherHandAwayM: number;
  /**
   * Nearer than `otherHandAwayM` but at least this far (m, about a lane's width off): a neighbour's hand in
   * the lane in front of them — their hand straight ahead of their body — also lets their standing by count at
   * the reduced share, unless someone shows the crossing-arms sign (`reachAcrossSlackM`).
   */
  ownLaneHandM: number;
  /** How far from a lane's reach point a person stands to reach straight into it (m). */
  standDepthM: number;
  /**
   * Someone whose hand came within `otherHandAwayM` of the lane while their body stood farther along the
   * shelf than an arm straight ahead would put it — more than this (m) beyond hypot(hand, `standDepthM`) — was
   * reaching across toward this lane: the detector gives such an arm's hand to whoever stands in front of the
   * lane (crossing arms), so nobody's owned hand is believed then.
   */
  reachAcrossSlackM: number;
  ownedHandMin: number;
  /**
   * How far (m) from the lane's reach point an owned hand may be and still say who reached in whatever other
   * hands were near — at most the lane's half width (`laneHalfWidthM` of the evidence) less `laneEdgeMarginM`,
   * so that in narrow lanes a hand near the edge to the next lane is not believed. Farther off but inside the
   * lane (its half width), where a neighbour's arm reaching across lands, the owned hand is believed only while
   * nobody else's hand came within `ownLaneHandM` of the lane (#13: replayed over the suite's stored
   * decisions, 3 close calls billed, all right; none wrong on the unseen generated seeds 7373, 8888, 9191).
   */
  ownedHandInLaneM: number;
  /** Hand localisation margin (m) kept from a lane's edge (its half width) for `ownedHandInLaneM`. */
  laneEdgeMarginM: number;
  /**
   * Someone else standing this close (m) to the lane's reach point could have reached it past the winner: an
   * arm along the shelf two lanes over (1 m) from 0.4–0.5 m in front of it is 1.1 m long. While the winner's
   * hand was not surely theirs (`ownedHandMin`) and either outside the lane or that someone's hand unseen,
   * that is what a reach past them looks like — the far hand found short of the lane or at its end in it, in
   * front of the one it passed, and given to them (#13, 2026-12-04: crossing-arms-03 of the generated seed
   * 5151, billed to the one passed with confidence 0.91 once the detector found that hand; 2026-12-05: two
   * crossing-arms picks once the arm-tip model put such hands in the lane).
   */
  reachPastBodyM: number;
  /**
   * A neighbour's hand in the lane before the weight changed, and neither while nor after it, is still their own
   * pick's or put-back's when an event of theirs on this lane ended at most this long (ms) before this one
   * began: an arm stays in a lane about a second after the item came off (docs/fusion.md, "Their own pick just
   * before"). It then does not keep the only owned hand in the lane from being believed.
   */
  ownLaneEventLingerMs: number;
}

export interface ReachEvidenceSettings {
  /** A position the tracker only predicts (unseen this long, ms) says nothing about where the person was. */
  seenWithinMs: number;
  /** People bound to no session count as candidates only when they came this close (m). */
  strangerRadiusM: number;
  /** Tracks this close to the lane are named in the evidence (m), so the exit can settle a doubt later. */
  trackedNearM: number;
  /**
   * A hand this close to the lane (m), and in it (no farther than the lane's half width), tells by the
   * detector's owner confidence whose hand was in it.
   */
  ownedHandM: number;
  /**
   * Whose identity a session's evidence carries: its tracks with a hand this close to the lane (m); when
   * none reached in, those standing this close; only when none of its people came near, all of them. A
   * companion in doubt across the store says nothing about the one reaching in (a family member lost and
   * found again no longer makes every pick of the family's a staff decision).
   */
  identityHandM: number;
  identityBodyM: number;
  /**
   * Faster than anyone walks through a shop (m/s): a track unseen for longer than `seenWithinMs` may have
   * come this much nearer the lane since it was last seen (a shopper's alibi, alibi.ts).
   */
  walkMps: number;
  /**
   * A shopper who scanned in at an entry gate stood within this (m) of it then (the tracker binds tracks born
   * this near the gate): until their track is followed, they are at most this plus what they could walk since
   * from the nearest entry gate (alibi.ts › entryAlibiM).
   */
  entryReachM: number;
  /** One hand followed from step to step around the event (hand-paths.ts). */
  handPath: HandPathSettings;
}

/**
 * A hand resting in a lane is followed from step to step, and a brief hold of it by someone else between two
 * of one person's is that person's (edge/fusion/hand-paths.ts).
 */
export interface HandPathSettings {
  /** Hands this near the event's lanes (m) are followed. */
  nearM: number;
  /** A hand this near (m) where one was a step before is the same hand: a hand at rest moves a few cm a frame. */
  linkM: number;
  /** …when the two steps are at most this far apart (ms): a step missed at 10 fps. */
  maxGapMs: number;
  /**
   * Someone else's hold at most this long (ms, first to last step), with the owner holding it alone before and
   * after, is the owner's hand: a reach into a lane rests there half a second or more.
   */
  briefMs: number;
  /** The owner's hand must be surely theirs (owner confidence) at one step of the path at least. */
  sureMin: number;
  /**
   * Someone else's hold of any length between two of the owner's is the owner's hand too when every step of it
   * gave the hand to them below this owner confidence (the detector could not say it was theirs).
   */
  unsureMax: number;
}

export interface ExitMatchSettings {
  /** The person walks out of the cameras' sight within this long after scanning (ms; ~2.5 s typically). */
  windowMs: number;
  /** …and not sooner than this (ms): a track ending earlier belongs to the one who scanned before. */
  earliestMs: number;
  /**
   * People leaving close together whom the timing alone leaves open are matched when one way of pairing
   * them has everyone taking about as long from scan to gate and every other way would need someone to take
   * this much longer than someone else (ms): the walk from scanner through gate takes everyone about the
   * same (2.5–3 s), so pairings that spread it by 1.5 s or more are someone dawdling while another overtook.
   */
  orderMarginMs: number;
  /** The matched track must have had its hand this close to the lane, or stood this close, alone (m). */
  handAtLaneM: number;
  bodyAtLaneM: number;
  /** Standing at the lane says who did it only when nobody else stood this close (m). */
  aloneM: number;
  /** Confidence a pick settled by the exit match is billed with (audited like a staff decision). */
  confidence: number;
  /**
   * Who walked out on a scan is final before the window ends once nobody still inside could reach the gate in
   * time to walk out on it: nobody within `gateReachM` of the gate (the tracker reports a person gone as soon
   * as they vanish within its exit radius, 2.6 m, so this must be at least that) nor closer than the rest of
   * the window at `walkMps` (faster than anyone walks through a shop; an unseen track may have walked that
   * fast since it was last seen). The receipt of a shopper whose doubtful pick the exit settles then need not
   * wait out the whole window.
   */
  gateReachM: number;
  walkMps: number;
  /**
   * Who scanned out is known at the scan when the cameras saw no more people than the scan lets out within
   * `scannerM` of the exit gate (its scanner stands inside that: the tracker's exit radius, 2.6 m), seen within
   * `seenAtScanMs` of the scan, and nobody else could have been there unseen (exit-scanner.ts). The answer is
   * drawn once the tracks reach `scanLagMs` past the scan (a frame or two: who stepped up late is seen too).
   * Whoever scanned stood there: someone seen moving more than `stillM` meanwhile was walking past (m; a
   * standing track jitters by a few cm, a walker covers 0.3 m in a quarter of a second).
   */
  scannerM: number;
  seenAtScanMs: number;
  stillM: number;
  scanLagMs: number;
  /**
   * Nobody scans without standing at the scanner at least this long (ms): a swap doubt from an encounter that
   * began later, with someone seen elsewhere until then, cannot have put them at the scanner (exit-scanner.ts ›
   * freshAtScanner).
   */
  scanStandMs: number;
  /**
   * With a queue at the scanner (more people standing there than the scan lets out), the one who then comes
   * this much nearer the gate (m), while the others stay within `stillM` of where they stood, is who scanned
   * (scanner-departure.ts): a walker covers it in about a third of a second, a standing track's jitter never.
   */
  departM: number;
}

export interface FusionSettings {
  attribution: AttributionSettings;
  reach: ReachEvidenceSettings;
  exit: ExitMatchSettings;
  /** Track history looked at before the event's first sample and after its last (ms). */
  lookBehindMs: number;
  lookAheadMs: number;
  /**
   * Hands are also measured over the weight change alone — the event's first to last sample — widened by
   * this much either side (ms: a frame and a half at 10 fps; cameras and shelves stamp their samples with one
   * clock): a hand lifting an item is in the lane while its weight changes, so a hand that left the lane
   * before the change began, or came after it ended, did not make it.
   */
  changeSlackMs: number;
  /** Longest a shelf event waits for the tracks to catch up (edge clock, ms). */
  maxWaitMs: number;
  /** Tracks older than this (edge clock, ms) mean the cameras stopped: decide without waiting for them. */
  staleTracksMs: number;
  /** How often waiting events and exits are looked at again (ms). */
  flushEveryMs: number;
  /**
   * Confidence a put-back the cameras could not give to anyone is credited with when exactly one shopper
   * inside held the product (and no pick of it awaited a decision).
   */
  onlyHolderConfidence: number;
  /**
   * A put-back no open cart can take goes to the one shopper whose receipt was issued this long ago at most
   * (ms since their exit) and who holds the product — the cloud refunds it (#13). Long enough for an item
   * handed over at the exit to be carried round the store and put back (a hand-over's receiver shops on for
   * minutes), short enough that the closed carts looked at stay few and a shopper's item is not taken as
   * returned hours later by someone else's stray put-back.
   */
  returnAfterReceiptMs: number;
}

/** Chosen on the vision scenarios (docs/fusion.md has the measurements behind each). */
export const DEFAULT_FUSION: FusionSettings = {
  attribution: {
    handSigmaM: 0.15,
    bodyWeight: 0.08,
    bodyNearM: 0.75,
    bodySigmaM: 0.35,
    unseenWeight: { laneUnseen: 0.3, laneSeen: 0.001 },
    minConfidence: 0.9,
    minIdentity: 0.6,
    maxHandM: 0.45,
    maxBodyM: 1.0,
    strangerHandM: 0.3,
    elsewhereM: 2.5,
    alsoAtLaneBodyM: 1.2,
    alsoAtLaneHandM: 0.6,
    bodyBesideOwnedHand: 0.3,
    otherHandAwayM: 0.6,
    ownLaneHandM: 0.4,
    standDepthM: 0.45,
    reachAcrossSlackM: 0.25,
    ownedHandMin: 0.8,
    ownedHandInLaneM: 0.17,
    laneEdgeMarginM: 0.08,
    reachPastBodyM: 1.2,
    ownLaneEventLingerMs: 1500,
  },
  reach: {
    seenWithinMs: 400,
    strangerRadiusM: 1.2,
    trackedNearM: 1.5,
    ownedHandM: 0.3,
    identityHandM: 0.45,
    identityBodyM: 1.0,
    walkMps: FASTEST_WALK_MPS,
    entryReachM: 2.6,
    handPath: { nearM: 0.6, linkM: 0.12, maxGapMs: 250, briefMs: 350, sureMin: 0.8, unsureMax: 0.2 },
  },
  exit: {
    windowMs: 4500,
    earliestMs: 300,
    orderMarginMs: 1500,
    handAtLaneM: 0.45,
    bodyAtLaneM: 1.0,
    aloneM: 1.5,
    confidence: 0.9,
    gateReachM: 3,
    walkMps: FASTEST_WALK_MPS,
    scannerM: 2.6,
    seenAtScanMs: 200,
    stillM: 0.3,
    scanLagMs: 300,
    scanStandMs: 300,
    departM: 0.4,
  },
  lookBehindMs: 700,
  lookAheadMs: 400,
  changeSlackMs: 150,
  maxWaitMs: 1500,
  staleTracksMs: 3000,
  flushEveryMs: 50,
  onlyHolderConfidence: 0.95,
  returnAfterReceiptMs: 10 * 60_000,
};

/**
 * Longest fusion can keep watching a session's exit (ms after the scan): the exit window, the wait for the
 * tracks to catch up, and one flush. The checkout holds a receipt no longer than this for it.
 */
export function exitWatchMaxMs(settings: FusionSettings = DEFAULT_FUSION): number {
  // a later scan within the window competes for the same leavers: its window is watched too
  const { windowMs, earliestMs } = settings.exit;
  return 2 * windowMs - earliestMs + settings.maxWaitMs + settings.flushEveryMs;
}
