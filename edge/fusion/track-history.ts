// The last minute or so of what the cameras saw: every tracker step's tracks and the cameras that reported,
// so a shelf event (detected a few hundred ms after the hand left) can look back at who reached for it.
import type { TrackMessage } from '../../shared/schemas/track.ts';

export interface TrackSnapshot {
  /** Capture time the tracks refer to (ms since the epoch). */
  ts: number;
  tracks: readonly TrackMessage[];
  /** Cameras whose frames went into this step. */
  cameras: readonly string[];
}

/** A track as last reported, and in which step. */
export interface LastReport {
  ts: number;
  track: TrackMessage;
}

export class TrackHistory {
  /** oldest first */
  private readonly snapshots: TrackSnapshot[] = [];
  /** by track id: its latest report within the kept span (a track gone since is still here) */
  private readonly latest = new Map<string, LastReport>();
  /** by session id: the latest report of a track bound to it within the kept span */
  private readonly latestOfSession = new Map<string, LastReport>();
  /** by track id: the capture time of its first report (kept as long as its latest is) */
  private readonly first = new Map<string, number>();

  constructor(readonly keepMs = 90_000) {}

  record(snapshot: TrackSnapshot): void {
    const last = this.snapshots[this.snapshots.length - 1];
    if (last !== undefined && snapshot.ts < last.ts) return;
    this.snapshots.push(snapshot);
    for (const track of snapshot.tracks) {
      const report = { ts: snapshot.ts, track };
      this.latest.set(track.id, report);
      if (!this.first.has(track.id)) this.first.set(track.id, snapshot.ts);
      if (track.sessionId !== null && track.state !== 'tentative')
        this.latestOfSession.set(track.sessionId, report);
    }
    const horizon = snapshot.ts - this.keepMs;
    let drop = 0;
    while ((this.snapshots[drop]?.ts ?? Number.POSITIVE_INFINITY) < horizon) drop++;
    if (drop > 0) {
      this.snapshots.splice(0, drop);
      for (const [id, report] of this.latest)
        if (report.ts < horizon) {
          this.latest.delete(id);
          this.first.delete(id);
        }
      for (const [id, report] of this.latestOfSession)
        if (report.ts < horizon) this.latestOfSession.delete(id);
    }
  }

  /** The track's latest report within the kept span (undefined: not reported since), gone or not. */
  ofTrack(trackId: string): LastReport | undefined {
    return this.latest.get(trackId);
  }

  /** Every track reported within the kept span, as last reported (gone or not). */
  latestTracks(): TrackMessage[] {
    return [...this.latest.values()].map((r) => r.track);
  }

  /** By track id: the capture time of the first step that reported it, for every track `latestTracks` has. */
  firstSeen(): ReadonlyMap<string, number> {
    return this.first;
  }

  /** The latest report within the kept span of a (not tentative) track bound to the session. */
  ofSession(sessionId: string): LastReport | undefined {
    return this.latestOfSession.get(sessionId);
  }

  /**
   * The track's close encounters with other tracks (swap doubts naming the other track) reported from `fromTs`
   * on, each over its whole span as last reported (from its first moment to its latest), whether or not its
   * looks settled it since. A doubt settled by looks says the track follows the person from before the
   * encounter again — not who it followed during it: two people side by side can be swapped and swapped back
   * within one long encounter. (A relink or a binding at the gate in doubt names no track: the exit is what
   * settles those.)
   */
  encounterSpans(trackId: string, fromTs: number): Array<{ with: string; since: number; ts: number }> {
    /** by "with/since": the encounter's latest moment */
    const spans = new Map<string, { with: string; since: number; ts: number }>();
    for (const step of this.between(fromTs, Number.POSITIVE_INFINITY)) {
      const track = step.tracks.find((t) => t.id === trackId);
      for (const d of track?.identityDoubts ?? []) {
        if (d.with === undefined) continue;
        const since = d.since ?? d.ts;
        const key = `${d.with}/${since}`;
        const known = spans.get(key);
        if (known === undefined || known.ts < d.ts) spans.set(key, { with: d.with, since, ts: d.ts });
      }
    }
    return [...spans.values()];
  }

  /** Capture time of the oldest step kept, or undefined before the first. */
  get oldestTs(): number | undefined {
    return this.snapshots[0]?.ts;
  }

  /** Capture time of the newest step, or undefined before the first. */
  get latestTs(): number | undefined {
    return this.snapshots[this.snapshots.length - 1]?.ts;
  }

  /** Steps with t0 ≤ ts ≤ t1, oldest first. */
  between(t0: number, t1: number): TrackSnapshot[] {
    let lo = 0;
    let hi = this.snapshots.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.snapshots[mid] as TrackSnapshot).ts < t0) lo = mid + 1;
      else hi = mid;
    }
    const out: TrackSnapshot[] = [];
    for (let i = lo; i < this.snapshots.length; i++) {
      const s = this.snapshots[i] as TrackSnapshot;
      if (s.ts > t1) break;
      out.push(s);
    }
    return out;
  }
}
