// What shoppers who left recently were billed for, less what came back to a shelf after their receipt (#13):
// fusion gives a put-back nobody inside can take to the one of them who holds it, and the cloud refunds it.
import { lastModifierIs } from '../../shared/attribution-rule.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { VisitLine, VisitUpload } from '../../shared/schemas/visit.ts';
import type { ClosedCart } from '../fusion/cart-evidence.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { SessionStore } from './session-store.ts';

/** Pure: units per SKU of the receipt's lines not yet returned (put-backs given to the session after it). */
export function heldAfterReceipt(
  billed: readonly VisitLine[],
  events: readonly ShelfEvent[],
): Map<string, number> {
  const held = new Map(billed.map((l) => [l.sku, l.quantity]));
  for (const event of events) {
    const best = event.hypotheses[0];
    if (event.kind !== 'put-back' || best === undefined || event.ambiguous) continue;
    if (event.evidence === undefined || !lastModifierIs(event.evidence.rule, 'returned-after-receipt'))
      continue;
    held.set(best.sku, Math.max(0, (held.get(best.sku) ?? 0) - best.count));
  }
  return held;
}

/**
 * Sessions whose receipt was queued and that exited at or after `since` with one of `skus` on it, each with what
 * its receipt billed (the visit in the outbox: exactly what the cloud charges) less what was returned since.
 */
export function closedCartsSince(
  sessions: SessionStore,
  outbox: Outbox,
  since: number,
  skus: readonly string[],
): ClosedCart[] {
  return sessions.closedSince(since).flatMap((session) => {
    // the edge's own record, stored by the checkout: trusted inside the boundary
    const visit = outbox.bodyOf(`visit:${session.sessionId}`) as VisitUpload | undefined;
    if (visit === undefined || session.exitedAt === undefined) return [];
    if (!visit.lines.some((l) => skus.includes(l.sku))) return [];
    const holds = heldAfterReceipt(visit.lines, sessions.eventsOf(session.sessionId));
    return [{ sessionId: session.sessionId, exitedAt: session.exitedAt, holds }];
  });
}
