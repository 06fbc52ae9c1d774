// Pure: what the exit match decides for one of a session's open exceptions once the one person who walked out
// right after its exit scan is known — the pick that track alone made at the lane is the session's, billed by
// vision with the exit match's confidence, its rule marked `+matched-at-exit`; and when that track was far
// from the lane throughout the event, the session did not do it: the event is decided again without them
// (`+elsewhere-at-exit`), or at least no longer names them.
import { withModifier } from '../../shared/attribution-rule.ts';
import { round3 } from '../../shared/round.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import { redecide } from './attributor.ts';
import type { ExceptionChoice } from './decision-book.ts';
import { othersSeen, wasAtLane } from './exit-match.ts';
import type { AttributionSettings, ExitMatchSettings } from './fusion-settings.ts';

export interface ExitDecision {
  choice: ExceptionChoice;
  restate: (assigned: ShelfEvent) => ShelfEvent;
}

/**
 * Undefined when the exit says nothing about this event (the product is in doubt, or the track was not alone, or
 * another shopper nearer than `elsewhereM` went unseen: `othersSeen`).
 */
export function decideAtExit(
  event: ShelfEvent,
  sessionId: string,
  trackId: string,
  settings: ExitMatchSettings,
  elsewhereM: number,
): ExitDecision | undefined {
  const best = event.hypotheses[0];
  if (best === undefined || event.ambiguous || !wasAtLane(event, trackId, settings)) return undefined;
  if (!othersSeen(event, sessionId, elsewhereM)) return undefined;
  const rule = withModifier(event.evidence?.rule ?? 'unbound-at-lane', 'matched-at-exit');
  return {
    choice: { sessionId, sku: best.sku, count: best.count },
    restate: (assigned) => ({
      ...assigned,
      attribution: 'vision',
      confidence: settings.confidence,
      ...(event.evidence === undefined ? {} : { evidence: { ...event.evidence, rule } }),
    }),
  };
}

/** What the session's alibi makes of an event: decided for someone else, or only cleared of the session. */
export interface AlibiOutcome {
  /** The event with the session's alibi in its evidence (what the exception keeps when nobody is billed). */
  event: ShelfEvent;
  /** The rest of the evidence bills someone now (undefined: it is still for staff). */
  decision?: ExitDecision;
}

/**
 * One of a session's open exceptions once its shopper's walk-out showed them at least `alibiM` from the lane
 * throughout the event (their track followed without doubt from before it to the exit): their evidence
 * carries the alibi and the event is decided again from it, as a replay would — billed only when every other
 * shopper inside was seen somewhere during it (`othersSeen`). Undefined when the alibi is
 * not far enough to put them elsewhere, or the event has no evidence naming them.
 */
export function decideOnAlibi(
  event: ShelfEvent,
  sessionId: string,
  alibiM: number,
  settings: AttributionSettings,
): AlibiOutcome | undefined {
  const evidence = event.evidence;
  if (evidence === undefined || alibiM < settings.elsewhereM) return undefined;
  const mine = evidence.candidates.find((c) => c.sessionId === sessionId);
  if (mine === undefined) return undefined;
  const shown = { ...mine, alibiM: round3(Math.max(alibiM, mine.alibiM ?? 0)) };
  const withAlibi = { ...evidence, candidates: evidence.candidates.map((c) => (c === mine ? shown : c)) };
  const cleared: ShelfEvent = { ...event, evidence: withAlibi };
  const again = redecide(withAlibi, settings);
  const best = event.hypotheses[0];
  if (again.sessionId === null || again.sessionId === sessionId || best === undefined || event.ambiguous)
    return { event: cleared };
  // as for any later decision: a shopper nobody saw during the event may be the one under the billed track
  if (!othersSeen(cleared, again.sessionId, settings.elsewhereM)) return { event: cleared };
  const rule = withModifier(again.evidence.rule, 'elsewhere-at-exit');
  const billed = again.sessionId;
  return {
    event: cleared,
    decision: {
      choice: { sessionId: billed, sku: best.sku, count: best.count },
      restate: (assigned) => ({
        ...assigned,
        attribution: 'vision',
        confidence: again.confidence,
        evidence: { ...withAlibi, rule },
      }),
    },
  };
}
