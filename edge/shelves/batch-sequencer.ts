// Pure core: puts one shelf controller's batches back in sequence order. Duplicates are dropped, a batch
// that arrives early waits for the ones before it, a gap that does not fill within a few batches is
// skipped (counted), and a controller that restarts from sequence 0 is followed.
import type { LoadCellBatch } from '../../shared/schemas/load-cell-batch.ts';

export interface SequencerCounts {
  duplicates: number;
  reordered: number;
  gaps: number;
  restarts: number;
}

/** Batches held back waiting for a missing one before the gap is given up. */
const MAX_WAITING = 3;

export class BatchSequencer {
  private nextSeq: number | undefined;
  /** Capture time of the newest batch seen: a lower sequence number with newer samples is a restart. */
  private newestT0 = Number.NEGATIVE_INFINITY;
  /** by sequence number: batches that arrived ahead of a missing one */
  private readonly waiting = new Map<number, LoadCellBatch>();
  readonly counts: SequencerCounts = { duplicates: 0, reordered: 0, gaps: 0, restarts: 0 };

  /** Returns the batches that can now be processed, in order (often just `batch`). */
  accept(batch: LoadCellBatch): LoadCellBatch[] {
    if (this.nextSeq === undefined) {
      this.nextSeq = batch.seq;
    } else if (batch.seq < this.nextSeq && batch.t0 > this.newestT0) {
      this.counts.restarts++;
      const flushed = this.flushAll();
      this.nextSeq = batch.seq;
      return [...flushed, ...this.accept(batch)];
    }
    this.newestT0 = Math.max(this.newestT0, batch.t0);
    const expected = this.nextSeq;
    if (batch.seq < expected || this.waiting.has(batch.seq)) {
      this.counts.duplicates++;
      return [];
    }
    if (batch.seq > expected) {
      this.waiting.set(batch.seq, batch);
      if (this.waiting.size < MAX_WAITING) return [];
      this.counts.gaps++;
      this.nextSeq = Math.min(...this.waiting.keys());
      return this.drain();
    }
    return [batch, ...this.advance(expected + 1)];
  }

  /** Gives up on any gap and returns everything held (a controller went quiet). */
  flushAll(): LoadCellBatch[] {
    const held = [...this.waiting.values()].sort((a, b) => a.seq - b.seq);
    this.waiting.clear();
    const last = held.at(-1);
    if (last !== undefined) {
      this.counts.gaps++;
      this.nextSeq = last.seq + 1;
    }
    return held;
  }

  private advance(next: number): LoadCellBatch[] {
    this.nextSeq = next;
    if (this.waiting.size === 0) return [];
    return this.drain();
  }

  private drain(): LoadCellBatch[] {
    const out: LoadCellBatch[] = [];
    let seq = this.nextSeq ?? 0;
    for (let batch = this.waiting.get(seq); batch !== undefined; batch = this.waiting.get(seq)) {
      this.waiting.delete(seq);
      this.counts.reordered++;
      out.push(batch);
      seq++;
    }
    this.nextSeq = seq;
    return out;
  }
}
