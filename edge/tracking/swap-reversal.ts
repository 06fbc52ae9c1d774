// Two tracks whose people swapped in a close encounter, shown by their looks, give each other their sessions
// back. A swap doubt keeps what each one looked like before the encounter: the track's own person
// (`doubtReference`) and the other one's (`SwapDoubt.otherLook`). Looks that for long enough are clearly the
// other's person and clearly not its own — on both tracks at once — say the two were swapped: each takes the
// other's session, and the encounter is kept as a swap shown (`swapsShown`), so that fusion decides again the
// picks made while each carried the other's session (docs/vision.md, "Swaps the looks undo"). Pure.
import { cosine } from './camera-fusion.ts';
import type { Identity, IdentityTuning, SwapDoubt } from './identity-confidence.ts';

/** Swaps shown kept per track (a track swapped back more often than this is rare; the oldest go first). */
const MAX_SWAPS_SHOWN = 8;

/** A track that may have its session exchanged: who it is, its session, and what it knows of its person. */
export interface SessionCarrier extends Identity {
  id: string;
  sessionId: string | null;
}

/**
 * One uncrowded look at the track's person (a crowded one may hold the neighbour and changes nothing): for each
 * close encounter it is in doubt of, whether the look is clearly the other's person from before (at least
 * `recoverCosine` like them) and clearly not its own (below `contradictCosine`) — counted up while it is, back
 * to nothing on any look that is not. Two people who looked alike before the encounter (below
 * `contradictCosine` apart) can show no swap.
 */
export function watchForSwap(
  id: Identity,
  embedding: Float32Array | undefined,
  sinceLastMs: number,
  tuning: IdentityTuning,
): void {
  const own = id.doubtReference;
  if (embedding === undefined || own === undefined) return;
  const step = Math.min(sinceLastMs, tuning.maxEvidenceStepMs);
  for (const d of id.swapDoubts) {
    if (d.with === undefined || d.otherLook === undefined) continue;
    const shows =
      cosine(own, d.otherLook) < tuning.contradictCosine &&
      cosine(embedding, d.otherLook) >= tuning.recoverCosine &&
      cosine(embedding, own) < tuning.contradictCosine;
    d.swapShownMs = shows ? (d.swapShownMs ?? 0) + step : 0;
  }
}

/**
 * The one doubt the track holds, when it is an encounter with `otherId` whose looks have shown the swap for
 * `settleDoubtMs` (as long as looks take to settle that a doubt was none).
 */
function shownSwapWith(t: SessionCarrier, otherId: string, tuning: IdentityTuning): SwapDoubt | undefined {
  const [d] = t.swapDoubts;
  if (t.swapDoubts.length !== 1 || d === undefined || d.with !== otherId || d.otherLook === undefined)
    return undefined;
  return (d.swapShownMs ?? 0) >= tuning.settleDoubtMs ? d : undefined;
}

/**
 * Exchanges the sessions of `a` and `b` when each one's looks have shown it follows the other's person since
 * their encounter — and that encounter is all either is in doubt of (another open doubt would leave unsure
 * whose person came to it). Each takes the other's session, its ceiling (how sure its binding at the gate
 * was) and, as the look to judge its person by from now on, the other's person from before; its confidence
 * starts at the encounter cap, to be raised by its looks as after any doubt. Both keep the encounter as a swap
 * shown. True when exchanged.
 */
export function swapBackIfShown(
  a: SessionCarrier,
  b: SessionCarrier,
  ts: number,
  tuning: IdentityTuning,
): boolean {
  if (a.sessionId === null || b.sessionId === null || a.sessionId === b.sessionId) return false;
  const ab = shownSwapWith(a, b.id, tuning);
  const ba = shownSwapWith(b, a.id, tuning);
  if (ab?.otherLook === undefined || ba?.otherLook === undefined) return false;
  const since = Math.min(ab.since, ba.since);
  const until = Math.max(ab.ts, ba.ts);
  [a.sessionId, b.sessionId] = [b.sessionId, a.sessionId];
  [a.identityCeiling, b.identityCeiling] = [b.identityCeiling, a.identityCeiling];
  const given: Array<[SessionCarrier, Float32Array, string]> = [
    [a, ab.otherLook, b.id],
    [b, ba.otherLook, a.id],
  ];
  for (const [t, look, other] of given) {
    t.identityReference = Float32Array.from(look);
    t.identityConfidence = Math.min(t.identityCeiling, tuning.encounterCap);
    t.swapDoubts = [];
    t.doubtReference = undefined;
    t.swapsShown = [...t.swapsShown, { with: other, since, ts: until, shownTs: ts }].slice(-MAX_SWAPS_SHOWN);
  }
  return true;
}
