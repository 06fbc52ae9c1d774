// Load-cell batches for shelf-monitor tests: `seconds` of 12-sample batches at 60 Hz from `T0 + fromS`, every
// lane of the shelf at its level with a little deterministic noise.
import type { ShelfMonitor } from '../../edge/shelves/shelf-monitor.ts';
import type { LoadCellBatch } from '../../shared/schemas/load-cell-batch.ts';
import type { Shelf } from '../../shared/store-config.ts';

export const SHELF_FEED_T0 = 1_700_000_000_000;
const PERIOD = 1000 / 60;

/** Feeds the batches; returns the next sequence number. */
export function feedShelf(
  monitor: ShelfMonitor,
  shelf: Shelf,
  levels: readonly number[],
  fromS: number,
  seconds: number,
  seq0: number,
): number {
  let seq = seq0;
  for (let t = fromS * 1000; t < (fromS + seconds) * 1000; t += 12 * PERIOD) {
    const batch: LoadCellBatch = {
      v: 1,
      device: shelf.id,
      seq: seq++,
      t0: SHELF_FEED_T0 + t,
      periodMs: PERIOD,
      cells: shelf.lanes.map((lane, i) => ({
        id: lane.loadCell,
        grams: Array.from({ length: 12 }, (_, k) => (levels[i] ?? 0) + ((k * 7 + seq) % 5) * 0.1 - 0.2),
      })),
    };
    monitor.ingest(shelf.id, batch);
  }
  return seq;
}
