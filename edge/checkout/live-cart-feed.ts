// Sends each shopper's live cart to the cloud (#18): whenever a decision may have changed a session's cart
// (a pick or put-back fusion decided, a doubtful line opened or decided, a flag), the cart is rebuilt from
// what the edge stored and, if it differs from the last one sent, queued in the durable outbox as the next
// snapshot of that session (key cart:<session>:<seq>), drained by its own cloud link. Each snapshot carries
// the whole cart, so while the link is down only the newest few per session are kept (bounded).
import type { Clock } from '../../shared/clock.ts';
import type { LiveCartChange, LiveCartUpdate } from '../../shared/schemas/live-cart.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import type { ExceptionQueue } from '../fusion/exception-queue.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { type LiveCartView, liveCartOf, sameView } from './live-cart.ts';
import type { SessionStore } from './session-store.ts';

export const LIVE_CART_KIND = 'cart';

/** Undelivered snapshots kept per session while the link is down (older ones are superseded by these). */
export const PENDING_SNAPSHOTS_PER_SESSION = 20;

export interface LiveCartFeedOptions {
  store: StoreIndex;
  sessions: SessionStore;
  exceptions: ExceptionQueue;
  /** The outbox (any kind): cart snapshots are enqueued here under kind `cart`. */
  outbox: Outbox;
  clock: Clock;
  metrics: EdgeMetrics;
  /** A snapshot was queued: deliver now. */
  queued: () => void;
}

const prefixOf = (sessionId: string) => `${LIVE_CART_KIND}:${sessionId}:`;

export class LiveCartFeed {
  constructor(private readonly options: LiveCartFeedOptions) {}

  /** Decisions may have changed these sessions' carts; `change` says what (sent with the snapshot). */
  changed(sessionIds: Iterable<string | null | undefined>, change?: LiveCartChange): void {
    let queued = false;
    for (const sessionId of new Set(sessionIds)) {
      if (typeof sessionId === 'string' && this.send(sessionId, change)) queued = true;
    }
    if (queued) this.options.queued();
  }

  private send(sessionId: string, change: LiveCartChange | undefined): boolean {
    const { sessions, exceptions, outbox, clock, metrics, store } = this.options;
    const session = sessions.get(sessionId);
    // a billed visit's cart is its receipt now
    if (session === undefined || session.status === 'closed') return false;
    const view = liveCartOf(
      store,
      sessionId,
      sessions.eventsOf(sessionId),
      exceptions.openFor(sessionId),
      exceptions.flagsOf(sessionId),
    );
    const prefix = prefixOf(sessionId);
    const last = outbox.lastBodyWithPrefix(prefix) as LiveCartUpdate | undefined;
    // an unchanged cart is not sent again, except after the shopper's own pick or put-back: the app shows
    // that the store saw it even when the lines stay as they were (a doubtful put-back of a line already
    // being checked)
    const shelfChange = change?.kind === 'pick' || change?.kind === 'put-back';
    if (last !== undefined && !shelfChange && sameView(viewOf(last), view)) return false;
    const seq = (last?.seq ?? 0) + 1;
    const update: LiveCartUpdate = {
      sessionId,
      accountId: session.accountId,
      seq,
      ts: Math.round(clock.now()),
      currency: store.config.currency,
      ...view,
      ...(change === undefined ? {} : { change }),
    };
    outbox.enqueue(`${prefix}${seq}`, LIVE_CART_KIND, update, clock.now());
    metrics.liveCartUpdates.inc();
    const superseded = outbox.trimPending(prefix, PENDING_SNAPSHOTS_PER_SESSION);
    if (superseded > 0) metrics.liveCartSuperseded.inc(superseded);
    return true;
  }
}

const viewOf = (u: LiveCartUpdate): LiveCartView => ({
  lines: u.lines,
  totalCents: u.totalCents,
  flags: u.flags,
});
