// When the edge queues a shopper's live cart (#18): a snapshot after every pick and put-back of theirs, even
// one that leaves the lines as they were (so the app shows the store saw it), and never an unchanged cart
// again for anything else (a decision that changed nothing).
import { describe, expect, it } from 'vitest';
import { LiveCartFeed } from '../../../../edge/checkout/live-cart-feed.ts';
import { SessionStore } from '../../../../edge/checkout/session-store.ts';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { createEdgeMetrics } from '../../../../edge/edge-metrics.ts';
import { ExceptionQueue } from '../../../../edge/fusion/exception-queue.ts';
import { Outbox } from '../../../../edge/outbox/outbox.ts';
import { ManualClock } from '../../../../shared/clock.ts';
import type { LiveCartUpdate } from '../../../../shared/schemas/live-cart.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';

const store = indexStore(loadStoreConfig('stores/sample-store.json'));
const T0 = 1_700_000_000_000;

const shelfEvent = (eventId: string, kind: 'pick' | 'put-back', ambiguous: boolean): ShelfEvent => ({
  v: 1,
  eventId,
  kind,
  shelf: 'S01',
  lane: 'S01-L01',
  lanes: ['S01-L01'],
  loadCell: 'S01-LC01',
  startTs: T0 + Number(eventId.slice(1)) * 1000,
  endTs: T0 + Number(eventId.slice(1)) * 1000 + 500,
  peakTs: T0 + Number(eventId.slice(1)) * 1000 + 200,
  deltaGrams: kind === 'pick' ? -100 : 100,
  deltaSdGrams: 1,
  hypotheses: [
    { sku: 'SKU-0001', count: 1, likelihood: 0.6 },
    { sku: 'SKU-0002', count: 1, likelihood: 0.4 },
  ],
  ambiguous,
  sessionId: 'A',
  attribution: 'vision',
  confidence: 0.95,
});

function setup() {
  const db = openEdgeDatabase(':memory:');
  const clock = new ManualClock(T0);
  const sessions = new SessionStore(db);
  const exceptions = new ExceptionQueue(db);
  const outbox = new Outbox(db, ['cart']);
  const feed = new LiveCartFeed({
    store,
    sessions,
    exceptions,
    outbox,
    clock,
    metrics: createEdgeMetrics(),
    queued: () => {},
  });
  sessions.open({
    sessionId: 'A',
    accountId: 'acc-A',
    party: 1,
    entryTokenId: 'tok-A',
    entryGate: 'G-IN',
    enteredAt: T0,
  });
  /** The shopper's shelf event as fusion decides it: recorded, doubtful ones sent to staff. */
  const happen = (event: ShelfEvent) => {
    clock.advance(1000);
    sessions.recordEvent(event);
    exceptions.consider(event, ['A', 'B'], clock.now());
    feed.changed(['A'], { kind: event.kind, eventId: event.eventId, sku: 'SKU-0001', count: 1 });
  };
  const queued = () =>
    outbox
      .list(['pending'], 100)
      .map((row) => outbox.bodyOf(row.key) as LiveCartUpdate)
      .sort((a, b) => a.seq - b.seq);
  return { feed, happen, queued };
}

describe('live cart feed', () => {
  it('queues a snapshot after each of the shopper’s picks and put-backs, even one that changes no line', () => {
    const { happen, queued } = setup();
    happen(shelfEvent('e1', 'pick', false));
    happen(shelfEvent('e2', 'put-back', true));
    // a second doubtful put-back: the line is already being checked, the lines stay as they were
    happen(shelfEvent('e3', 'put-back', true));
    const sent = queued();
    expect(sent.map((u) => [u.seq, u.change?.kind, u.change?.eventId])).toEqual([
      [1, 'pick', 'e1'],
      [2, 'put-back', 'e2'],
      [3, 'put-back', 'e3'],
    ]);
    expect(sent[1]?.lines).toEqual(sent[2]?.lines);
    expect(sent[2]?.lines.map((l) => [l.sku, l.status])).toEqual([['SKU-0001', 'checking']]);
  });

  it('does not queue an unchanged cart for anything but a shelf change', () => {
    const { feed, happen, queued } = setup();
    happen(shelfEvent('e1', 'pick', false));
    feed.changed(['A']);
    feed.changed(['A'], { kind: 'decided', eventId: 'e1' });
    expect(queued().map((u) => u.seq)).toEqual([1]);
  });
});
