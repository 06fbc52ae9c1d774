// When a track's identity falls into doubt: two people of different sessions close together while either
// went unseen, or newcomers of different scans coming in through the gate together. Pure.

import type { FloorPoint } from '../../shared/store-geometry.ts';
import { cosine } from './camera-fusion.ts';
import { doubtBinding, doubtIdentity, doubtPerson, type IdentityTuning } from './identity-confidence.ts';
import type { Track } from './track.ts';

/** One track's step: where it was a step before, where its motion put it, and the detection it was given. */
export interface StepMatch {
  before: FloorPoint;
  predicted: FloorPoint;
  detection: FloorPoint;
}

/**
 * How much more distance (m, summed over the two) giving each track the other's detection would have taken than
 * the detections they were given — the smaller of the two sums judged from where they were a step before and
 * from where their motion put them (a pair that turned back would fool the prediction alone). Near 0, or
 * below: the step's assignment could have gone the other way.
 */
export function assignmentMarginM(a: StepMatch, b: StepMatch): number {
  const d = (p: FloorPoint, q: FloorPoint) => Math.hypot(p.x - q.x, p.y - q.y);
  const margin = (pa: FloorPoint, pb: FloorPoint) =>
    d(pa, b.detection) + d(pb, a.detection) - d(pa, a.detection) - d(pb, b.detection);
  return Math.min(margin(a.before, b.before), margin(a.predicted, b.predicted));
}

/**
 * Two confirmed tracks of different sessions this close while either went unseen (merged into one detection,
 * occluded, in blind floor) may have swapped people: both identities are in doubt. Two of one session
 * (companions on one scan) may swap harmlessly: a pick still goes to the right session. `matched` says what
 * each track seen in this step was given (undefined for one given nothing).
 */
export function doubtCloseEncounters(
  tracks: Iterable<Track>,
  unseen: ReadonlySet<Track>,
  matched: (t: Track) => StepMatch | undefined,
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
      if (!(unseen.has(a) || unseen.has(b))) {
        // both seen: the assignment follows their looks — unless they look alike, when passing this close
        // may swap them unnoticed (which one walks out is then unsure, whatever the confidence says). Not
        // standing apart, each kept to their own place: look-alikes side by side at a shelf, 0.5 m apart, were
        // in doubt for as long as they stood there, and so was every pick they made (look-alikes-03)
        if (lookAlike(a, b, tuning) && !clearlyAssigned(a, b, matched, tuning)) {
          doubtPerson(a, a.embedding, ts, b.id, b.embedding);
          doubtPerson(b, b.embedding, ts, a.id, a.embedding);
        }
        continue;
      }
      if (a.sessionId === b.sessionId) {
        // two people on no session: no pick is billed on either, but which one walks out is now unsure
        doubtPerson(a, a.embedding, ts, b.id, b.embedding);
        doubtPerson(b, b.embedding, ts, a.id, a.embedding);
        continue;
      }
      doubtIdentity(a, tuning.encounterCap, a.embedding, ts, b.id, b.embedding);
      doubtIdentity(b, tuning.encounterCap, b.embedding, ts, a.id, a.embedding);
    }
  }
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

/** Whether both tracks were given detections in this step that could not have gone the other way. */
function clearlyAssigned(
  a: Track,
  b: Track,
  matched: (t: Track) => StepMatch | undefined,
  tuning: IdentityTuning,
): boolean {
  const ma = matched(a);
  const mb = matched(b);
  return ma !== undefined && mb !== undefined && assignmentMarginM(ma, mb) >= tuning.clearAssignmentM;
}

/** Two people the embedder cannot tell apart (or no look to compare). */
function lookAlike(a: Track, b: Track, tuning: IdentityTuning): boolean {
  if (a.embedding === undefined || b.embedding === undefined) return true;
  return cosine(a.embedding, b.embedding) >= tuning.recoverCosine;
}
