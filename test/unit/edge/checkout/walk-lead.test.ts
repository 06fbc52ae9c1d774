// A leaving shopper's receipt waits only for the shelves they could have reached (#13, exit → receipt latency):
// a change that began on a shelf across the floor after they could have walked from it to the exit scanner is
// someone else's, so a busy store's picks elsewhere no longer hold every receipt.
import { describe, expect, it } from 'vitest';
import { WALK_LIMITS, walkLeadsMs } from '../../../../edge/checkout/walk-lead.ts';
import { ShelfMonitor } from '../../../../edge/shelves/shelf-monitor.ts';
import { evalStoreConfig } from '../../../../evaluation/shelf-eval/eval-store.ts';
import type { DetectedShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';
import { laneReachPoint } from '../../../../shared/store-geometry.ts';
import { steppedFusion } from '../../../support/fusion-stage.ts';
import { feedShelf, SHELF_FEED_T0 } from '../../../support/shelf-feed.ts';

describe('walkLeadsMs', () => {
  const store = loadStoreConfig('stores/sample-store.json');
  const exit = store.gates.find((g) => g.kind === 'exit');
  if (exit === undefined) throw new Error('sample store has no exit gate');

  it('is the straight walk beyond arm and scanner reach at a top speed, per shelf', () => {
    const leads = walkLeadsMs(store, exit.position);
    expect(leads.size).toBe(store.shelves.length);
    for (const shelf of store.shelves) {
      const nearest = Math.min(
        ...shelf.lanes.map((lane) => {
          const p = laneReachPoint(shelf, lane);
          return Math.hypot(p.x - exit.position.x, p.y - exit.position.y);
        }),
      );
      const expected = (Math.max(0, nearest - WALK_LIMITS.slackM) / WALK_LIMITS.topSpeedMps) * 1000;
      expect(leads.get(shelf.id)).toBeCloseTo(expected, -1);
    }
    // across the sample store's floor there is time to spare: some shelf is seconds away
    expect(Math.max(...leads.values())).toBeGreaterThan(2000);
  });

  it('is nothing for a shelf within reach of the scanner', () => {
    const shelf = store.shelves[0];
    const lane = shelf?.lanes[0];
    if (shelf === undefined || lane === undefined) throw new Error('sample store has no lane');
    const at = laneReachPoint(shelf, lane);
    expect(walkLeadsMs(store, { x: at.x + 1, y: at.y }).get(shelf.id)).toBe(0);
  });
});

describe('shelf monitor settled for one leaving shopper', () => {
  const store = indexStore(evalStoreConfig());
  const shelf = store.config.shelves[0];
  if (shelf === undefined) throw new Error('eval store has no shelf');
  const T0 = SHELF_FEED_T0;
  let seq = 0;
  const feed = (monitor: ShelfMonitor, levels: readonly number[], fromS: number, seconds: number) => {
    seq = feedShelf(monitor, shelf, levels, fromS, seconds, seq);
  };

  it('does not wait for a change that began after the shopper could have left that shelf', () => {
    const monitor = new ShelfMonitor(store, {
      event: () => {},
      reject: () => {},
      stock: () => {},
      health: () => {},
    });
    const quiet = shelf.lanes.map(() => 3000);
    feed(monitor, quiet, 0, 2);
    // a unit comes off lane 0 at 2 s and the shelf is still settling
    feed(
      monitor,
      quiet.map((g, i) => (i === 0 ? g - 500 : g)),
      2,
      0.2,
    );
    const scan = T0 + 2100;
    expect(monitor.isSettledThrough(scan, 50)).toBe(false);
    // the shopper at the scanner was at least 1.5 s from this shelf: the change began too late to be theirs
    expect(monitor.isSettledThrough(scan, 50, () => 1500)).toBe(true);
    // another shelf's lead says nothing of this one
    expect(monitor.isSettledThrough(scan, 50, (id) => (id === shelf.id ? 0 : 1500))).toBe(false);
    // a change that began before the shopper could have left the shelf still holds the receipt
    expect(monitor.isSettledThrough(scan, 50, () => 50)).toBe(false);
  });
});

describe('fusion settled for one leaving shopper', () => {
  it('does not count an event still waiting for the tracks on a shelf the shopper could not have reached', () => {
    const { fusion } = steppedFusion(30_000, {
      sessions: () => [
        { sessionId: 'ada', enteredAt: 500, exitedAt: undefined },
        { sessionId: 'dev', enteredAt: 600, exitedAt: undefined },
      ],
    });
    fusion.observe({ ts: 29_900, tracks: [], cameras: ['CAM1'] });
    const shelf = 'S07';
    const pick: DetectedShelfEvent = {
      v: 1,
      eventId: 'p1',
      kind: 'pick',
      shelf,
      lane: 'S07-L01',
      lanes: ['S07-L01'],
      loadCell: 'S07-LC01',
      startTs: 29_800,
      endTs: 30_100,
      peakTs: 30_000,
      deltaGrams: -500,
      deltaSdGrams: 2,
      hypotheses: [{ sku: 'SKU-X', count: 1, likelihood: 1 }],
      ambiguous: false,
    };
    fusion.onShelfEvent(pick);
    // the tracks have not caught up with the event: it waits, and with it every checkout
    expect(fusion.isSettledThrough(30_000)).toBe(false);
    // a shopper at least a second's walk from that shelf at the scan: it began too late to be theirs
    expect(fusion.isSettledThrough(30_000, (id) => (id === shelf ? 1000 : 0))).toBe(true);
    expect(fusion.isSettledThrough(30_000, (id) => (id === shelf ? 100 : 0))).toBe(false);
  });
});
