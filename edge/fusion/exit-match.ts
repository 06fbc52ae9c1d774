// Pure core: once the exit has said which track was a shopper's (exit-sequence.ts), whether a doubtful pick
// was that track's alone — its hand the only one in the lane, or it alone standing at it.
import { baseRuleIs } from '../../shared/attribution-rule.ts';
import type { CandidateEvidence } from '../../shared/schemas/attribution-evidence.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import { DEFAULT_FUSION, type ExitMatchSettings } from './fusion-settings.ts';
import { shopperUnaccounted } from './unseen-shoppers.ts';

/** True when `trackId` was the one person at the event's lane (the only hand in it, or standing at it). */
export function wasAtLane(
  event: ShelfEvent,
  trackId: string,
  settings: ExitMatchSettings = DEFAULT_FUSION.exit,
): boolean {
  const candidates: readonly CandidateEvidence[] = event.evidence?.candidates ?? [];
  const mine = candidates.find(
    (c) => c.tracks?.includes(trackId) || c.handTrack === trackId || c.bodyTrack === trackId,
  );
  if (mine === undefined) return false;
  // evidence that names which of a candidate's tracks reached in or stood by (companions, or several people
  // on no session, are measured together): it must be this one. Older evidence names none: several people
  // on no session then leave unknown whose hand it was
  const named = mine.handTrack !== undefined || mine.bodyTrack !== undefined;
  if (!named && mine.sessionId === null && (mine.tracks?.length ?? 0) > 1) return false;
  const handIn = (c: CandidateEvidence) => c.handM !== null && c.handM <= settings.handAtLaneM;
  // only a refusal the track's identity caused: the evidence itself pointed at this track
  if (!baseRuleIs(event.evidence?.rule ?? '', 'identity-doubtful', 'unbound-at-lane')) return false;
  if (candidates.some((c) => c !== mine && handIn(c))) return false;
  const someoneBeside = candidates.some((c) => c !== mine && c.bodyM !== null && c.bodyM <= settings.aloneM);
  // several units with someone else beside the lane: each may have taken some
  if ((event.evidence?.units ?? 1) > 1 && someoneBeside) return false;
  if (handIn(mine)) return !named || mine.handTrack === trackId;
  // standing at the lane counts only when nobody else stood near it
  if (named && mine.bodyTrack !== trackId) return false;
  return mine.bodyM !== null && mine.bodyM <= settings.bodyAtLaneM && !someoneBeside;
}

/**
 * True when every shopper inside other than `sessionId` was seen somewhere during the pick — on their own track,
 * or far from the lane whichever track carried them, or just in (an alibi of at least `elsewhereM`), or possibly
 * as one of the people on no session the evidence names (a lost binding: as many unseen shoppers
 * as such people). One nobody saw may be the one whose hand was given to the track at the lane (the detector
 * ties an unseen person's hand to whoever it does see), and neither who that track was (its walk-out, its
 * settled looks) nor looks that cannot tell look-alikes apart say otherwise (look-alikes-03: mia's track lost at
 * the lane, her hand on leo's track, leo's walk-out billed him for her pick once the exit paired them by pace).
 */
export function othersSeen(event: ShelfEvent, sessionId: string, elsewhereM: number): boolean {
  return !shopperUnaccounted(
    event.evidence?.candidates ?? [],
    sessionId,
    (c) => c.bodyM === null && !((c.alibiM ?? 0) >= elsewhereM),
  );
}
