// Pure core: who walked out on which exit scan, decided for everyone leaving around the same time together.
// A person leaves through the exit gate after scanning there (earliestMs–windowMs later), and a scan lets
// out at most its party. A track that could only have left on one scan — the others too early or too late,
// or already taken by people who could only have been theirs — is that scan's shopper, whatever session the
// tracker had given it (none after a lost binding, another one after a swap). A track the tracker has
// followed without a moment's doubt since it bound it at the gate could only have left on its own session's
// scan: it takes that scan's place, and the others are told among the rest. Anything the timing leaves
// open stays open; a track no scan explains (someone who left without scanning, a false track) makes every
// conclusion about the scans it could have followed void.
import type { TrackMessage } from '../../shared/schemas/track.ts';
import type { FloorPoint } from '../../shared/store-geometry.ts';
import { DEFAULT_FUSION, type ExitMatchSettings } from './fusion-settings.ts';
import type { TrackSnapshot } from './track-history.ts';

export interface ExitScan {
  sessionId: string;
  gate: string;
  ts: number;
  /** People the session let in on its entry scan (all leave on its exit scan). */
  party: number;
}

/** How many people an exit scan lets out: its party, and at least the one who scanned. */
export function peopleLetOut(scan: Pick<ExitScan, 'party'>): number {
  return Math.max(1, scan.party);
}

export interface TrackExit {
  trackId: string;
  /** Session the tracker had bound the track to (may be wrong: that is why this exists). */
  sessionId: string | null;
  gate: string;
  /** Capture time of the first tracker step that reported the track as exited. */
  ts: number;
  /** The last moment the track may have changed person (undefined: never). */
  identityDoubtTs?: number;
  /** Its unsettled swap doubts (with the other track of each encounter); absent from older edges. */
  doubts?: ReadonlyArray<{ ts: number; with?: string; since?: number }>;
  /**
   * True when the tracker bound the track at the entry gate with no other way round and it has never since
   * been in doubt (`boundSinceGate`): `sessionId` is its person's.
   */
  sure?: true;
}

/**
 * Whether a track's session is its person's beyond doubt: bound at the gate with nobody it could have been
 * swapped with (no ceiling), and never a moment since that it may have changed person — not even one its
 * looks settled later (a look can be wrong the way a swap is: two people the embedder cannot tell apart).
 * An older edge's track, which reports no identity, is not taken as sure.
 */
export function boundSinceGate(t: TrackMessage): boolean {
  return (
    t.sessionId !== null &&
    t.identityConfidence === 1 &&
    t.identityCeiling === undefined &&
    t.identityEverDoubted !== true &&
    t.identityDoubtTs === undefined &&
    (t.identityDoubts?.length ?? 0) === 0
  );
}

/**
 * Tracks that left through a gate in these steps, with the time each was first reported exited. A phantom (a
 * second peak beside someone, no person of its own) walking out is nobody leaving: counted, it would be one
 * leaver more than the scans let out and void every conclusion about them.
 */
export function trackExits(snapshots: readonly TrackSnapshot[]): TrackExit[] {
  const byId = new Map<string, TrackExit>();
  for (const s of snapshots)
    for (const t of s.tracks)
      if (t.state === 'exited' && t.exitGate !== undefined && t.phantom !== true && !byId.has(t.id))
        byId.set(t.id, {
          trackId: t.id,
          sessionId: t.sessionId,
          gate: t.exitGate,
          ts: s.ts,
          ...(t.identityDoubtTs === undefined ? {} : { identityDoubtTs: t.identityDoubtTs }),
          ...(t.identityDoubts === undefined ? {} : { doubts: t.identityDoubts }),
          ...(boundSinceGate(t) ? { sure: true as const } : {}),
        });
  return [...byId.values()];
}

/**
 * The scan each track left on, where the timing leaves no other possibility (by track id: the scan's
 * session). Tracks it cannot settle are absent.
 */
export function matchExits(
  scans: readonly ExitScan[],
  exits: readonly TrackExit[],
  settings: ExitMatchSettings = DEFAULT_FUSION.exit,
): Map<string, string> {
  const timely = exits.map((e) =>
    scans
      .map((s, i) => ({ s, i }))
      .filter(
        ({ s }) =>
          s.gate === e.gate && e.ts - s.ts >= settings.earliestMs && e.ts - s.ts <= settings.windowMs,
      )
      .map(({ i }) => i),
  );
  // a track sure of its session left on that session's scan, if on any
  const feasible = timely.map((ids, t) =>
    exits[t]?.sure === true ? ids.filter((i) => scans[i]?.sessionId === exits[t]?.sessionId) : ids,
  );
  const room = scans.map(peopleLetOut);
  const owner: Array<number | undefined> = exits.map(() => undefined);
  /** scans whose conclusions a track nobody can explain makes void */
  const void_ = new Set<number>();
  // unit propagation: a track with one scan left that can still let someone out is that scan's
  for (let changed = true; changed; ) {
    changed = false;
    exits.forEach((_, t) => {
      if (owner[t] !== undefined) return;
      const open = (feasible[t] as number[]).filter((i) => (room[i] as number) > 0);
      if (open.length === 1) {
        const i = open[0] as number;
        owner[t] = i;
        room[i] = (room[i] as number) - 1;
        changed = true;
      }
    });
  }
  pairByPace(scans, exits, feasible, room, owner, settings);
  exits.forEach((_, t) => {
    if (owner[t] !== undefined) return;
    const open = (feasible[t] as number[]).filter((i) => (room[i] as number) > 0);
    // more people left than the scans around let out, or a sure track with no scan of its own in time: the
    // assumption behind every conclusion here broke
    if (open.length === 0) for (const i of timely[t] as number[]) void_.add(i);
  });
  const matched = new Map<string, string>();
  exits.forEach((e, t) => {
    const i = owner[t];
    if (i !== undefined && !void_.has(i)) matched.set(e.trackId, (scans[i] as ExitScan).sessionId);
  });
  return matched;
}

/** Largest group of people leaving together that pairByPace enumerates the pairings of (6! = 720). */
const MAX_PACE_GROUP = 6;

/**
 * The people the timing left open, paired by pace: within each group of tracks and scans that could be each
 * other's (as many tracks as the scans let out), the pairing whose scan-to-gate times are closest together,
 * when every other pairing spreads them by `orderMarginMs` more. Fills `owner` and `room` in place.
 */
function pairByPace(
  scans: readonly ExitScan[],
  exits: readonly TrackExit[],
  feasible: readonly number[][],
  room: number[],
  owner: Array<number | undefined>,
  settings: ExitMatchSettings,
): void {
  const openOf = (t: number) => (feasible[t] as number[]).filter((i) => (room[i] as number) > 0);
  const seen = new Set<number>();
  for (let start = 0; start < exits.length; start++) {
    if (owner[start] !== undefined || seen.has(start)) continue;
    // the group: open tracks and scans connected through who could have left on what
    const tracks: number[] = [];
    const scanSet = new Set<number>();
    const queue = [start];
    seen.add(start);
    while (queue.length > 0) {
      const t = queue.pop() as number;
      tracks.push(t);
      for (const i of openOf(t)) {
        scanSet.add(i);
        exits.forEach((_, u) => {
          if (owner[u] === undefined && !seen.has(u) && openOf(u).includes(i)) {
            seen.add(u);
            queue.push(u);
          }
        });
      }
    }
    const slots = [...scanSet].reduce((n, i) => n + (room[i] as number), 0);
    if (tracks.length < 2 || tracks.length > MAX_PACE_GROUP || slots !== tracks.length) continue;
    const spreads: Array<{ spread: number; pairing: number[] }> = [];
    const pairing: number[] = [];
    const left = [...room];
    const pair = (k: number): void => {
      if (k === tracks.length) {
        const delays = tracks.map(
          (t, j) => (exits[t] as TrackExit).ts - (scans[pairing[j] as number] as ExitScan).ts,
        );
        spreads.push({ spread: Math.max(...delays) - Math.min(...delays), pairing: [...pairing] });
        return;
      }
      for (const i of openOf(tracks[k] as number)) {
        if ((left[i] as number) <= 0) continue;
        left[i] = (left[i] as number) - 1;
        pairing.push(i);
        pair(k + 1);
        pairing.pop();
        left[i] = (left[i] as number) + 1;
      }
    };
    pair(0);
    spreads.sort((a, b) => a.spread - b.spread);
    const [best, next] = spreads;
    if (best === undefined) continue;
    if (next !== undefined && next.spread - best.spread < settings.orderMarginMs) continue;
    tracks.forEach((t, j) => {
      const i = best.pairing[j] as number;
      owner[t] = i;
      room[i] = (room[i] as number) - 1;
    });
  }
}

/**
 * The last moment a track that walked out on `matched`'s scan may have changed to a person of another
 * session (undefined: never). A swap doubt with a track that walked out on the same session's scan — two of
 * a family passing close, or a shopper and a companion whose bindings were lost — changed nothing that is
 * billed: before it, the track carried one of that session's people either way. That holds only if the other
 * track did not itself change to someone else's person after the encounter.
 */
export function lastForeignDoubtTs(
  trackId: string,
  matched: ReadonlyMap<string, string>,
  exits: readonly TrackExit[],
): number | undefined {
  const byId = new Map(exits.map((e) => [e.trackId, e]));
  const session = matched.get(trackId);
  const foreignAfter = (id: string, after: number, visiting: ReadonlySet<string>): number | undefined => {
    const exit = byId.get(id);
    if (exit === undefined) return Number.POSITIVE_INFINITY;
    // an older edge names no partners: every doubt it reports may have been anyone
    const doubts = exit.doubts ?? (exit.identityDoubtTs === undefined ? [] : [{ ts: exit.identityDoubtTs }]);
    let last: number | undefined;
    for (const d of doubts) {
      if (d.ts <= after) continue;
      const harmless =
        session !== undefined &&
        d.with !== undefined &&
        !visiting.has(d.with) &&
        matched.get(d.with) === session &&
        // the other track must not have changed to someone else's person since the encounter began
        foreignAfter(d.with, d.since ?? d.ts, new Set([...visiting, d.with])) === undefined;
      if (!harmless) last = Math.max(last ?? d.ts, d.ts);
    }
    return last;
  };
  return foreignAfter(trackId, Number.NEGATIVE_INFINITY, new Set([trackId]));
}

/**
 * True when nobody else can still walk out through `gate` before `untilTs`, so who walked out on the scans up to
 * then is final: every person the cameras followed since `snapshots` began (oldest first; the last is now) and
 * who has not walked out is farther from the gate than they could cover by then at `walkMps` — counting from
 * where they were last seen, so a track unseen for a while, or dropped by the tracker, may have walked since.
 * A phantom is nobody (trackExits does not count it).
 */
export function nobodyElseCanLeave(
  snapshots: readonly TrackSnapshot[],
  gate: FloorPoint,
  untilTs: number,
  settings: ExitMatchSettings = DEFAULT_FUSION.exit,
): boolean {
  const now = snapshots[snapshots.length - 1]?.ts;
  if (now === undefined) return false;
  const last = new Map<string, { x: number; y: number; lastSeenTs: number; gone: boolean }>();
  for (const s of snapshots)
    for (const t of s.tracks) {
      if (t.phantom === true) continue;
      const gone = t.state === 'exited' || last.get(t.id)?.gone === true;
      last.set(t.id, { x: t.x, y: t.y, lastSeenTs: Math.min(t.lastSeenTs, s.ts), gone });
    }
  for (const t of last.values()) {
    if (t.gone) continue;
    const walkS = (untilTs - t.lastSeenTs) / 1000;
    const toGateM = Math.hypot(t.x - gate.x, t.y - gate.y) - settings.gateReachM;
    if (toGateM <= settings.walkMps * walkS) return false;
  }
  return true;
}
