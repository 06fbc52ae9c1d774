// Pure: when the tracker's looks showed two tracks had swapped people in an encounter and gave each the other's
// session back (identity doubts marked `swapped`, docs/vision.md "Swaps the looks undo"), the picks made since
// that encounter were measured on tracks carrying the wrong sessions. Such a pick, sent to staff, is decided
// again from the same steps with each swapped track carrying, from the encounter's end, the session it has now
// — as sure of it as its binding at the gate — the decision the attributor would have made had the tracker
// known then (#13, "identities that recover, and decisions that follow them").
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { TrackMessage } from '../../shared/schemas/track.ts';
import type { TrackSnapshot } from './track-history.ts';

/** The session a track carried since a swap its looks showed. */
export interface CarriedSession {
  sessionId: string;
  /** The swap's encounter ended then (ms): from this step on the track's person is the session's. */
  fromTs: number;
  /** How sure the track is of that session: its binding at the gate (`identityCeiling`). */
  identity: number;
  /** Names the swap (track and encounter), so that each exception is decided again once per swap. */
  swap: string;
}

/** By track id: the session each track given a session back by a swap carries, from its latest such swap. */
export function sessionsAfterSwaps(tracks: readonly TrackMessage[]): Map<string, CarriedSession> {
  const carried = new Map<string, CarriedSession>();
  for (const t of tracks) {
    if (t.sessionId === null || t.state === 'tentative') continue;
    const latest = (t.identityDoubts ?? []).filter((d) => d.swapped === true).at(-1);
    if (latest === undefined) continue;
    carried.set(t.id, {
      sessionId: t.sessionId,
      fromTs: latest.ts,
      identity: t.identityCeiling ?? 1,
      swap: `${t.id}/${latest.ts}`,
    });
  }
  return carried;
}

/**
 * The swaps whose tracks the event's evidence names (reaching in, standing by, or among a session's people),
 * when its window began after the swap's encounter ended (`lookBehindMs` before the weight changed): during
 * the encounter nobody knows who was on which track.
 */
export function swapsNamedBy(
  event: ShelfEvent,
  carried: ReadonlyMap<string, CarriedSession>,
  lookBehindMs: number,
): CarriedSession[] {
  const named = new Set<string>();
  for (const c of event.evidence?.candidates ?? []) {
    if (c.handTrack !== undefined) named.add(c.handTrack);
    if (c.bodyTrack !== undefined) named.add(c.bodyTrack);
    for (const t of c.tracks ?? []) named.add(t);
  }
  return [...named].flatMap((id) => {
    const c = carried.get(id);
    return c !== undefined && c.fromTs < event.startTs - lookBehindMs ? [c] : [];
  });
}

/** A step as the tracker knows it now: each swapped track on its session from the swap's end on. */
export function withSessionsCarried(
  step: TrackSnapshot,
  carried: ReadonlyMap<string, CarriedSession>,
): TrackSnapshot {
  if (!step.tracks.some((t) => carried.has(t.id))) return step;
  return {
    ...step,
    tracks: step.tracks.map((t) => {
      const c = carried.get(t.id);
      if (c === undefined || step.ts < c.fromTs) return t;
      return { ...t, sessionId: c.sessionId, identityConfidence: c.identity };
    }),
  };
}
