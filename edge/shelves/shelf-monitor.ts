// Shelf stage adapter: takes load-cell batches as they arrive, drops duplicates, runs one pure detector per
// load cell, identifies the product of each change and hands completed shelf events on. Synchronous and
// allocation-light so it never holds up the MQTT client.
import type { LoadCellBatch } from '../../shared/schemas/load-cell-batch.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { Lane, Shelf, StoreIndex } from '../../shared/store-config.ts';
import { type CandidateProduct, identifyProduct } from './product-identifier.ts';
import {
  type DetectorSettings,
  defaultDetectorSettings,
  type WeightChange,
  WeightChangeDetector,
} from './weight-change-detector.ts';

/** A shelf event before attribution. */
export type DetectedShelfEvent = Omit<ShelfEvent, 'sessionId' | 'attribution'>;

export type BatchRejection = 'duplicate' | 'unknown-cell' | 'wrong-shelf';

/** Prior of a neighbouring lane's product being put back onto this lane (a misplaced item). */
const NEIGHBOUR_PRIOR = 0.05;

interface CellState {
  lane: Lane;
  shelf: Shelf;
  detector: WeightChangeDetector;
  pickCandidates: CandidateProduct[];
  putBackCandidates: CandidateProduct[];
}

export class ShelfMonitor {
  /** by load cell id */
  private readonly cells = new Map<string, CellState>();
  /** by shelf device: last sequence number accepted */
  private readonly lastSeq = new Map<string, number>();
  /** by shelf id: capture time of the newest sample processed */
  private readonly lastSampleTs = new Map<string, number>();
  private readonly changes: WeightChange[] = [];
  private scratch = new Float64Array(64);

  constructor(
    private readonly store: StoreIndex,
    private readonly onEvent: (event: DetectedShelfEvent) => void,
    private readonly onReject: (reason: BatchRejection, detail: string) => void,
    settings: DetectorSettings = defaultDetectorSettings,
  ) {
    for (const shelf of store.config.shelves) {
      shelf.lanes.forEach((lane, i) => {
        const own = this.candidate(lane.sku, 1);
        const neighbours = [shelf.lanes[i - 1], shelf.lanes[i + 1]]
          .filter((l): l is Lane => l !== undefined && l.sku !== lane.sku)
          .map((l) => this.candidate(l.sku, NEIGHBOUR_PRIOR));
        this.cells.set(lane.loadCell, {
          lane,
          shelf,
          detector: new WeightChangeDetector(settings),
          pickCandidates: [own],
          putBackCandidates: [own, ...neighbours],
        });
      });
    }
  }

  /** Processes one batch from the shelf controller `shelfId` (from the topic). */
  ingest(shelfId: string, batch: LoadCellBatch): void {
    const last = this.lastSeq.get(batch.device);
    if (last !== undefined && batch.seq <= last && batch.seq > last - 10_000) {
      this.onReject('duplicate', `${batch.device} seq ${batch.seq} ≤ ${last}`);
      return;
    }
    this.lastSeq.set(batch.device, batch.seq);
    let newest = this.lastSampleTs.get(shelfId) ?? 0;
    for (const cell of batch.cells) {
      const state = this.cells.get(cell.id);
      if (state === undefined) {
        this.onReject('unknown-cell', `load cell ${cell.id} is not in the store config`);
        continue;
      }
      if (state.shelf.id !== shelfId) {
        this.onReject('wrong-shelf', `load cell ${cell.id} belongs to ${state.shelf.id}, not ${shelfId}`);
        continue;
      }
      const samples = this.toSamples(cell.grams);
      state.detector.push(samples, batch.t0, batch.periodMs, this.changes);
      for (const change of this.changes) this.onEvent(this.describe(state, change));
      this.changes.length = 0;
      newest = Math.max(newest, batch.t0 + (cell.grams.length - 1) * batch.periodMs);
    }
    this.lastSampleTs.set(shelfId, newest);
  }

  /**
   * True when every shelf heard from has samples past `ts` + `marginMs` and no change that began before
   * `ts` is still unresolved: nothing a shopper did before `ts` can still turn up.
   */
  isSettledThrough(ts: number, marginMs: number): boolean {
    for (const sampleTs of this.lastSampleTs.values()) if (sampleTs < ts + marginMs) return false;
    for (const state of this.cells.values()) {
      const since = state.detector.pendingSince();
      if (since !== undefined && since <= ts) return false;
    }
    return true;
  }

  /** Settled weight per load cell (grams), for stock and the floor view. */
  levelOf(loadCell: string): number | undefined {
    return this.cells.get(loadCell)?.detector.level();
  }

  private toSamples(grams: readonly (number | null)[]): Float64Array {
    if (this.scratch.length < grams.length) this.scratch = new Float64Array(grams.length);
    const view = this.scratch.subarray(0, grams.length);
    for (let i = 0; i < grams.length; i++) view[i] = grams[i] ?? Number.NaN;
    return view;
  }

  private describe(state: CellState, change: WeightChange): DetectedShelfEvent {
    const kind = change.deltaGrams < 0 ? 'pick' : 'put-back';
    const { hypotheses, ambiguous } = identifyProduct(
      change.deltaGrams,
      change.deltaSdGrams,
      kind === 'pick' ? state.pickCandidates : state.putBackCandidates,
    );
    return {
      v: 1,
      eventId: `${state.lane.loadCell}@${Math.round(change.startTs)}`,
      kind,
      shelf: state.shelf.id,
      lane: state.lane.id,
      loadCell: state.lane.loadCell,
      startTs: change.startTs,
      endTs: change.endTs,
      deltaGrams: Math.round(change.deltaGrams * 10) / 10,
      deltaSdGrams: Math.round(change.deltaSdGrams * 100) / 100,
      hypotheses,
      ambiguous,
    };
  }

  private candidate(sku: string, prior: number): CandidateProduct {
    const product = this.store.productBySku.get(sku);
    if (product === undefined) throw new Error(`lane product ${sku} missing from catalog`);
    return { sku, unitGrams: product.unitGrams, unitGramsSd: product.unitGramsSd, prior };
  }
}
