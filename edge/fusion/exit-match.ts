// Pure core: who left right after a shopper's exit scan. A track on no session (its binding was lost in the
// store) that leaves through the exit just after a scan, while that session's own tracks do not, is that
// shopper: the picks the edge could not give them can be given now.
import type { TrackSnapshot } from './track-history.ts';

/** The person walks out of the cameras' sight within this long after scanning (ms; ~2.5 s typically). */
export const EXIT_WINDOW_MS = 4500;
/** …and not sooner than this: a track ending earlier belongs to the one who scanned before. */
const EXIT_EARLIEST_MS = 300;

/**
 * The one track on no session that left through `gate` within the window after the scan at `scanTs`, when
 * no track of `sessionId` left then; undefined when that is not clear.
 */
export function unboundTrackLeaving(
  snapshots: readonly TrackSnapshot[],
  sessionId: string,
  gate: string,
  scanTs: number,
): string | undefined {
  const unbound = new Set<string>();
  let ownLeft = false;
  for (const s of snapshots) {
    if (s.ts < scanTs + EXIT_EARLIEST_MS || s.ts > scanTs + EXIT_WINDOW_MS) continue;
    for (const t of s.tracks) {
      if (t.state !== 'exited' || t.exitGate !== gate) continue;
      if (t.sessionId === sessionId) ownLeft = true;
      else if (t.sessionId === null) unbound.add(t.id);
    }
  }
  const [only] = unbound;
  return !ownLeft && unbound.size === 1 ? only : undefined;
}
