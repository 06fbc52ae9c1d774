// A put-back given to a shopper whose receipt was issued (#13) is owed to the cloud as a return, refunded
// there: queued on the receipts' outbox under return:<eventId>, after the visit it refunds.
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { VisitReturn } from '../../shared/schemas/visit-return.ts';
import type { Outbox } from '../outbox/outbox.ts';

/** Pure: the return a decided put-back reports; undefined when it names no session or no sure product. */
export function visitReturnOf(event: ShelfEvent): VisitReturn | undefined {
  const best = event.hypotheses[0];
  if (event.kind !== 'put-back' || event.sessionId === null || event.ambiguous || best === undefined)
    return undefined;
  return {
    returnId: event.eventId,
    visitId: event.sessionId,
    sku: best.sku,
    quantity: best.count,
    lane: event.lane,
    // the cloud keeps whole milliseconds; a device may stamp a fraction
    returnedAt: Math.round(event.startTs),
  };
}

/** Queues the return once (a repeat of the event's id is stored once); answers what was queued. */
export function queueReturn(outbox: Outbox, event: ShelfEvent, now: number): VisitReturn | undefined {
  const visitReturn = visitReturnOf(event);
  if (visitReturn === undefined) return undefined;
  outbox.enqueue(`return:${visitReturn.returnId}`, 'return', visitReturn, now);
  return visitReturn;
}
