// Pure core: measures, from the tracks around a shelf event, how close every candidate session's people came
// to the lane — hands reaching in, and bodies standing by — and whether the cameras saw the lane's aisle.

import { round3 } from '../../shared/round.ts';
import type { AttributionEvidence, CandidateEvidence } from '../../shared/schemas/attribution-evidence.ts';
import type { TrackMessage } from '../../shared/schemas/track.ts';
import { type FloorPoint, nearestM } from '../../shared/store-geometry.ts';
import { alibiM, entryAlibiM, personOn, type TrackReports } from './alibi.ts';
import { DEFAULT_FUSION, type ReachEvidenceSettings } from './fusion-settings.ts';
import { handsFollowed, sameHand } from './hand-paths.ts';
import type { TrackSnapshot } from './track-history.ts';

export interface EvidenceQuery {
  /** Sessions in the store during the event. */
  sessions: readonly string[];
  /** Reach points of the event's lanes. */
  targets: readonly FloorPoint[];
  /** Steps around the event (the caller chooses the window). */
  snapshots: readonly TrackSnapshot[];
  /** Cameras that see the lane's aisle. */
  laneCameras: ReadonlySet<string>;
  /**
   * While the weight changed (with the caller's slack): hands then are measured again, as `atChange`, and
   * those after it as `afterChange`.
   */
  change?: { fromTs: number; toTs: number };
  /** Tracks' latest reports, for the alibis of shoppers whose track, or a track they may be on, is gone. */
  reports?: TrackReports;
  /**
   * Half the width of the event's lane (m): a hand farther than this from its reach point is outside the lane,
   * and its owner confidence says nothing about whose hand was in it.
   */
  laneHalfWidthM?: number;
  /**
   * The direction along the shelf the lanes sit side by side (a unit vector on the floor): with the half width,
   * it tells a hand beyond the lane — its arm over it from someone standing at a lane on the other side — from
   * a hand in it.
   */
  along?: FloorPoint;
  /** Units the weight says moved (default 1): only a change of several can be shared out, so only then `personOn`. */
  units?: number;
  /** When each session scanned in, and where the entry gates are: a shopper just in is near them still. */
  entries?: { enteredAt: ReadonlyMap<string, number>; gates: readonly FloorPoint[] };
}

export function gatherEvidence(
  query: EvidenceQuery,
  settings: ReachEvidenceSettings = DEFAULT_FUSION.reach,
): Omit<AttributionEvidence, 'rule' | 'vision'> {
  // a hand that rested in the lane is one person's throughout, whoever a single step gave it to
  return measureEvidence(
    { ...query, snapshots: handsFollowed(query.snapshots, query.targets, settings.handPath) },
    settings,
  );
}

/**
 * What one track did around the event, measured as if bound to `sessionId` and alone: hands are followed
 * among every track first (a brief copy of a neighbour's resting hand goes back to the neighbour, as for the
 * event's own evidence), then only this track is kept.
 */
export function gatherTrackEvidence(
  query: EvidenceQuery,
  trackId: string,
  sessionId: string,
  settings: ReachEvidenceSettings = DEFAULT_FUSION.reach,
): CandidateEvidence | undefined {
  const followed = handsFollowed(query.snapshots, query.targets, settings.handPath);
  const snapshots = followed.map((s) => ({
    ...s,
    tracks: s.tracks.flatMap((t) => (t.id === trackId ? [{ ...t, sessionId }] : [])),
  }));
  const seen = measureEvidence({ ...query, sessions: [sessionId], snapshots }, settings);
  return seen.candidates.find((c) => c.sessionId === sessionId);
}

function measureEvidence(
  query: EvidenceQuery,
  settings: ReachEvidenceSettings,
): Omit<AttributionEvidence, 'rule' | 'vision'> {
  /** by session id ('' for people bound to none) */
  const found = new Map<string, CandidateEvidence>();
  const entry = (sessionId: string | null): CandidateEvidence => {
    const key = sessionId ?? '';
    let e = found.get(key);
    if (e === undefined) {
      e = { sessionId, handM: null, bodyM: null, identity: 1 };
      if (query.change !== undefined) {
        e.atChange = { handM: null };
        e.afterChange = { handM: null };
      }
      found.set(key, e);
    }
    return e;
  };
  for (const id of query.sessions) entry(id);
  /** by session key: the least sure identity among its people who reached in, stood at the lane, anywhere */
  const identities = new Map<string, SeenIdentities>();
  let laneSeen = false;
  // the owner confidence reported beside a hand in the lane is of hands in the lane: a neighbour's arm reaching
  // past it ends just outside, surely theirs, while a hand in it is given to them unsure (an arm across the
  // picture of someone else's hand) — together they looked like a hand in the lane surely the neighbour's
  const ownedWithinM = Math.min(settings.ownedHandM, query.laneHalfWidthM ?? Number.POSITIVE_INFINITY);
  for (const snapshot of query.snapshots) {
    if (!laneSeen && snapshot.cameras.some((c) => query.laneCameras.has(c))) laneSeen = true;
    const people = snapshot.tracks.filter((t) => t.phantom !== true && t.state !== 'tentative');
    // every candidate has `atChange` exactly when the query has a change span
    const duringChange = query.change !== undefined && within(snapshot.ts, query.change);
    const afterChange = query.change !== undefined && snapshot.ts > query.change.toTs;
    for (const track of snapshot.tracks) {
      if (track.state === 'tentative') continue;
      if (snapshot.ts - track.lastSeenTs > settings.seenWithinMs) continue;
      // a phantom is no person (a second peak beside someone): nobody stood where it is, but a hand on it
      // was someone's hand — unless a person holds the same hand too (fusion put a hand it could not give to
      // anyone on the nearest two): then it is that person's, not a stranger's
      const phantom = track.phantom === true;
      const bodyM = phantom ? Number.POSITIVE_INFINITY : nearestM(query.targets, track);
      const hands = phantom ? notHeldByPeople(track.hands, people) : track.hands;
      const { handM, handOwner } = measureHands(hands, query.targets, ownedWithinM);
      // while the weight changed, an arm reaching past the lane to one beyond was over it, not in it
      const inReach = duringChange ? hands.filter((h) => !reachingPast(h, track, query)) : hands;
      const now =
        inReach.length === hands.length
          ? { handM, handOwner }
          : measureHands(inReach, query.targets, ownedWithinM);
      const session = sessionOf(track, query.sessions);
      if (
        session === null &&
        bodyM > settings.strangerRadiusM &&
        (handM === null || handM > settings.strangerRadiusM)
      )
        continue;
      const e = entry(session);
      // who was near, by track: the exit can still tell which session a doubtful track was
      if (bodyM <= settings.trackedNearM && !(e.tracks ?? []).includes(track.id))
        e.tracks = [...(e.tracks ?? []), track.id];
      if (Number.isFinite(bodyM) && (e.bodyM === null || bodyM < e.bodyM)) e.bodyM = round3(bodyM);
      closer(e, handM, handOwner);
      if (duringChange && e.atChange !== undefined) closer(e.atChange, now.handM, now.handOwner);
      if (afterChange && e.afterChange !== undefined) closer(e.afterChange, handM, undefined);
      const key = session ?? '';
      identities.set(key, noteIdentity(identities.get(key), track, { handM, bodyM, duringChange }, settings));
    }
  }
  addAlibis(found.values(), query, settings);
  for (const [key, seen] of identities) {
    const e = found.get(key);
    if (e !== undefined) addIdentity(e, seen);
  }
  addPersonOn(found.values(), query);
  return {
    laneSeen,
    candidates: [...found.values()],
    ...(query.laneHalfWidthM === undefined ? {} : { laneHalfWidthM: query.laneHalfWidthM }),
  };
}

/** A session's people as seen around the event: the least sure identity of those who reached in, stood by, any. */
interface SeenIdentities {
  hand?: number;
  body?: number;
  any: number;
  reached: Set<string>;
  /** Those of `reached` whose hand was near the lane while the weight changed. */
  reachedAtChange: Set<string>;
  stood: Set<string>;
}

/** One track's step added to its session's `SeenIdentities` (a new record for the session's first track). */
function noteIdentity(
  before: SeenIdentities | undefined,
  track: TrackMessage,
  at: { handM: number | null; bodyM: number; duringChange: boolean },
  settings: ReachEvidenceSettings,
): SeenIdentities {
  const seen = before ?? { any: 1, reached: new Set(), reachedAtChange: new Set(), stood: new Set() };
  const identity = identityOf(track);
  seen.any = Math.min(seen.any, identity);
  if (at.handM !== null && at.handM <= settings.identityHandM) {
    seen.hand = Math.min(seen.hand ?? 1, identity);
    seen.reached.add(track.id);
    if (at.duringChange) seen.reachedAtChange.add(track.id);
  }
  if (at.bodyM <= settings.identityBodyM) {
    seen.body = Math.min(seen.body ?? 1, identity);
    seen.stood.add(track.id);
  }
  return seen;
}

/**
 * The identity that decides is that of whoever reached in (or stood at the lane), not of every companion; and
 * which one of them it was, when only one was: the exit can then tell whose walk-out settles the pick. Several
 * of them near the lane around the event (people on no session after a lost binding, picking side by side), the
 * one whose hand was near it while the weight changed, when only one's was: a hand that came before or after
 * did not lift it (as the attributor judges hands, `handsSeenAtChange`).
 */
function addIdentity(e: CandidateEvidence, seen: SeenIdentities): void {
  e.identity = seen.hand ?? seen.body ?? seen.any;
  const [reacher] = seen.reached;
  const [atChange] = seen.reachedAtChange;
  if (seen.reached.size === 1 && reacher !== undefined) e.handTrack = reacher;
  else if (seen.reachedAtChange.size === 1 && atChange !== undefined) e.handTrack = atChange;
  const [stander] = seen.stood;
  if (seen.stood.size === 1 && stander !== undefined) e.bodyTrack = stander;
}

/**
 * Every session's alibi (alibi.ts): how near any track that may carry its person came to the lane, and how
 * near they could have come since they scanned in — each a bound on where they were, so the farther counts.
 */
function addAlibis(
  candidates: Iterable<CandidateEvidence>,
  query: EvidenceQuery,
  settings: ReachEvidenceSettings,
): void {
  for (const e of candidates) {
    if (e.sessionId === null) continue;
    const tracked = alibiM(e.sessionId, query.snapshots, query.targets, settings, query.reports);
    const enteredAt = query.entries?.enteredAt.get(e.sessionId);
    const sinceEntry =
      enteredAt === undefined || query.entries === undefined
        ? undefined
        : entryAlibiM(enteredAt, query.snapshots, query.targets, query.entries.gates, settings);
    const bounds = [tracked, sinceEntry === 0 ? undefined : sinceEntry].filter((m) => m !== undefined);
    if (bounds.length > 0) e.alibiM = round3(Math.max(...bounds));
  }
}

/**
 * For shoppers in doubt: every track their person may have been on while the weight changed (one-each.ts
 * shares units taken at once among exactly such people whichever of them is which).
 */
function addPersonOn(candidates: Iterable<CandidateEvidence>, query: EvidenceQuery): void {
  const change = query.change;
  if (change === undefined || (query.units ?? 1) < 2) return;
  const during = query.snapshots.filter((s) => within(s.ts, change));
  for (const e of candidates) {
    if (e.sessionId === null || e.identity >= 1) continue;
    const on = personOn(e.sessionId, during, query.reports);
    if (on !== undefined && on.length <= 20) e.personOn = on;
  }
}

/**
 * The session a track's person shops on, as far as this event goes: none for a track still bound to a session
 * no longer inside — its shopper scanned out while the tracker had lost them, and the track went on to follow
 * someone else (a newcomer at the entry, a few metres from the exit): a person bound to nothing, as after a
 * lost binding, not one to leave out. (A session that scanned in during the event is not inside for it either:
 * its newcomer at the entry is as far from any lane as a stranger there.)
 */
function sessionOf(track: TrackMessage, sessions: readonly string[]): string | null {
  return track.sessionId !== null && sessions.includes(track.sessionId) ? track.sessionId : null;
}

/**
 * A hand beyond the lane from someone standing beyond its other side: along the shelf, the body and the hand
 * both more than the lane's half width from every reach point of it, on opposite sides — the arm passes over
 * the lane on its way to another (crossing arms: a neighbour reaching two lanes over, past someone picking
 * in between). False without the shelf's direction and the lane's width.
 */
function reachingPast(hand: FloorPoint, body: FloorPoint, query: EvidenceQuery): boolean {
  const { along, laneHalfWidthM: halfM } = query;
  if (along === undefined || halfM === undefined || query.targets.length === 0) return false;
  const offset = (p: FloorPoint, t: FloorPoint) => (p.x - t.x) * along.x + (p.y - t.y) * along.y;
  return query.targets.every((t) => {
    const [h, b] = [offset(hand, t), offset(body, t)];
    return Math.abs(h) > halfM && Math.abs(b) > halfM && Math.sign(h) !== Math.sign(b);
  });
}

/** Keeps the nearer hand and the surer owner confidence of a hand in the lane. */
function closer(
  into: { handM: number | null; handOwner?: number },
  handM: number | null,
  handOwner: number | undefined,
): void {
  if (handM !== null && (into.handM === null || handM < into.handM)) into.handM = round3(handM);
  if (handOwner !== undefined) into.handOwner = Math.max(into.handOwner ?? 0, round3(handOwner));
}

const within = (ts: number, span: { fromTs: number; toTs: number }) => ts >= span.fromTs && ts <= span.toTs;

function identityOf(track: object): number {
  const value = 'identityConfidence' in track ? track.identityConfidence : undefined;
  return typeof value === 'number' ? value : 1;
}

/**
 * A track's hands at one moment against the lane: the nearest, and the surest owner confidence of those within
 * `ownedWithinM` (`ownedHandM`, no farther than the lane's half width).
 */
function measureHands(
  hands: TrackMessage['hands'],
  targets: readonly FloorPoint[],
  ownedWithinM: number,
): { handM: number | null; handOwner: number | undefined } {
  let handM: number | null = null;
  let handOwner: number | undefined;
  for (const hand of hands) {
    const d = nearestM(targets, hand);
    if (handM === null || d < handM) handM = d;
    if (d <= ownedWithinM && hand.ownerConfidence !== undefined)
      handOwner = Math.max(handOwner ?? 0, hand.ownerConfidence);
  }
  return { handM, handOwner };
}

/** The hands no person's track holds too. */
function notHeldByPeople(
  hands: TrackMessage['hands'],
  people: readonly TrackMessage[],
): TrackMessage['hands'] {
  return hands.filter((hand) => !people.some((p) => p.hands.some((h) => sameHand(h, hand))));
}
