// Property tests: no sequence of batches — NaN, null, huge, negative, out-of-order, duplicated, restarted —
// crashes the shelf stage, makes a lane's stock negative, or yields an event with a non-finite weight.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShelfMonitor } from '../../../../edge/shelves/shelf-monitor.ts';
import { type WeightChange, WeightChangeDetector } from '../../../../edge/shelves/weight-change-detector.ts';
import { evalStoreConfig } from '../../../../evaluation/shelf-eval/eval-store.ts';
import type { LoadCellBatch } from '../../../../shared/schemas/load-cell-batch.ts';
import type { DetectedShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { indexStore } from '../../../../shared/store-config.ts';

const store = indexStore(evalStoreConfig());
const shelf = store.config.shelves[0];
if (shelf === undefined) throw new Error('eval store has no shelf');
const PERIOD = 1000 / 60;

const grams = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: 500, max: 3000, noNaN: true }) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
  { weight: 1, arbitrary: fc.double({ min: -1e12, max: 1e12 }) },
  { weight: 1, arbitrary: fc.constantFrom(Number.POSITIVE_INFINITY, -0, 0, 1e300, -5000) },
);

/** Batches of the shelf: a run of steps, each a level or noise, with seq and t0 that may jump about. */
const batches = fc.array(
  fc.record({
    seq: fc.oneof(fc.nat({ max: 40 }), fc.constant(0), fc.nat({ max: 200_000 })),
    t0: fc.oneof(fc.nat({ max: 60_000 }), fc.constant(0)),
    level: fc.double({ min: 500, max: 3000, noNaN: true }),
    samples: fc.array(grams, { minLength: 1, maxLength: 24 }),
    duplicate: fc.boolean(),
  }),
  { maxLength: 60 },
);

describe('shelf stage under arbitrary input', () => {
  it('never throws, never goes below zero stock, never reports a non-finite weight', () => {
    fc.assert(
      fc.property(batches, (steps) => {
        const events: DetectedShelfEvent[] = [];
        const monitor = new ShelfMonitor(store, {
          event: (e) => events.push(e),
          reject: () => {},
          stock: () => {},
          health: () => {},
        });
        for (const step of steps) {
          const batch = {
            v: 1,
            device: shelf.id,
            seq: step.seq,
            t0: 1_700_000_000_000 + step.t0,
            periodMs: PERIOD,
            cells: shelf.lanes.map((lane, i) => ({
              id: lane.loadCell,
              grams: step.samples.map((g) => (g === null ? null : i % 2 === 0 ? g : step.level)),
            })),
          } as LoadCellBatch;
          monitor.ingest(shelf.id, batch);
          if (step.duplicate) monitor.ingest(shelf.id, batch);
        }
        monitor.isSettledThrough(1_700_000_030_000, 0);
        for (const lane of shelf.lanes) expect(monitor.stock.get(lane.id)?.units).toBeGreaterThanOrEqual(0);
        for (const e of events) {
          expect(Number.isFinite(e.deltaGrams)).toBe(true);
          expect(e.endTs).toBeGreaterThanOrEqual(e.startTs);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the detector alone: steps, spikes and garbage in any order give only finite, ordered changes', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            t0: fc.double({ min: 0, max: 1e5, noNaN: true }),
            samples: fc.array(grams, { maxLength: 50 }),
          }),
          {
            maxLength: 40,
          },
        ),
        (chunks) => {
          const detector = new WeightChangeDetector();
          const out: WeightChange[] = [];
          for (const c of chunks)
            detector.push(
              c.samples.map((g) => g ?? Number.NaN),
              c.t0,
              PERIOD,
              out,
            );
          return out.every(
            (e) => Number.isFinite(e.deltaGrams) && Number.isFinite(e.deltaSdGrams) && e.endTs > e.startTs,
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
