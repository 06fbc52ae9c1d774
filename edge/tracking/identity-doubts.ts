// When a track's identity falls into doubt: two people of different sessions close together while either
// went unseen, or newcomers of different scans coming in through the gate together. Pure.

import { cosine } from './camera-fusion.ts';
import {
  type Approach,
  doubtBinding,
  doubtIdentity,
  doubtPerson,
  forgetSwapDoubt,
  type Identity,
  type IdentityTuning,
  type Kinematics,
  type SwapDoubt,
} from './identity-confidence.ts';
import type { Track } from './track.ts';

/**
 * Two confirmed tracks of different sessions this close while either went unseen (merged into one detection,
 * occluded, in blind floor) may have swapped people: both identities are in doubt. Two of one session
 * (companions on one scan) may swap harmlessly: a pick still goes to the right session.
 */
export function doubtCloseEncounters(
  tracks: Iterable<Track>,
  unseen: ReadonlySet<Track>,
  tuning: IdentityTuning,
  ts: number,
): void {
  const confirmed = [...tracks].filter((t) => t.state === 'confirmed');
  for (const [i, a] of confirmed.entries()) {
    for (const b of confirmed.slice(i + 1)) {
      if (a.sessionId !== null && a.sessionId === b.sessionId) continue;
      // a second peak of someone beside it is no person to be swapped with
      if (a.phantom || b.phantom) continue;
      if (Math.hypot(a.x.p - b.x.p, a.y.p - b.y.p) > tuning.encounterM) continue;
      if ((unseen.has(a) || unseen.has(b)) && !couldHaveSwapped(a, b, ts, tuning)) continue;
      const began = { a: approach(a, b), b: approach(b, a) };
      doubtEncounter(a, b, unseen, tuning, ts);
      noteApproach(a, b.id, began.a);
      noteApproach(b, a.id, began.b);
    }
  }
}

/** One close encounter of two confirmed tracks of different sessions (or none) that could have swapped. */
function doubtEncounter(
  a: Track,
  b: Track,
  unseen: ReadonlySet<Track>,
  tuning: IdentityTuning,
  ts: number,
): void {
  if (!(unseen.has(a) || unseen.has(b))) {
    // both seen: the assignment follows their looks — unless they look alike, when passing this close
    // may swap them unnoticed (which one walks out is then unsure, whatever the confidence says)
    if (lookAlike(a, b, tuning)) {
      doubtPerson(a, a.embedding, ts, b.id, b.embedding);
      doubtPerson(b, b.embedding, ts, a.id, a.embedding);
    }
    return;
  }
  if (a.sessionId === b.sessionId) {
    // two people on no session: no pick is billed on either, but which one walks out is now unsure
    doubtPerson(a, a.embedding, ts, b.id, b.embedding);
    doubtPerson(b, b.embedding, ts, a.id, a.embedding);
    return;
  }
  doubtIdentity(a, tuning.encounterCap, a.embedding, ts, b.id, b.embedding);
  doubtIdentity(b, tuning.encounterCap, b.embedding, ts, a.id, a.embedding);
}

/** Where the track is and how it moves now, with how sure it is of its person, as an encounter begins. */
function approach(t: Track, other: Track): Approach {
  return { self: kinematics(t), other: kinematics(other), confidenceBefore: t.identityConfidence };
}

function kinematics(t: Track): Kinematics {
  return { x: t.x.p, y: t.y.p, vx: t.x.v, vy: t.y.v };
}

/** The doubt about `withId` begun just now (not an encounter going on) remembers how the two came together. */
function noteApproach(t: Identity, withId: string, began: Approach): void {
  const doubt = t.swapDoubts.filter((d) => d.with === withId).at(-1);
  if (doubt !== undefined && doubt.approach === undefined && doubt.since === doubt.ts) doubt.approach = began;
}

/** A walk "keeps its heading" when before and after are within 60° of each other. */
const KEEPS_HEADING_COS = 0.5;

/**
 * Two people who walked past each other settle their encounter by how they moved, whatever they look like
 * (people dressed alike, or crops too crowded to tell): both were walking as they came together and still
 * walk the same ways after, the encounter was brief, and the tracks say each is now past the other along the
 * way they came together, moving apart. Had the tracks swapped people at the meeting, the same walks would
 * read as two people who both turned back at the moment they met: the one thing motion cannot tell from a
 * pass, so any uncrowded look since that was more like the other one leaves the doubt to the looks. Someone
 * standing (at a shelf) or walking alongside settles nothing here. Both tracks' doubts about each other up to
 * the encounter's last moment go; a track left with none is as sure of its person as before the encounter.
 */
export function settlePassingDoubts(
  tracks: ReadonlyMap<string, Track>,
  ts: number,
  tuning: IdentityTuning,
): void {
  for (const a of tracks.values()) {
    if (!seenNow(a, ts)) continue;
    for (const doubt of [...a.swapDoubts]) {
      const b = doubt.with === undefined ? undefined : tracks.get(doubt.with);
      if (b === undefined || !seenNow(b, ts) || doubt.lookedLikeOther === true) continue;
      const theirs = b.swapDoubts.filter((d) => d.with === a.id);
      if (theirs.some((d) => d.lookedLikeOther === true)) continue;
      if (!walkedPast(doubt, a, b, ts, tuning)) continue;
      settlePassing(a, b.id, doubt.ts, doubt.approach);
      settlePassing(b, a.id, doubt.ts, theirs.at(-1)?.approach);
    }
  }
}

function seenNow(t: Track, ts: number): boolean {
  return t.state === 'confirmed' && !t.lost && t.lastSeenTs === ts;
}

/** Whether the two tracks' walks before and after the encounter say they passed each other, unswapped. */
function walkedPast(doubt: SwapDoubt, a: Track, b: Track, ts: number, tuning: IdentityTuning): boolean {
  const began = doubt.approach;
  if (began === undefined) return false;
  const after = ts - doubt.ts;
  if (doubt.ts - doubt.since > tuning.passMaxMs || after < tuning.passSettleMs || after > tuning.passJudgeMs)
    return false;
  const now = { self: kinematics(a), other: kinematics(b) };
  if (!walking(began.self, now.self, tuning) || !walking(began.other, now.other, tuning)) return false;
  const ux = began.self.vx - began.other.vx;
  const uy = began.self.vy - began.other.vy;
  const speed = Math.hypot(ux, uy);
  if (speed < tuning.passSpeedMps) return false;
  const past = ((now.self.x - now.other.x) * ux + (now.self.y - now.other.y) * uy) / speed;
  const parting = ((now.self.vx - now.other.vx) * ux + (now.self.vy - now.other.vy) * uy) / speed;
  return past >= tuning.passClearM && parting >= tuning.passPartMps;
}

/** Walking before and after, on about the same heading. */
function walking(before: Kinematics, after: Kinematics, tuning: IdentityTuning): boolean {
  const s0 = Math.hypot(before.vx, before.vy);
  const s1 = Math.hypot(after.vx, after.vy);
  if (s0 < tuning.passWalkMps || s1 < tuning.passWalkMps) return false;
  return (before.vx * after.vx + before.vy * after.vy) / (s0 * s1) >= KEEPS_HEADING_COS;
}

function settlePassing(t: Track, withId: string, untilTs: number, began: Approach | undefined): void {
  forgetSwapDoubt(t, withId, untilTs);
  if (t.swapDoubts.length > 0 || began === undefined) return;
  t.identityConfidence = Math.max(t.identityConfidence, Math.min(t.identityCeiling, began.confidenceBefore));
  if (t.identityConfidence >= t.identityCeiling) t.identityReference = undefined;
}

/**
 * `t` was just bound (or found unadmitted) at the entry gate. Newcomers of another session (or none) right
 * next to it, first seen at about the same moment, may have been bound the other way round: whichever of them carries a session is in doubt for
 * good (no look tells who scanned).
 */
export function doubtGateBinding(
  t: Track,
  tracks: Iterable<Track>,
  isNewcomer: (o: Track) => boolean,
  ts: number,
  tuning: IdentityTuning,
): void {
  const near = [...tracks].filter(
    (o) =>
      o !== t &&
      o.state === 'confirmed' &&
      o.sessionId !== t.sessionId &&
      ts - o.bornTs <= tuning.newcomerMs &&
      Math.abs(o.bornTs - t.bornTs) <= tuning.gateOrderMs &&
      isNewcomer(o) &&
      Math.hypot(o.x.p - t.x.p, o.y.p - t.y.p) <= tuning.gateNearM,
  );
  if (near.length === 0) return;
  for (const o of [t, ...near]) if (o.sessionId !== null) doubtBinding(o, tuning.gateCap);
}

/**
 * Whether two people could have changed places while one of them went unseen: from where each was last seen
 * (now, for one seen now) to the other, at a walking pace, in the longest either went unseen.
 */
function couldHaveSwapped(a: Track, b: Track, ts: number, tuning: IdentityTuning): boolean {
  const gapS = Math.max(ts - a.lastSeenTs, ts - b.lastSeenTs) / 1000;
  const apart = Math.hypot(a.lastSeenX - b.lastSeenX, a.lastSeenY - b.lastSeenY);
  return apart <= tuning.swapSpeedMps * gapS + tuning.swapSlackM;
}

/** Two people the embedder cannot tell apart (or no look to compare). */
function lookAlike(a: Track, b: Track, tuning: IdentityTuning): boolean {
  if (a.embedding === undefined || b.embedding === undefined) return true;
  return cosine(a.embedding, b.embedding) >= tuning.recoverCosine;
}
