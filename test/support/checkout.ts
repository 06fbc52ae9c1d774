// A checkout for unit tests: on an in-memory edge database in stepped time, with a cart final at once and
// nothing to wait for (no shelves settling, no exit watch, no open exception) unless the test says otherwise.
import pino from 'pino';
import { Checkout, type CheckoutOptions } from '../../edge/checkout/checkout.ts';
import { SessionStore } from '../../edge/checkout/session-store.ts';
import { type EdgeDatabase, openEdgeDatabase } from '../../edge/db/edge-database.ts';
import { createEdgeMetrics } from '../../edge/edge-metrics.ts';
import { Outbox } from '../../edge/outbox/outbox.ts';
import { SteppedTime } from '../../shared/timers.ts';

/** An empty edge database at time 0 with one shopper inside: alice, who came in alone at 1 000. */
export function aliceInside(): { time: SteppedTime; db: EdgeDatabase; sessions: SessionStore } {
  const time = new SteppedTime(0);
  const db = openEdgeDatabase(':memory:');
  const sessions = new SessionStore(db);
  sessions.open({
    sessionId: 'alice',
    accountId: 'acc-a',
    party: 1,
    entryTokenId: 'jti-alice-1',
    entryGate: 'G-IN',
    enteredAt: 1000,
  });
  return { time, db, sessions };
}

export function testCheckout(
  db: EdgeDatabase,
  time: SteppedTime,
  options: Partial<CheckoutOptions> & Pick<CheckoutOptions, 'sessions' | 'onQueued'>,
): Checkout {
  return new Checkout({
    settledThrough: () => true,
    outbox: new Outbox(db),
    clock: time,
    timers: time,
    logger: pino({ level: 'silent' }),
    metrics: createEdgeMetrics(),
    settleMarginMs: 0,
    maxHoldMs: 1000,
    awaitingVision: () => false,
    openExceptionsFor: () => 0,
    exceptionHoldMs: 3000,
    visionExitMs: 0,
    ...options,
  });
}
