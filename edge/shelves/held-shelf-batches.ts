// Lockstep (an evaluation): load-cell batches held as they arrive and handed to the shelf monitor together, in a
// fixed order, when the driver settles the edge. The driver can then publish a step's batches at once instead of
// one round trip each, and shelf events still reach fusion in the same order on every run.
import type { LoadCellBatch } from '../../shared/schemas/load-cell-batch.ts';

export class HeldShelfBatches {
  /** Batches received since the last release, in arrival order (which depends on the broker). */
  private held: Array<{ shelfId: string; batch: LoadCellBatch }> = [];
  /** by shelf id: its place in the store config */
  private readonly order: Map<string, number>;

  constructor(
    /** The store's shelves in config order: batches are released in this order, each shelf's by seq. */
    shelfIds: readonly string[],
    private readonly ingest: (shelfId: string, batch: LoadCellBatch) => void,
  ) {
    this.order = new Map(shelfIds.map((id, i) => [id, i]));
  }

  hold(shelfId: string, batch: LoadCellBatch): void {
    this.held.push({ shelfId, batch });
  }

  /**
   * Hands every held batch to the monitor: by the shelf's place in the store config, then by seq (unknown
   * shelves last, by id) — the order the simulated controllers produce them in.
   */
  release(): void {
    if (this.held.length === 0) return;
    const batches = this.held;
    this.held = [];
    const place = (id: string) => this.order.get(id) ?? Number.MAX_SAFE_INTEGER;
    batches.sort(
      (a, b) =>
        place(a.shelfId) - place(b.shelfId) ||
        a.shelfId.localeCompare(b.shelfId) ||
        a.batch.seq - b.batch.seq,
    );
    for (const { shelfId, batch } of batches) this.ingest(shelfId, batch);
  }
}
