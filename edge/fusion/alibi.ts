// Pure: where a shopper's person could have been during a shelf event, even while their track's identity is
// in doubt (#13). A doubt is a possible swap with a named track (a close encounter while one was unseen):
// the person then walks on as one of the two. So the person is on one of the tracks the session's tracks are
// linked to by doubts, however the links chain in time (a person can pass on through a second encounter only
// if it ended after they could have arrived by the first) — and when every such track was far from the lane
// throughout, the shopper did not reach into it, whichever of them they are. A doubt that names nobody (a
// relink, a binding at the gate that could have gone to another newcomer) leaves the person anywhere: no
// alibi. A track no longer followed is where it was last seen, give or take how far its person could have
// walked since; one that walked out through the exit took its person out of the store.
import type { TrackMessage } from '../../shared/schemas/track.ts';
import { type FloorPoint, nearestM } from '../../shared/store-geometry.ts';
import type { LastReport, TrackSnapshot } from './track-history.ts';

/** Latest reports (fusion's track history), for tracks a step no longer has. */
export interface TrackReports {
  /** The track's latest report. */
  ofTrack: (trackId: string) => LastReport | undefined;
  /** The latest report of a track bound to the session. */
  ofSession: (sessionId: string) => LastReport | undefined;
}

const NO_REPORTS: TrackReports = { ofTrack: () => undefined, ofSession: () => undefined };

export interface AlibiSettings {
  /** A track unseen longer than this (ms) may have walked off at `walkMps` since it was last seen. */
  seenWithinMs: number;
  walkMps: number;
  /** How near an entry gate (m) a shopper stood when they scanned in. */
  entryReachM: number;
}

/** A possible swap between two tracks, over the span of their encounter. */
interface Link {
  other: string | undefined;
  since: number;
  until: number;
}

/**
 * The tracks that may carry `sessionId`'s person at one moment (`ts`): its own (not tentative) and every track
 * an open swap doubt links them to, on either side, transitively in time order — a track the moment no longer
 * has as last reported before it (`reports`; none when it walked out through the exit). With no track of its
 * own, the session's person is where its last track was last reported. Undefined when the moment cannot say:
 * no track and no report, a track among them in doubt with nobody named, or with a track gone without a
 * report before the moment, or a binding at the gate in doubt.
 */
export function possibleTracks(
  sessionId: string,
  tracks: readonly TrackMessage[],
  ts: number,
  reports: TrackReports = NO_REPORTS,
): TrackMessage[] | undefined {
  const byId = new Map(tracks.map((t) => [t.id, t]));
  const reported = (report: LastReport | undefined): TrackMessage | 'left' | undefined => {
    if (report === undefined || report.ts >= ts) return undefined;
    return report.track.state === 'exited' ? 'left' : report.track;
  };
  let own: TrackMessage[] = tracks.filter((t) => t.sessionId === sessionId && t.state !== 'tentative');
  if (own.length === 0) {
    const last = reported(reports.ofSession(sessionId));
    if (last === undefined || last === 'left') return undefined;
    own = [last];
  }
  /** by track id: the earliest moment the person may be on it */
  const arrival = new Map<string, number>(own.map((t) => [t.id, Number.NEGATIVE_INFINITY]));
  const found = new Map<string, TrackMessage>(own.map((t) => [t.id, t]));
  const queue = [...own];
  for (let track = queue.shift(); track !== undefined; track = queue.shift()) {
    if ((track.identityCeiling ?? 1) < 1) return undefined;
    // an older edge names only the latest doubt's moment, not with whom
    if (track.identityDoubts === undefined && track.identityDoubtTs !== undefined) return undefined;
    const at = arrival.get(track.id) ?? Number.NEGATIVE_INFINITY;
    for (const link of linksOf(track, tracks)) {
      // the encounter was over before the person could have been on this track
      if (link.until < at) continue;
      if (link.other === undefined) return undefined;
      const from = Math.max(at, link.since);
      if ((arrival.get(link.other) ?? Number.POSITIVE_INFINITY) <= from) continue;
      const other = byId.get(link.other) ?? reported(reports.ofTrack(link.other));
      if (other === undefined) return undefined;
      arrival.set(link.other, from);
      if (other === 'left') continue;
      found.set(other.id, other);
      queue.push(other);
    }
  }
  return [...found.values()];
}

/** By track id: the doubts of other tracks that name it, indexed once per step's track list. */
const namedByIndex = new WeakMap<readonly TrackMessage[], Map<string, Link[]>>();

function namedBy(tracks: readonly TrackMessage[]): Map<string, Link[]> {
  let index = namedByIndex.get(tracks);
  if (index !== undefined) return index;
  index = new Map();
  for (const o of tracks)
    for (const d of o.identityDoubts ?? []) {
      if (d.with === undefined) continue;
      const links = index.get(d.with) ?? [];
      links.push({ other: o.id, ...span(d) });
      index.set(d.with, links);
    }
  namedByIndex.set(tracks, index);
  return index;
}

function span(d: { ts: number; since?: number }): { since: number; until: number } {
  return { since: d.since ?? d.ts, until: d.ts };
}

/** A track's doubts, and those of other tracks that name it (`tracks`: those to look for them in). */
export function linksOf(track: TrackMessage, tracks: readonly TrackMessage[]): Link[] {
  return [
    ...(track.identityDoubts ?? []).map((d) => ({ other: d.with, ...span(d) })),
    ...(namedBy(tracks).get(track.id) ?? []),
  ];
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
  reports?: TrackReports,
): number | undefined {
  return closestOver(
    snapshots,
    (snapshot) => possibleTracks(sessionId, snapshot.tracks, snapshot.ts, reports),
    targets,
    settings,
  );
}

/**
 * How near the lane's reach points (m) a shopper who scanned in at `enteredAt` could have come by the last of
 * the snapshots, whoever the cameras follow: from within `entryReachM` of the nearest entry gate, at `walkMps`
 * since the scan. Undefined without snapshots or gates; 0 once they could have got there.
 */
export function entryAlibiM(
  enteredAt: number,
  snapshots: readonly TrackSnapshot[],
  targets: readonly FloorPoint[],
  gates: readonly FloorPoint[],
  settings: AlibiSettings,
): number | undefined {
  const last = snapshots[snapshots.length - 1];
  if (last === undefined || gates.length === 0) return undefined;
  const fromGateM = Math.min(...gates.map((g) => nearestM(targets, g)));
  const walked = (settings.walkMps * Math.max(0, last.ts - enteredAt)) / 1000;
  return Math.max(0, fromGateM - settings.entryReachM - walked);
}

/**
 * Every track that may have carried the session's person at any of the snapshots (`possibleTracks`, ids in
 * the order met); undefined when some snapshot cannot say, or there are none.
 */
export function personOn(
  sessionId: string,
  snapshots: readonly TrackSnapshot[],
  reports?: TrackReports,
): string[] | undefined {
  const ids = new Set<string>();
  for (const snapshot of snapshots) {
    const tracks = possibleTracks(sessionId, snapshot.tracks, snapshot.ts, reports);
    if (tracks === undefined) return undefined;
    for (const t of tracks) ids.add(t.id);
  }
  return ids.size === 0 ? undefined : [...ids];
}

/**
 * The nearest (m) one track came to the lane's reach points over the snapshots, as `alibiM` measures it;
 * undefined when a snapshot does not have it (not yet born, lost, gone) or there are none. Who the track was
 * is the caller's to know (the exit: the person who walked out on a session's scan).
 */
export function trackAlibiM(
  trackId: string,
  snapshots: readonly TrackSnapshot[],
  targets: readonly FloorPoint[],
  settings: AlibiSettings,
): number | undefined {
  return closestOver(
    snapshots,
    (snapshot) => {
      const track = snapshot.tracks.find((t) => t.id === trackId);
      return track === undefined ? undefined : [track];
    },
    targets,
    settings,
  );
}

/**
 * The nearest (m) the tracks `at` gives for each snapshot came to the lane's reach points (`reachableM`);
 * undefined when it gives none for some snapshot, or there are no snapshots.
 */
function closestOver(
  snapshots: readonly TrackSnapshot[],
  at: (snapshot: TrackSnapshot) => readonly TrackMessage[] | undefined,
  targets: readonly FloorPoint[],
  settings: AlibiSettings,
): number | undefined {
  let closest = Number.POSITIVE_INFINITY;
  for (const [i, snapshot] of snapshots.entries()) {
    const tracks = at(snapshot);
    if (tracks === undefined) return undefined;
    const gapMs = gapAround(snapshots, i);
    for (const track of tracks)
      closest = Math.min(closest, reachableM(track, snapshot.ts, gapMs, targets, settings));
  }
  return Number.isFinite(closest) ? closest : undefined;
}

/** The longer of the gaps (ms) between the snapshot and its neighbours: steps the tracker did not report. */
function gapAround(snapshots: readonly TrackSnapshot[], i: number): number {
  const ts = (snapshots[i] as TrackSnapshot).ts;
  return Math.max(ts - (snapshots[i - 1]?.ts ?? ts), (snapshots[i + 1]?.ts ?? ts) - ts);
}

/**
 * How near the lane the track's person may have been at `ts`: body or hand, less what they could have walked
 * unseen since last seen, or in half the gap to the next step reported (either way, when longer than
 * `seenWithinMs`).
 */
function reachableM(
  track: TrackMessage,
  ts: number,
  gapMs: number,
  targets: readonly FloorPoint[],
  settings: AlibiSettings,
): number {
  const unseenMs = Math.max(ts - track.lastSeenTs, gapMs / 2);
  const walked = unseenMs > settings.seenWithinMs ? (settings.walkMps * unseenMs) / 1000 : 0;
  const at = Math.min(nearestM(targets, track), ...track.hands.map((h) => nearestM(targets, h)));
  return Math.max(0, at - walked);
}
