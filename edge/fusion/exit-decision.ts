// Pure: what the exit match decides for one of a session's open exceptions once the one person who walked out
// right after its exit scan is known — the pick that track alone made at the lane is the session's, billed by
// vision with the exit match's confidence, its rule marked `+matched-at-exit`.
import { withModifier } from '../../shared/attribution-rule.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { ExceptionChoice } from './decision-book.ts';
import { othersSeen, wasAtLane } from './exit-match.ts';
import type { ExitMatchSettings } from './fusion-settings.ts';

export interface ExitDecision {
  choice: ExceptionChoice;
  restate: (assigned: ShelfEvent) => ShelfEvent;
}

/** Undefined when the exit says nothing about this event (the product is in doubt, or the track was not alone). */
export function decideAtExit(
  event: ShelfEvent,
  sessionId: string,
  trackId: string,
  settings: ExitMatchSettings,
): ExitDecision | undefined {
  const best = event.hypotheses[0];
  if (best === undefined || event.ambiguous || !wasAtLane(event, trackId, settings)) return undefined;
  if (!othersSeen(event, sessionId)) return undefined;
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
