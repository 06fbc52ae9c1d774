import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchSequencer } from '../../../../edge/shelves/batch-sequencer.ts';
import type { LoadCellBatch } from '../../../../shared/schemas/load-cell-batch.ts';

const batch = (seq: number): LoadCellBatch => ({
  v: 1,
  device: 'S01',
  seq,
  t0: seq * 200,
  periodMs: 16.7,
  cells: [{ id: 'c', grams: [seq] }],
});
const seqs = (batches: LoadCellBatch[]) => batches.map((b) => b.seq);

describe('BatchSequencer', () => {
  it('passes batches in order straight through and drops duplicates', () => {
    const s = new BatchSequencer();
    expect(seqs(s.accept(batch(5)))).toEqual([5]);
    expect(seqs(s.accept(batch(6)))).toEqual([6]);
    expect(seqs(s.accept(batch(6)))).toEqual([]);
    expect(seqs(s.accept(batch(5)))).toEqual([]);
    expect(s.counts.duplicates).toBe(2);
  });

  it('holds an early batch until the missing one arrives', () => {
    const s = new BatchSequencer();
    s.accept(batch(1));
    expect(seqs(s.accept(batch(3)))).toEqual([]);
    expect(seqs(s.accept(batch(2)))).toEqual([2, 3]);
    expect(seqs(s.accept(batch(4)))).toEqual([4]);
  });

  it('skips a gap that does not fill, and follows a controller restart', () => {
    const s = new BatchSequencer();
    s.accept(batch(10));
    s.accept(batch(12));
    s.accept(batch(13));
    expect(seqs(s.accept(batch(14)))).toEqual([12, 13, 14]);
    expect(s.counts.gaps).toBe(1);
    expect(seqs(s.accept(batch(11)))).toEqual([]);
    const restarted = { ...batch(0), t0: 99_000 };
    expect(seqs(s.accept(restarted))).toEqual([0]);
    expect(s.counts.restarts).toBe(1);
  });

  it('delivers every distinct batch of a shuffled, duplicated stream exactly once and in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.tuple(fc.nat(60), fc.nat(2)), { maxLength: 30 }),
        (dups, swaps) => {
          const stream = Array.from({ length: 60 }, (_, i) => i).flatMap((i) =>
            dups[i % dups.length] ? [i, i] : [i],
          );
          for (const [at, by] of swaps) {
            const j = Math.min(stream.length - 1, at + by);
            const i = Math.min(stream.length - 1, at);
            [stream[i], stream[j]] = [stream[j] as number, stream[i] as number];
          }
          const s = new BatchSequencer();
          const out = [...stream.flatMap((n) => seqs(s.accept(batch(n)))), ...seqs(s.flushAll())];
          const strictlyIncreasing = out.every((v, k) => k === 0 || v > (out[k - 1] as number));
          return strictlyIncreasing && new Set(out).size === out.length;
        },
      ),
    );
  });
});
