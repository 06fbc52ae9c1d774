// Builds the live cart's parts (#18): the feed that queues each shopper's cart snapshots, the cloud link
// that drains them (a link of its own, so a cart backlog never delays a receipt and a slow receipt never
// delays a cart), and the pull that brings the shoppers' "I didn't take this" flags to the staff.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { CartFlag } from '../../shared/schemas/live-cart.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { Timers } from '../../shared/timers.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import type { EdgeOutputs } from '../edge-outputs.ts';
import type { ExceptionQueue } from '../fusion/exception-queue.ts';
import { CloudSync } from '../outbox/cloud-sync.ts';
import { FlagPull } from '../outbox/flag-pull.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { LiveCartFeed } from './live-cart-feed.ts';
import type { SessionStore } from './session-store.ts';

export interface LiveCartWiring {
  cloud: { url: string; storeId: string; credential: string };
  store: StoreIndex;
  sessions: SessionStore;
  exceptions: ExceptionQueue;
  /** The outbox view of kind `cart`. */
  cartOutbox: Outbox;
  outputs: EdgeOutputs;
  metrics: EdgeMetrics;
  clock: Clock;
  timers: Timers | undefined;
  logger: Logger;
  /** Handles a shopper's flag (the decision book's shopperFlagged), bound once the book exists. */
  flagged: (flag: CartFlag) => void;
  /** How often flags are pulled (ms). */
  flagPullMs?: number;
}

export function buildLiveCart(w: LiveCartWiring): { feed: LiveCartFeed; sync: CloudSync; flags: FlagPull } {
  const logger = w.logger.child({ component: 'live-cart' });
  const sync = new CloudSync({
    cloudUrl: w.cloud.url,
    storeId: w.cloud.storeId,
    credential: w.cloud.credential,
    outbox: w.cartOutbox,
    clock: w.clock,
    timers: w.timers,
    logger,
    onFailed: () => w.metrics.outboxFailed.inc(),
    onHeld: () => w.metrics.outboxHeld.inc(),
  });
  const feed = new LiveCartFeed({
    store: w.store,
    sessions: w.sessions,
    exceptions: w.exceptions,
    outbox: w.cartOutbox,
    clock: w.clock,
    metrics: w.metrics,
    queued: () => sync.kick(),
  });
  // a shopper who just came in sees an empty cart at once: the app knows they are inside
  w.outputs.on('session-event', (event) => {
    if (event.kind === 'entered') feed.changed([event.sessionId]);
  });
  const flags = new FlagPull({
    cloudUrl: w.cloud.url,
    storeId: w.cloud.storeId,
    credential: w.cloud.credential,
    flagged: w.flagged,
    logger,
    timers: w.timers,
    ...(w.flagPullMs === undefined ? {} : { everyMs: w.flagPullMs }),
    rejected: () => w.metrics.messagesRejected.inc({ kind: 'cartFlags', reason: 'schema' }),
  });
  return { feed, sync, flags };
}
