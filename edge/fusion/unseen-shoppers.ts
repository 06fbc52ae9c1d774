// Pure: whether the cameras leave a shopper unaccounted for around an event — more shoppers (other than the
// one a decision is about) seen nowhere than people on no session the cameras did see, each of whom may be one
// of them (bound to nothing after a lost binding).
import type { CandidateEvidence } from '../../shared/schemas/attribution-evidence.ts';

/**
 * True when more shoppers other than `sessionId` are `unseen` (the caller says what counts: no body seen, or
 * also no hand and no alibi) than people on no session were seen (a candidate on no session stands for each of
 * its tracks).
 */
export function shopperUnaccounted(
  candidates: readonly CandidateEvidence[],
  sessionId: string,
  unseen: (c: CandidateEvidence) => boolean,
): boolean {
  const missing = candidates.filter((c) => c.sessionId !== null && c.sessionId !== sessionId && unseen(c));
  const unbound = candidates
    .filter((c) => c.sessionId === null && c.bodyM !== null)
    .reduce((n, c) => n + Math.max(1, c.tracks?.length ?? 1), 0);
  return missing.length > unbound;
}
