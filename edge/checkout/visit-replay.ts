// Replays a visit from the edge's event log (for a dispute or a bug report): every shelf event charged to the
// session is decided again from the evidence stored with it, and the cart is rebuilt from the log. The result
// says line by line what was billed and why, and whether it matches what was uploaded. Pure.
import { lastModifierIs } from '../../shared/attribution-rule.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { VisitLine } from '../../shared/schemas/visit.ts';
import { redecide } from '../fusion/attributor.ts';
import { DEFAULT_FUSION } from '../fusion/fusion-settings.ts';
import { oneEach } from '../fusion/one-each.ts';
import { buildCart } from './cart.ts';

export interface ReplayedEvent {
  eventId: string;
  kind: ShelfEvent['kind'];
  lane: string;
  startTs: number;
  /** Product and count billed; undefined when the event was doubtful (not billed). */
  sku: string | undefined;
  count: number | undefined;
  attribution: ShelfEvent['attribution'];
  confidence: number | undefined;
  rule: string | undefined;
  /** Deciding again from the stored evidence gives the same session (undefined: nothing to re-decide). */
  sameDecision: boolean | undefined;
}

export interface VisitReplay {
  sessionId: string;
  lines: VisitLine[];
  events: ReplayedEvent[];
  /** What differs from the upload or from the recorded decisions; empty when the replay agrees. */
  differences: string[];
}

export function replayVisit(
  sessionId: string,
  events: readonly ShelfEvent[],
  uploadedLines: readonly VisitLine[] | undefined,
): VisitReplay {
  // what came back after the receipt is refunded by the cloud, not rebuilt into the lines uploaded
  const cart = buildCart(events.filter((e) => !returnedAfterReceipt(e)));
  const billed = new Map(cart.events.map((e) => [e.eventId, e]));
  const differences: string[] = [];
  const replayed = [...events]
    .sort((a, b) => a.startTs - b.startTs || a.eventId.localeCompare(b.eventId))
    .map((event): ReplayedEvent => {
      const line = billed.get(event.eventId);
      const sameDecision = decidedAlike(event);
      if (sameDecision === false)
        differences.push(`${event.eventId}: the stored evidence no longer gives ${event.attribution}`);
      return {
        eventId: event.eventId,
        kind: event.kind,
        lane: event.lane,
        startTs: event.startTs,
        sku: line?.sku,
        count: line?.count,
        attribution: event.attribution,
        confidence: event.confidence,
        rule: event.evidence?.rule,
        sameDecision,
      };
    });
  if (uploadedLines !== undefined) {
    const key = (lines: readonly VisitLine[]) =>
      lines
        .map((l) => `${l.sku}×${l.quantity}`)
        .sort()
        .join(', ');
    if (key(cart.lines) !== key(uploadedLines))
      differences.push(`lines rebuilt [${key(cart.lines)}] differ from uploaded [${key(uploadedLines)}]`);
  }
  return { sessionId, lines: cart.lines, events: replayed, differences };
}

/** Staff decisions and events from before evidence was stored have nothing to re-decide. */
function decidedAlike(event: ShelfEvent): boolean | undefined {
  if (event.evidence === undefined || event.attribution === 'staff') return undefined;
  const again = redecide(event.evidence);
  // a put-back moved to the shopper who held the item: the cameras' part of the decision is what replays
  if (lastModifierIs(event.evidence.rule, 'returned-for-other')) return again.sessionId !== null;
  // several units shared out one each (#13): the attributor refused one owner, the hands gave each a unit
  if (lastModifierIs(event.evidence.rule, 'one-each'))
    return (
      again.sessionId === null &&
      (oneEach(event.evidence, DEFAULT_FUSION.attribution)?.some((s) => s.sessionId === event.sessionId) ??
        false)
    );
  // a put-back given to the one who left holding it (#13): the cameras did not give it to them — they had left
  if (returnedAfterReceipt(event)) return again.sessionId !== event.sessionId;
  // the cameras refused at the time and the exit, or the track's settled identity, decided it later: the
  // refusal is what replays
  if (
    lastModifierIs(event.evidence.rule, 'matched-at-exit') ||
    lastModifierIs(event.evidence.rule, 'identity-settled')
  )
    return again.sessionId === null;
  return again.sessionId === event.sessionId && again.attribution === event.attribution;
}

function returnedAfterReceipt(event: ShelfEvent): boolean {
  return event.evidence !== undefined && lastModifierIs(event.evidence.rule, 'returned-after-receipt');
}
