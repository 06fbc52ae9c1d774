// Pure: where a shopper's person could have been during a shelf event, even while their track's identity is
// in doubt (#13). A doubt is a possible swap with a named track (a close encounter while one was unseen):
// the person then walks on as one of the two. So the person is on one of the tracks the session's tracks are
// linked to by doubts, however the links chain — and when every such track was far from the lane throughout,
// the shopper did not reach into it, whichever of them they are. A doubt that names nobody (a relink, a
// binding at the gate that could have gone to another newcomer) leaves the person anywhere: no alibi.
import type { TrackMessage } from '../../shared/schemas/track.ts';
import { type FloorPoint, nearestM } from '../../shared/store-geometry.ts';
import type { TrackSnapshot } from './track-history.ts';

export interface AlibiSettings {
  /** A track unseen longer than this (ms) may have walked off at `walkMps` since it was last seen. */
  seenWithinMs: number;
  walkMps: number;
}

/**
 * The tracks that may carry `sessionId`'s person at one moment: its own (not tentative) and every track
 * linked to them by an open swap doubt, transitively. Undefined when the moment cannot say: the session has no
 * track, a track among them is in doubt with nobody named or with a track no longer followed, or its binding
 * at the gate is in doubt.
 */
export function possibleTracks(
  sessionId: string,
  tracks: readonly TrackMessage[],
): TrackMessage[] | undefined {
  const byId = new Map(tracks.map((t) => [t.id, t]));
  const found = tracks.filter((t) => t.sessionId === sessionId && t.state !== 'tentative');
  if (found.length === 0) return undefined;
  const seen = new Set(found.map((t) => t.id));
  for (let i = 0; i < found.length; i++) {
    const track = found[i] as TrackMessage;
    if ((track.identityCeiling ?? 1) < 1) return undefined;
    // a doubt named on either side links the two
    const linked = [
      ...(track.identityDoubts ?? []).map((d) => d.with),
      ...tracks.filter((o) => (o.identityDoubts ?? []).some((d) => d.with === track.id)).map((o) => o.id),
    ];
    // an older edge names only the latest doubt's moment, not with whom
    if (track.identityDoubts === undefined && track.identityDoubtTs !== undefined) return undefined;
    for (const id of linked) {
      if (id === undefined) return undefined;
      const other = byId.get(id);
      if (other === undefined) return undefined;
      if (seen.has(id)) continue;
      seen.add(id);
      found.push(other);
    }
  }
  return found;
}

/**
 * The nearest (m) any track that may have carried the session's person came to the lane's reach points over
 * the snapshots — body or hand; a track unseen for a while as near as it could have walked since it was last
 * seen. Undefined when some moment cannot say where the person was (`possibleTracks`).
 */
export function alibiM(
  sessionId: string,
  snapshots: readonly TrackSnapshot[],
  targets: readonly FloorPoint[],
  settings: AlibiSettings,
): number | undefined {
  let closest = Number.POSITIVE_INFINITY;
  for (const snapshot of snapshots) {
    const possible = possibleTracks(sessionId, snapshot.tracks);
    if (possible === undefined) return undefined;
    for (const track of possible) {
      const unseenMs = snapshot.ts - track.lastSeenTs;
      const walked = unseenMs > settings.seenWithinMs ? (settings.walkMps * unseenMs) / 1000 : 0;
      const at = Math.min(nearestM(targets, track), ...track.hands.map((h) => nearestM(targets, h)));
      closest = Math.min(closest, Math.max(0, at - walked));
    }
  }
  return Number.isFinite(closest) ? closest : undefined;
}
