// Builds the checkout and the cloud link that delivers its outbox: a visit queued when the shopper's cart is
// final is announced (receipt-queued) and sent at once; the cloud's acknowledgement is announced in turn.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { Alert } from '../../shared/schemas/alert.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import type { Timers } from '../../shared/timers.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import type { EdgeOutputs } from '../edge-outputs.ts';
import type { AlertBook } from '../floor/alert-book.ts';
import type { UnresolvedExitAlerts } from '../floor/unresolved-exit-alerts.ts';
import type { ExceptionQueue } from '../fusion/exception-queue.ts';
import { DEFAULT_FUSION, exitWatchMaxMs } from '../fusion/fusion-settings.ts';
import type { FusionStage } from '../fusion/fusion-stage.ts';
import { cloudLinkHeldAlert, cloudLinkRestoredAlert } from '../outbox/cloud-link-alert.ts';
import { CloudSync } from '../outbox/cloud-sync.ts';
import type { Outbox } from '../outbox/outbox.ts';
import type { ShelfMonitor } from '../shelves/shelf-monitor.ts';
import { Checkout, type CheckoutOptions } from './checkout.ts';
import { receiptDelivered } from './receipt-delivered.ts';
import type { SessionStore, ShoppingSession } from './session-store.ts';
import { walkLeadsMs } from './walk-lead.ts';

export interface CheckoutWiring {
  cloud: { url: string; storeId: string; credential: string };
  sessions: SessionStore;
  outbox: Outbox;
  shelves: ShelfMonitor;
  fusion: FusionStage;
  exceptions: ExceptionQueue;
  exitAlerts: UnresolvedExitAlerts;
  outputs: EdgeOutputs;
  alerts: AlertBook;
  alert: (alert: Alert | undefined) => void;
  metrics: EdgeMetrics;
  clock: Clock;
  timers: Timers | undefined;
  logger: Logger;
  settleMarginMs: number;
  maxHoldMs: number;
  exceptionHoldMs: number;
  /** Derives a consenting shopper's behaviour as the visit is assembled (edge/behaviour/). */
  behaviourOf?: CheckoutOptions['behaviourOf'];
  /** Where the shelves and gates stand: a leaving shopper's receipt waits only for shelves they could have reached. */
  store: Pick<StoreConfig, 'shelves' | 'gates'>;
}

/**
 * How long before the scan a leaving shopper could last have touched each shelf (by exit gate, walk-lead.ts): a
 * party on one scan waits for every shelf (a companion may not be beside the one who scanned), as does a scan
 * at a gate the config lacks.
 */
function walkLeadOf(
  leadsByGate: ReadonlyMap<string, ReadonlyMap<string, number>>,
  session: ShoppingSession,
): ((shelfId: string) => number) | undefined {
  const leads = session.party > 1 ? undefined : leadsByGate.get(session.exitGate ?? '');
  return leads === undefined ? undefined : (shelfId) => leads.get(shelfId) ?? 0;
}

export function buildCheckout(w: CheckoutWiring): { checkout: Checkout; sync: CloudSync } {
  const { clock, outputs, metrics, sessions } = w;
  const leadsByGate = new Map(w.store.gates.map((g) => [g.id, walkLeadsMs(w.store, g.position)]));
  const sync = new CloudSync({
    cloudUrl: w.cloud.url,
    storeId: w.cloud.storeId,
    credential: w.cloud.credential,
    outbox: w.outbox,
    clock,
    timers: w.timers,
    logger: w.logger.child({ component: 'cloud-sync' }),
    onDelivered: (item, answer) => {
      metrics.outboxDelivered.inc();
      // a return's refund (#13) is the cloud's to tell the shopper; the floor hears of receipts only
      if (item.kind === 'visit')
        outputs.publish('session-event', receiptDelivered(item.key, answer, sessions, clock.now()));
    },
    onFailed: () => metrics.outboxFailed.inc(),
    onHeld: (_item, error) => {
      metrics.outboxHeld.inc();
      w.alert(cloudLinkHeldAlert(w.alerts, error, clock.now()));
    },
    onLinkRestored: (released) => w.alert(cloudLinkRestoredAlert(w.alerts, released, clock.now())),
  });
  const checkout = new Checkout({
    sessions,
    settledThrough: (ts, marginMs, session) => {
      const lead = walkLeadOf(leadsByGate, session);
      return w.shelves.isSettledThrough(ts, marginMs, lead) && w.fusion.isSettledThrough(ts + marginMs, lead);
    },
    outbox: w.outbox,
    clock,
    timers: w.timers,
    logger: w.logger.child({ component: 'checkout' }),
    metrics,
    settleMarginMs: w.settleMarginMs,
    maxHoldMs: w.maxHoldMs,
    openExceptionsFor: (sessionId) => w.exceptions.openFor(sessionId).length,
    doubtfulPutBacksFor: (sessionId) =>
      w.exceptions
        .openFor(sessionId)
        .filter((x) => x.event.kind === 'put-back')
        .map((x) => x.event),
    awaitingVision: (sessionId) => w.fusion.isAwaitingExit(sessionId),
    flagsOf: (sessionId) => w.exceptions.flagsOf(sessionId),
    uncheckedAgeLinesOf: (sessionId) =>
      w.exceptions
        .openFor(sessionId)
        .filter((x) => x.reason === 'age-check')
        .map((x) => x.event.eventId),
    exceptionHoldMs: w.exceptionHoldMs,
    ...(w.behaviourOf === undefined ? {} : { behaviourOf: w.behaviourOf }),
    visionExitMs: exitWatchMaxMs(DEFAULT_FUSION),
    onQueued: (session, visit, _cart, hold) => {
      metrics.sessionsInStore.set(sessions.inStore().length);
      w.exitAlerts.checkedOut(session.sessionId);
      const { sessionId, accountId } = session;
      outputs.publish('session-event', {
        v: 1,
        kind: 'receipt-queued',
        sessionId,
        accountId,
        ts: clock.now(),
        lines: visit.lines,
        heldMs: Math.round(hold.heldMs),
        waitedFor: hold.waitedFor,
      });
      sync.kick();
    },
  });
  return { checkout, sync };
}
