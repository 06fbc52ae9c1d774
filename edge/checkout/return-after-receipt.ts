// A put-back given to a shopper whose receipt was issued (#13) is owed to the cloud as a return, refunded
// there: queued under return:<eventId> on the returns' own outbox and link (the cloud answers "not yet" until
// the visit it refunds is there and paid, and that wait must not hold back anyone's receipt).
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { VisitReturn } from '../../shared/schemas/visit-return.ts';
import type { Timers } from '../../shared/timers.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import { CloudSync } from '../outbox/cloud-sync.ts';
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

export interface ReturnsLinkWiring {
  cloud: { url: string; storeId: string; credential: string };
  outbox: Outbox;
  clock: Clock;
  timers: Timers | undefined;
  logger: Logger;
  metrics: EdgeMetrics;
}

/** The link that delivers returns to the cloud, oldest first, with its own backoff. */
export function buildReturnsLink(w: ReturnsLinkWiring): CloudSync {
  return new CloudSync({
    cloudUrl: w.cloud.url,
    storeId: w.cloud.storeId,
    credential: w.cloud.credential,
    outbox: w.outbox,
    clock: w.clock,
    timers: w.timers,
    logger: w.logger.child({ component: 'returns-sync' }),
    onDelivered: () => w.metrics.outboxDelivered.inc(),
    onFailed: () => w.metrics.outboxFailed.inc(),
    onHeld: () => w.metrics.outboxHeld.inc(),
  });
}
