// Pure: who scanned out when more people stood at the exit scanner than the scan let out (a queue at the exit:
// the next one waits beside the one scanning). Each person scans once and leaves on their own scan, so someone
// told to be another scan's person — standing there alone at it, or left over from an earlier such answer — did
// not make this scan: once the others at the scanner are all accounted for that way, whoever is left made it.
import type { AtScanner } from './exit-scanner.ts';
import { type ExitScan, peopleLetOut } from './exit-sequence.ts';

/** Who stood at the scanner at one scan; `told` once they are known to be the scan's people. */
export interface ScannerSighting {
  scan: ExitScan;
  standing: readonly AtScanner[];
  told: boolean;
}

/**
 * Marks the sightings the others now tell (`told`) and returns them, in the order told. A track accounts for
 * someone at another scan only when the tracker reported no swap doubt for it since before the earlier of the
 * two (`doubtTs`): one that may have changed person between them says nothing of who stood there at the other.
 * Scans more than `withinMs` apart say nothing of each other.
 */
export function tellByElimination(sightings: ScannerSighting[], withinMs: number): ScannerSighting[] {
  const told: ScannerSighting[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of sightings) {
      if (s.told) continue;
      const left = s.standing.filter((p) => !accountedFor(p, s, sightings, withinMs));
      if (left.length === 0 || left.length > peopleLetOut(s.scan)) continue;
      s.standing = left;
      s.told = true;
      told.push(s);
      changed = true;
    }
  }
  return told;
}

function accountedFor(
  person: AtScanner,
  by: ScannerSighting,
  sightings: readonly ScannerSighting[],
  withinMs: number,
): boolean {
  return sightings.some((o) => {
    if (o === by || !o.told || Math.abs(o.scan.ts - by.scan.ts) > withinMs) return false;
    const there = o.standing.find((p) => p.trackId === person.trackId);
    if (there === undefined) return false;
    const doubtTs = Math.max(
      person.doubtTs ?? Number.NEGATIVE_INFINITY,
      there.doubtTs ?? Number.NEGATIVE_INFINITY,
    );
    return doubtTs < Math.min(o.scan.ts, by.scan.ts);
  });
}

/**
 * Tracks known to be other scans' people around `scan`: each stood at a scan within `withinMs` of it that is
 * told (alone there, or by elimination), with no swap doubt since before the earlier of the two, as reported
 * then or still held now (`openDoubtTs`: identity-settle.ts › latestOpenDoubtSince of the track's latest report,
 * undefined for none). Each person scans once, so none of them made `scan`, even out of sight beside
 * whoever stood at the scanner then.
 */
export function otherScansPeople(
  sightings: readonly ScannerSighting[],
  scan: ExitScan,
  withinMs: number,
  openDoubtTs: (trackId: string) => number | undefined,
): Set<string> {
  const people = new Set<string>();
  for (const o of sightings) {
    if (!o.told || o.scan.sessionId === scan.sessionId || Math.abs(o.scan.ts - scan.ts) > withinMs) continue;
    const before = Math.min(o.scan.ts, scan.ts);
    for (const p of o.standing) {
      const doubtTs = Math.max(
        p.doubtTs ?? Number.NEGATIVE_INFINITY,
        openDoubtTs(p.trackId) ?? Number.NEGATIVE_INFINITY,
      );
      if (doubtTs < before) people.add(p.trackId);
    }
  }
  return people;
}
