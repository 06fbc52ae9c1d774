// The edge after a restart (#15): a lane's settled level against the level stored at the last quiet moment
// plus the events recorded since; what differs beyond the noise was missed and is billed, never dropped.
import { describe, expect, it } from 'vitest';
import type { LaneLevel } from '../../../../edge/shelves/missed-changes.ts';
import { missedChange } from '../../../../edge/shelves/missed-changes.ts';
import { ShelfMonitor } from '../../../../edge/shelves/shelf-monitor.ts';
import { evalStoreConfig } from '../../../../evaluation/shelf-eval/eval-store.ts';
import type { DetectedShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { indexStore } from '../../../../shared/store-config.ts';
import { feedShelf, SHELF_FEED_T0 } from '../../../support/shelf-feed.ts';

describe('missedChange', () => {
  const stored = { lane: 'S01-L01', grams: 5000, ts: 1000 };

  it('is the difference from the stored level and the recorded events, timed from the checkpoint', () => {
    expect(missedChange(stored, 0, 3993, 9000, 0.5)).toEqual({
      deltaGrams: -1007,
      deltaSdGrams: 0.5 * Math.SQRT2,
      startTs: 1000,
      endTs: 9000,
    });
  });

  it('finds nothing when the recorded events explain the level', () => {
    expect(missedChange(stored, -1007, 3993.4, 9000, 0.5)).toBeUndefined();
  });

  it('ignores differences within 5 g or 4 σ of the noise, and sees a put-back as a positive change', () => {
    expect(missedChange(stored, 0, 5004.9, 9000, 0.5)).toBeUndefined();
    expect(missedChange(stored, 0, 5007, 9000, 2)).toBeUndefined();
    expect(missedChange(stored, 0, 5009, 9000, 2)?.deltaGrams).toBe(9);
  });
});

const store = indexStore(evalStoreConfig());
const firstShelf = store.config.shelves[0];
if (firstShelf === undefined) throw new Error('eval store has no shelf');
const shelf = firstShelf;
const T0 = SHELF_FEED_T0;

const feed = (
  monitor: ShelfMonitor,
  levels: readonly number[],
  fromS: number,
  seconds: number,
  seq0: number,
) => feedShelf(monitor, shelf, levels, fromS, seconds, seq0);

describe('shelf monitor across a restart', () => {
  const lane = shelf.lanes[0];
  const product = store.productBySku.get(lane?.sku ?? '');
  if (lane === undefined || product === undefined) throw new Error('eval store lane 0 has no product');
  const levels = shelf.lanes.map(() => 3000);

  it('stores the levels of a quiet shelf, at most once a second', () => {
    const stored: LaneLevel[][] = [];
    const monitor = new ShelfMonitor(store, {
      event: () => {},
      reject: () => {},
      stock: () => {},
      health: () => {},
      levels: (_shelf, l) => stored.push(l),
    });
    feed(monitor, levels, 0, 5, 0);
    expect(stored.length).toBeGreaterThanOrEqual(3);
    expect(stored.length).toBeLessThanOrEqual(5);
    expect(stored.at(-1)?.find((l) => l.lane === lane.id)?.grams).toBeCloseTo(3000, 0);
  });

  it('bills a pick made while it was down as a shelf event of the lane product', () => {
    const events: DetectedShelfEvent[] = [];
    const missed: string[] = [];
    const after = levels.map((g, i) => (i === 0 ? g - product.unitGrams : g));
    const monitor = new ShelfMonitor(
      store,
      {
        event: (e) => events.push(e),
        reject: () => {},
        stock: () => {},
        health: () => {},
        missed: (_shelf, l) => missed.push(l),
      },
      [],
      undefined,
      shelf.lanes.map((l) => ({ lane: l.id, grams: 3000, ts: T0 - 5000, recordedGrams: 0 })),
    );
    expect(monitor.isSettledThrough(T0 - 1000, 100)).toBe(true);
    feed(monitor, after, 0, 0.4, 0);
    // the lane is not compared yet: a checkout waits
    expect(monitor.isSettledThrough(T0 - 1000, 100)).toBe(false);
    feed(monitor, after, 0.4, 3, 100);
    expect(missed).toEqual([lane.id]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'pick', lane: lane.id, startTs: T0 - 5000 });
    expect(events[0]?.hypotheses[0]).toMatchObject({ sku: lane.sku, count: 1 });
    expect(monitor.isSettledThrough(T0 - 1000, 100)).toBe(true);
  });

  it('bills nothing when the events recorded before the kill explain the level', () => {
    const events: DetectedShelfEvent[] = [];
    const after = levels.map((g, i) => (i === 0 ? g - product.unitGrams : g));
    const monitor = new ShelfMonitor(
      store,
      { event: (e) => events.push(e), reject: () => {}, stock: () => {}, health: () => {} },
      [],
      undefined,
      shelf.lanes.map((l, i) => ({
        lane: l.id,
        grams: 3000,
        ts: T0 - 5000,
        recordedGrams: i === 0 ? -product.unitGrams : 0,
      })),
    );
    feed(monitor, after, 0, 3, 0);
    expect(events).toEqual([]);
  });
});
