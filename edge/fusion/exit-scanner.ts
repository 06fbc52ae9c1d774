// Pure core: who stood at the exit scanner when a session scanned out — the exit's answer at the moment of the
// scan, without waiting for the walk through the gate (exit-sequence.ts, 2.5–3 s later). The phone that
// scanned is in the hand of someone at the scanner; when the cameras saw no more people there than the scan
// lets out, and nobody else the cameras followed could have been there unseen (every other person was too
// far away to have reached it, counting from where and when each was seen nearest the scan), those people
// are the session's. Anyone standing there who is bound to another session with no doubt about it, or whom the
// tracker is not yet sure of, says the premise broke (whoever scanned stood beside them unseen): nothing is
// concluded. Scanning takes standing at the scanner: someone seen walking past it then (the next in line
// stepping up) is not who scanned.
import type { TrackMessage } from '../../shared/schemas/track.ts';
import { type FloorPoint, nearestM } from '../../shared/store-geometry.ts';
import { type ExitScan, peopleLetOut } from './exit-sequence.ts';
import type { ExitMatchSettings } from './fusion-settings.ts';
import { openDoubtsSince } from './identity-settle.ts';
import type { TrackSnapshot } from './track-history.ts';

/** A track that stood at the scanner during the scan, with the last moment it may have changed person. */
export interface AtScanner {
  trackId: string;
  /** The latest swap doubt the tracker reported for it (undefined: never in doubt). */
  doubtTs: number | undefined;
}

/**
 * The people at the exit scanner at the scan, or undefined when the cameras leave it open. `snapshots` must
 * cover the scan from `2 × windowMs` before it to `scanLagMs` after (oldest first).
 */
export function standingAtScanner(
  snapshots: readonly TrackSnapshot[],
  gate: FloorPoint,
  scan: ExitScan,
  settings: ExitMatchSettings,
  othersPeople: ReadonlySet<string> = new Set(),
): AtScanner[] | undefined {
  const at = peopleAtScanner(snapshots, gate, scan, settings, othersPeople);
  return at === undefined || at.length > peopleLetOut(scan) ? undefined : at;
}

/**
 * Everyone standing at the exit scanner at the scan — more than the scan lets out when others wait there too,
 * one of whom scanned — or undefined when the cameras leave it open (nobody there, someone there the tracker is
 * not sure of or bound for sure to another session, someone else could have been there unseen). Tracks in
 * `othersPeople` are known to be other scans' people (scanner-elimination.ts › otherScansPeople): out of sight
 * near the scanner, they are not someone who could have scanned unseen.
 */
export function peopleAtScanner(
  snapshots: readonly TrackSnapshot[],
  gate: FloorPoint,
  scan: ExitScan,
  settings: ExitMatchSettings,
  othersPeople: ReadonlySet<string> = new Set(),
): AtScanner[] | undefined {
  const { scannerM, seenAtScanMs, stillM, walkMps } = settings;
  const toGate = (p: { x: number; y: number }) => Math.hypot(p.x - gate.x, p.y - gate.y);
  /** people who walked out before the scan */
  const gone = new Set<string>();
  /** by track: its sighting nearest the scan (the tracker's last sighting at that step, not the step time) */
  const nearest = new Map<string, { x: number; y: number; seenTs: number }>();
  /** by track: where it was seen around the scan, and what it said of itself then */
  const around = new Map<string, { points: Array<{ x: number; y: number }>; track: TrackMessage }>();
  for (const s of snapshots)
    for (const t of s.tracks) {
      if (t.phantom === true) continue;
      if (t.state === 'exited') {
        if (s.ts <= scan.ts) gone.add(t.id);
        continue;
      }
      const seenTs = Math.min(t.lastSeenTs, s.ts);
      const before = nearest.get(t.id);
      if (before === undefined || Math.abs(seenTs - scan.ts) <= Math.abs(before.seenTs - scan.ts))
        nearest.set(t.id, { x: t.x, y: t.y, seenTs });
      if (Math.abs(seenTs - scan.ts) > seenAtScanMs || Math.abs(s.ts - scan.ts) > seenAtScanMs) continue;
      const seen = around.get(t.id) ?? { points: [], track: t };
      seen.points.push({ x: t.x, y: t.y });
      seen.track = t;
      around.set(t.id, seen);
    }
  const at: AtScanner[] = [];
  for (const [id, { points, track }] of around) {
    if (gone.has(id) || !points.some((p) => toGate(p) <= scannerM)) continue;
    // walking past the scanner, not standing at it: seen, so not the one who scanned
    const spread = Math.max(
      ...points.map((p) => Math.max(...points.map((q) => Math.hypot(p.x - q.x, p.y - q.y)))),
    );
    if (spread > stillM) continue;
    // someone standing there the tracker is not yet sure of, or bound for sure to another session: whoever
    // scanned may be beside them unseen
    const named = track.identityDoubts ?? [];
    const fresh = named.filter((d) => freshAtScanner(d, points, snapshots, scan, settings));
    // the latest moment reported is that of a fresh encounter when every doubt still there is one
    const unnamedLatest =
      track.identityDoubtTs !== undefined && !fresh.some((d) => d.ts === track.identityDoubtTs)
        ? [track.identityDoubtTs]
        : [];
    const doubts = [...named.filter((d) => !fresh.includes(d)).map((d) => d.ts), ...unnamedLatest];
    if (track.state !== 'confirmed') return undefined;
    // (bound for sure: no doubt but a fresh encounter — the one it followed before it scanned — and its binding
    // at the entry not in doubt either)
    if (
      track.sessionId !== null &&
      track.sessionId !== scan.sessionId &&
      doubts.length === 0 &&
      track.identityCeiling === undefined
    )
      return undefined;
    at.push({ trackId: id, doubtTs: doubts.length === 0 ? undefined : Math.max(...doubts) });
  }
  if (at.length === 0) return undefined;
  // nobody else could have been at the scanner unseen: too far from it for the time they were out of sight, or
  // known to be another scan's person (each scans once: the one ahead walking out, unseen for a moment)
  for (const [id, t] of nearest) {
    if (gone.has(id) || around.has(id) || othersPeople.has(id)) continue;
    if (toGate(t) - scannerM <= walkMps * (Math.abs(scan.ts - t.seenTs) / 1000)) return undefined;
  }
  return at;
}

type SwapDoubt = NonNullable<TrackMessage['identityDoubts']>[number];

/**
 * An encounter that cannot have put someone else at the scanner on this track: it began less than
 * `scanStandMs` before the scan (nobody scans without standing at the scanner at least that long), and until it
 * began the other one was seen, every time, farther than `stillM` from where this track stood during the scan.
 * Had the two swapped, the one standing there at the scan would be the other — who would have had to stand
 * there already before the encounter. So whoever this track followed before the encounter scanned (lost-at-gate
 * of the suite: the next in line walked past the one at the scanner 0.1 s before the scan, and the receipt
 * waited for the walk through the gate, 3–5 s, instead of the scan).
 */
function freshAtScanner(
  d: SwapDoubt,
  scanPoints: readonly FloorPoint[],
  snapshots: readonly TrackSnapshot[],
  scan: ExitScan,
  settings: ExitMatchSettings,
): boolean {
  const since = d.since ?? d.ts;
  const other = d.with;
  if (other === undefined || since < scan.ts - settings.scanStandMs || since > scan.ts + settings.scanLagMs)
    return false;
  let seen = 0;
  for (const s of snapshots) {
    if (s.ts < scan.ts - settings.scanStandMs || s.ts >= since) continue;
    const t = s.tracks.find((x) => x.id === other);
    if (t === undefined) continue;
    // only where it was seen counts: a track coasting unseen may be anywhere near
    if (t.lastSeenTs < s.ts) return false;
    if (nearestM(scanPoints, t) <= settings.stillM) return false;
    seen++;
  }
  return seen > 0;
}

/**
 * The doubt of someone told at the exit scanner as it stands now, given the track's latest report: undefined
 * once the tracker holds open none of its swap doubts that began by the moment told (`person.doubtTs`) — its
 * looks since settled each, so the track follows the person it followed before those encounters (docs/vision.md,
 * "Identity confidence"; a doubt the tracker folded away keeps its first moment, so it still counts). Otherwise,
 * or when the report says nothing of its doubts (an older edge), the doubt as told.
 */
export function doubtNow(person: AtScanner, latest: TrackMessage | undefined): number | undefined {
  const told = person.doubtTs;
  if (told === undefined || latest === undefined) return told;
  return openDoubtsSince(latest).some((since) => since <= told) ? told : undefined;
}
