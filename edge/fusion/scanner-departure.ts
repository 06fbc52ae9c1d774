// Pure: who scanned out when more people stood at the exit scanner than the scan let out (a queue at the exit),
// told by who walks off. Whoever scans walks through the gate the scan opens; the next in line stays where they
// stand until their own scan. So once as many of those standing there as the scan lets out have walked
// towards the gate (or through it), while every other one is still seen standing where they stood, and nobody
// else has scanned at that gate since or shortly before (then the one walking off may be leaving on that scan:
// family-03 of the suite, a party's second member following the first out 0.9 s behind as a stranger beside
// them scanned 1.3 s after the party), the ones who walked off made the scan — about a second after it,
// instead of at the next one's scan (scanner-elimination.ts) or the walk out of sight (exit-sequence.ts).

import type { TrackMessage } from '../../shared/schemas/track.ts';
import { type FloorPoint, nearestM } from '../../shared/store-geometry.ts';
import type { AtScanner } from './exit-scanner.ts';
import { type ExitScan, peopleLetOut } from './exit-sequence.ts';
import type { ExitMatchSettings } from './fusion-settings.ts';
import type { TrackSnapshot } from './track-history.ts';

/**
 * The people among `standing` who walked off after the scan, when they tell it (see above); undefined while
 * the tracks leave it open. `snapshots` from the scan on (oldest first); `otherScan`: someone else has scanned
 * at this gate since, or within the exit window before.
 */
export function walkedOffAfterScan(
  standing: readonly AtScanner[],
  snapshots: readonly TrackSnapshot[],
  gate: FloorPoint,
  scan: ExitScan,
  otherScan: boolean,
  settings: Pick<ExitMatchSettings, 'stillM' | 'departM' | 'seenAtScanMs' | 'windowMs'>,
): AtScanner[] | undefined {
  if (otherScan || standing.length <= peopleLetOut(scan)) return undefined;
  const { stillM, departM, seenAtScanMs, windowMs } = settings;
  const after = snapshots.filter((s) => s.ts >= scan.ts - seenAtScanMs && s.ts <= scan.ts + windowMs);
  const latest = after[after.length - 1];
  if (latest === undefined) return undefined;
  const walked: AtScanner[] = [];
  for (const person of standing) {
    // where they stood at the scan: their sighting nearest it
    let at: { x: number; y: number; seenTs: number } | undefined;
    let gone = false;
    for (const s of after) {
      const t = s.tracks.find((x) => x.id === person.trackId);
      if (t === undefined) continue;
      if (t.state === 'exited') {
        gone = true;
        continue;
      }
      if (t.lastSeenTs < s.ts - seenAtScanMs) continue;
      if (at === undefined || Math.abs(t.lastSeenTs - scan.ts) < Math.abs(at.seenTs - scan.ts))
        at = { x: t.x, y: t.y, seenTs: t.lastSeenTs };
    }
    const now = latest.tracks.find((x) => x.id === person.trackId);
    // in an encounter since the scan (brushing past the next in line on the way out): the one walking off
    // may be the other one now
    if (now !== undefined && doubtSince(now) >= scan.ts) return undefined;
    if (gone) {
      walked.push(person);
      continue;
    }
    // not seen now: where they went is open
    if (at === undefined || now === undefined || now.lastSeenTs < latest.ts - seenAtScanMs) return undefined;
    const moved = Math.hypot(now.x - at.x, now.y - at.y);
    if (moved <= stillM) continue;
    // moved: towards the gate, or somewhere that says nothing
    if (nearestM([gate], at) - nearestM([gate], now) < departM) return undefined;
    walked.push(person);
  }
  return walked.length === peopleLetOut(scan) ? walked : undefined;
}

/** When the latest swap doubt the track reports began (an older edge names only its latest moment). */
function doubtSince(t: TrackMessage): number {
  const since = (t.identityDoubts ?? []).map((d) => d.since ?? d.ts);
  return Math.max(t.identityDoubtTs ?? Number.NEGATIVE_INFINITY, ...since);
}
