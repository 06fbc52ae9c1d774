// Pure core: who left right after a shopper's exit scan. The one track that leaves through the exit just
// after the scan is that shopper — whatever session the tracker had given it (none, after a lost binding, or
// another one, after a swap) — so the doubtful picks that track made are theirs.
import type { CandidateEvidence } from '../../shared/schemas/attribution-evidence.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import { DEFAULT_FUSION, type ExitMatchSettings } from './fusion-settings.ts';
import type { TrackSnapshot } from './track-history.ts';

/** The one track that left through `gate` 0.3–4.5 s after the scan at `scanTs`; undefined if not exactly one. */
export function trackLeaving(
  snapshots: readonly TrackSnapshot[],
  gate: string,
  scanTs: number,
  settings: ExitMatchSettings = DEFAULT_FUSION.exit,
): { id: string; sessionId: string | null } | undefined {
  /** by track id: the session it carried */
  const left = new Map<string, string | null>();
  for (const s of snapshots) {
    if (s.ts < scanTs + settings.earliestMs || s.ts > scanTs + settings.windowMs) continue;
    for (const t of s.tracks) if (t.state === 'exited' && t.exitGate === gate) left.set(t.id, t.sessionId);
  }
  const [only] = left;
  return left.size === 1 && only !== undefined ? { id: only[0], sessionId: only[1] } : undefined;
}

/**
 * Whether the track that left after `sessionId`'s scan can be taken for that shopper: its own track, or —
 * when nobody else scanned out around then — one on no session or on a session still inside (a swap).
 */
export function leaverIsShopper(
  leaver: { sessionId: string | null },
  sessionId: string,
  othersScannedOutNearby: boolean,
  isInside: (sessionId: string) => boolean,
): boolean {
  if (leaver.sessionId === sessionId) return true;
  if (othersScannedOutNearby) return false;
  return leaver.sessionId === null || isInside(leaver.sessionId);
}

/** True when `trackId` was the one person at the event's lane (the only hand in it, or standing at it). */
export function wasAtLane(
  event: ShelfEvent,
  trackId: string,
  settings: ExitMatchSettings = DEFAULT_FUSION.exit,
): boolean {
  const candidates: readonly CandidateEvidence[] = event.evidence?.candidates ?? [];
  const mine = candidates.find((c) => c.tracks?.includes(trackId));
  if (mine === undefined) return false;
  const handIn = (c: CandidateEvidence) => c.handM !== null && c.handM <= settings.handAtLaneM;
  // only a refusal the track's identity caused: the evidence itself pointed at this track
  const rule = event.evidence?.rule ?? '';
  if (!rule.startsWith('identity-doubtful') && !rule.startsWith('unbound-at-lane')) return false;
  if (candidates.some((c) => c !== mine && handIn(c))) return false;
  const someoneBeside = candidates.some((c) => c !== mine && c.bodyM !== null && c.bodyM <= settings.aloneM);
  // several units with someone else beside the lane: each may have taken some
  if ((event.evidence?.units ?? 1) > 1 && someoneBeside) return false;
  if (handIn(mine)) return true;
  // standing at the lane counts only when nobody else stood near it
  return mine.bodyM !== null && mine.bodyM <= settings.bodyAtLaneM && !someoneBeside;
}
