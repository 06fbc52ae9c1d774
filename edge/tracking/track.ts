// A person the tracker follows on the floor, and the tracker's settings. Plain data.

import { FASTEST_WALK_MPS } from '../../shared/walking-pace.ts';
import type { FloorHand } from './camera-fusion.ts';
import { DEFAULT_IDENTITY, type Identity, type IdentityTuning } from './identity-confidence.ts';
import type { AxisState } from './motion-model.ts';

export type TrackState = 'tentative' | 'confirmed' | 'exited';

export interface Track extends Identity {
  id: string;
  sessionId: string | null;
  state: TrackState;
  x: AxisState;
  y: AxisState;
  embedding: Float32Array | undefined;
  /** Extended hands seen at the last update, with how sure the detector is they are this person's. */
  hands: FloorHand[];
  bornTs: number;
  /** Where the track was born (tells a newcomer at the gate from a person found again). */
  bornX: number;
  bornY: number;
  /**
   * Confirmed tracks within arm's reach of where this one was born (a second peak in a crowd is often a
   * piece of one of them: `Tracker.reclaimGhosts`).
   */
  bornBeside: readonly string[];
  lastSeenTs: number;
  /** Where a camera last saw the person (m): an unseen track's position is only a guess. */
  lastSeenX: number;
  lastSeenY: number;
  lastTs: number;
  hits: number;
  /** Time spent unseen where a reporting camera should have seen it. */
  missedMs: number;
  /** Missed long enough that its position is a guess: not reported, kept to be found again. */
  lost: boolean;
  /**
   * Born away from the entry while nobody could be its person: no one admitted was still unseen, no track
   * was lost where it could have got there, and no shopper's track had vanished. A second peak of someone
   * seen beside it (an arm, a bag, the gap between two people), not a person: its close encounters cast no
   * doubt on anyone's identity.
   */
  phantom: boolean;
  /**
   * Seen on an entry gate before any scan let them in (queueing at it): not come in yet — bound, or reported
   * as unadmitted, once seen off the gate (`Tracker.stepIn`).
   */
  waitingAtGate?: boolean;
  exitGate?: string;
}

export interface TrackerTuning {
  /** Base association gate (m) and how fast it widens while unseen (m/s). */
  gateM: number;
  gateGrowthMps: number;
  maxGateM: number;
  /** Weight of (1 − cosine) in the assignment cost, metres per unit. */
  appearanceWeight: number;
  hitsToConfirm: number;
  /** Unseen-while-visible time after which a track is dropped (tentative / confirmed). */
  dropTentativeMs: number;
  dropConfirmedMs: number;
  /** Tracks in a blind spot are held this long at most. */
  holdBlindMs: number;
  embeddingRate: number;
  /** A lost track is given back to a new one within this distance that looks at least this alike. */
  relinkRadiusM: number;
  relinkMinCosine: number;
  /**
   * The fastest a person crosses the floor (m/s; a shopper late for the next shelf hurries up to 3 m/s): a
   * person the tracker lost may be anywhere this pace takes them from where they were last seen — or from where
   * their track coasted, when that is nearer — since.
   */
  walkMps: number;
  /**
   * A newcomer bound at an entry gate, seen no longer than this (ms) beside someone else coming in and then
   * lost, was a second peak when someone steps onto the gate and finds no scan left: they take its slot.
   */
  falseStartMs: number;
  /** Missed this long in view: the track is lost (kept for relinking until dropConfirmedMs). */
  lostAfterMs: number;
  /** An unmatched track this close to a matched detection is merged into it (m). */
  shadowM: number;
  /** An unmatched detection this close to a matched one is part of that person, not a newcomer (m). */
  duplicateM: number;
  /**
   * What leaving a phantom unmatched costs in the assignment (m, like a match's cost): a phantom takes a
   * detection only where the people's tracks would pay less than this more for it. Its own second peak costs
   * it about 0.5 (0.3 m of give-way, its distance and looks).
   */
  phantomMissM: number;
  /**
   * A track on no session, born beside a shopper's track in the middle of the floor, that now sits this
   * close (m) to that shopper's track while the shopper's went unseen holds the shopper's detection: closer
   * than two people's centres can be. The shopper's track takes it back and the ghost is dropped.
   */
  ghostM: number;
  /**
   * A shopper's track dropped without walking out (unseen too long) leaves a person the tracker no longer
   * follows: for this long (ms) any newcomer away from the entry may be them, so none is a phantom. A visit
   * lasts minutes; 15 min covers a long one.
   */
  vanishedMemoryMs: number;
  identity: IdentityTuning;
}

export const DEFAULT_TRACKER: TrackerTuning = {
  gateM: 0.9,
  gateGrowthMps: 0.8,
  maxGateM: 3.0,
  appearanceWeight: 1.2,
  hitsToConfirm: 3,
  dropTentativeMs: 700,
  dropConfirmedMs: 20_000,
  holdBlindMs: 180_000,
  embeddingRate: 0.15,
  relinkRadiusM: 2,
  // the embedder's cosine letting 3.3 % of others' looks through, like contradictCosine (identity-confidence.ts)
  relinkMinCosine: 0.5,
  walkMps: FASTEST_WALK_MPS,
  falseStartMs: 1000,
  lostAfterMs: 1200,
  shadowM: 0.6,
  duplicateM: 0.35,
  phantomMissM: 1.0,
  ghostM: 0.2,
  vanishedMemoryMs: 15 * 60_000,
  identity: DEFAULT_IDENTITY,
};
