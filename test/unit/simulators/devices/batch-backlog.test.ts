// A shelf controller's store-and-forward backlog: in order, bounded, the oldest dropped and counted.
import { describe, expect, it } from 'vitest';
import type { LoadCellBatch } from '../../../../shared/schemas/load-cell-batch.ts';
import { BatchBacklog } from '../../../../simulators/devices/batch-backlog.ts';

const batch = (seq: number): LoadCellBatch => ({
  v: 1,
  device: 'S01',
  seq,
  t0: seq * 200,
  periodMs: 16.667,
  cells: [],
});

describe('BatchBacklog', () => {
  it('gives batches back oldest first, each until it is shifted', () => {
    const backlog = new BatchBacklog(5);
    for (const seq of [1, 2, 3]) backlog.push(batch(seq));
    expect(backlog.peek()?.seq).toBe(1);
    expect(backlog.peek()?.seq).toBe(1);
    backlog.shift();
    expect(backlog.peek()?.seq).toBe(2);
    expect(backlog.size).toBe(2);
  });

  it('drops the oldest when full and counts it', () => {
    const backlog = new BatchBacklog(3);
    for (const seq of [1, 2, 3, 4, 5]) backlog.push(batch(seq));
    expect(backlog.size).toBe(3);
    expect(backlog.dropped).toBe(2);
    expect(backlog.peek()?.seq).toBe(3);
  });

  it('refuses a capacity that is not a whole number ≥ 1', () => {
    expect(() => new BatchBacklog(0)).toThrow(RangeError);
    expect(() => new BatchBacklog(2.5)).toThrow(RangeError);
  });
});
