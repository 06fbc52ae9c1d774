// Lockstep's held load-cell batches: whatever order the broker delivers them in, the shelves get them in the
// store config's shelf order, each shelf's by sequence number, and only when released.
import { describe, expect, it } from 'vitest';
import { HeldShelfBatches } from '../../../../edge/shelves/held-shelf-batches.ts';
import type { LoadCellBatch } from '../../../../shared/schemas/load-cell-batch.ts';

const batch = (device: string, seq: number): LoadCellBatch =>
  ({ device, seq, t0: 1000 + seq * 200, periodMs: 16.7, cells: [] }) as unknown as LoadCellBatch;

describe('held shelf batches', () => {
  it('releases what arrived in config order, then by seq, and nothing before', () => {
    const taken: string[] = [];
    const held = new HeldShelfBatches(['S2', 'S1', 'S3'], (shelf, b) => taken.push(`${shelf}#${b.seq}`));
    for (const [shelf, seq] of [
      ['S1', 5],
      ['S3', 2],
      ['S2', 8],
      ['S1', 4],
      ['S9', 1],
      ['S2', 7],
    ] as const)
      held.hold(shelf, batch(shelf, seq));
    expect(taken).toEqual([]);
    held.release();
    expect(taken).toEqual(['S2#7', 'S2#8', 'S1#4', 'S1#5', 'S3#2', 'S9#1']);
    // released once: a second release gives nothing more
    held.release();
    expect(taken).toHaveLength(6);
  });
});
