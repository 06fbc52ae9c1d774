// A put-back given to a shopper whose receipt was issued (#13) is owed to the cloud as a return, refunded
// there: queued under return:<eventId> on the returns' own outbox and link (the cloud answers "not yet" until
// the visit it refunds is there and paid: that wait holds back neither anyone's receipt nor the returns behind
// it, and a return whose visit will never reach the cloud is set aside for staff: stuck-return.ts).
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { Alert } from '../../shared/schemas/alert.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { VisitReturn } from '../../shared/schemas/visit-return.ts';
import type { Timers } from '../../shared/timers.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import type { AlertBook } from '../floor/alert-book.ts';
import { CloudSync } from '../outbox/cloud-sync.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { refundDeliveredAlert, refundOwedAlert } from './refund-owed-alert.ts';
import { DEFAULT_STUCK_RETURN, type StuckReturnSettings, stuckReturn } from './stuck-return.ts';

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

/**
 * Queues the return once (a repeat of the event's id is stored once, and counted once); answers what the event
 * returns, or undefined when it returns nothing.
 */
export function queueReturn(
  outbox: Outbox,
  event: ShelfEvent,
  now: number,
  metrics: Pick<EdgeMetrics, 'returnsQueued'>,
): VisitReturn | undefined {
  const visitReturn = visitReturnOf(event);
  if (visitReturn === undefined) return undefined;
  if (outbox.enqueue(`return:${visitReturn.returnId}`, 'return', visitReturn, now))
    metrics.returnsQueued.inc();
  return visitReturn;
}

export interface ReturnsLinkWiring {
  cloud: { url: string; storeId: string; credential: string };
  /** The returns' view of the outbox (kind `return`). */
  outbox: Outbox;
  /** The visits' view of the same table: is a return's visit on its way, dead, or gone? */
  visits: Outbox;
  /** Default DEFAULT_STUCK_RETURN. */
  settings?: Partial<StuckReturnSettings>;
  clock: Clock;
  timers: Timers | undefined;
  logger: Logger;
  metrics: EdgeMetrics;
  /** The floor's alerts: a return set aside raises "refund owed" until it goes through. */
  alerts: AlertBook;
  alert: (alert: Alert | undefined) => void;
}

/**
 * The link that delivers returns to the cloud, oldest first, with its own backoff; one the cloud answers "not
 * yet" waits on its own, and is set aside (dead, counted) once its visit will never arrive or it waited too long.
 */
export function buildReturnsLink(w: ReturnsLinkWiring): CloudSync {
  const settings = { ...DEFAULT_STUCK_RETURN, ...w.settings };
  return new CloudSync({
    cloudUrl: w.cloud.url,
    storeId: w.cloud.storeId,
    credential: w.cloud.credential,
    outbox: w.outbox,
    clock: w.clock,
    timers: w.timers,
    logger: w.logger.child({ component: 'returns-sync' }),
    notYetRetry: settings.retry,
    giveUp: (item, answer) => {
      const { visitId } = JSON.parse(item.body) as VisitReturn;
      return stuckReturn(visitId, w.visits.stateOfKey(`visit:${visitId}`), answer, settings);
    },
    onDelivered: (item) => {
      w.metrics.outboxDelivered.inc();
      w.metrics.returnsRefunded.inc();
      const { returnId } = JSON.parse(item.body) as VisitReturn;
      w.alert(refundDeliveredAlert(w.alerts, returnId, w.clock.now()));
    },
    onFailed: (item, error, cause) => {
      w.metrics.outboxFailed.inc();
      w.metrics.returnsDead.inc({ cause });
      w.alert(refundOwedAlert(w.alerts, JSON.parse(item.body) as VisitReturn, error, w.clock.now()));
    },
    onHeld: () => w.metrics.outboxHeld.inc(),
  });
}
