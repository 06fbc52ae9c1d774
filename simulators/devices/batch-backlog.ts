// A shelf controller's store-and-forward buffer, as real controllers have one: batches taken while the
// broker is unreachable wait here, in order, and go out first when it is back. Bounded: when full the oldest
// batch is dropped (the edge sees a gap and, for a lane that changed meanwhile, its level tells what happened).
import type { LoadCellBatch } from '../../shared/schemas/load-cell-batch.ts';

/** 10 minutes of 12-sample batches at 60 Hz: longer than any broker restart, ~5 MB for a 10-lane shelf. */
export const DEFAULT_BACKLOG_BATCHES = 3000;

export class BatchBacklog {
  private readonly batches: LoadCellBatch[] = [];
  /** Batches dropped because the backlog was full. */
  dropped = 0;

  constructor(readonly capacity: number = DEFAULT_BACKLOG_BATCHES) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`backlog capacity must be a whole number ≥ 1, got ${capacity}`);
  }

  get size(): number {
    return this.batches.length;
  }

  push(batch: LoadCellBatch): void {
    if (this.batches.length >= this.capacity) {
      this.batches.shift();
      this.dropped += 1;
    }
    this.batches.push(batch);
  }

  /** The oldest batch, left in place until `shift` (it goes back out only once acknowledged). */
  peek(): LoadCellBatch | undefined {
    return this.batches[0];
  }

  shift(): void {
    this.batches.shift();
  }
}
