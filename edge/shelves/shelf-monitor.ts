// Shelf stage adapter: takes load-cell batches as they arrive, drops duplicates, runs one pure detector per
// load cell and one assembler per shelf, and hands completed shelf interactions on. Synchronous and
// allocation-light so it never holds up the MQTT client.
import type { LoadCellBatch } from '../../shared/schemas/load-cell-batch.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { Lane, Shelf, StoreIndex } from '../../shared/store-config.ts';
import type { CandidateProduct } from './product-identifier.ts';
import { type Interaction, type LaneProducts, ShelfEventAssembler } from './shelf-event-assembler.ts';
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

interface ShelfState {
  shelf: Shelf;
  detectors: WeightChangeDetector[];
  assembler: ShelfEventAssembler;
  /** Capture time of the newest sample processed on this shelf. */
  watermarkTs: number;
}

export class ShelfMonitor {
  /** by load cell id */
  private readonly cells = new Map<string, { shelf: ShelfState; laneIndex: number }>();
  /** by shelf id */
  private readonly shelves = new Map<string, ShelfState>();
  /** by shelf device: last sequence number accepted */
  private readonly lastSeq = new Map<string, number>();
  private readonly changes: WeightChange[] = [];
  private readonly interactions: Interaction[] = [];
  private scratch = new Float64Array(64);

  constructor(
    private readonly store: StoreIndex,
    private readonly onEvent: (event: DetectedShelfEvent) => void,
    private readonly onReject: (reason: BatchRejection, detail: string) => void,
    settings: DetectorSettings = defaultDetectorSettings,
  ) {
    for (const shelf of store.config.shelves) {
      const state: ShelfState = {
        shelf,
        detectors: shelf.lanes.map(() => new WeightChangeDetector(settings)),
        assembler: new ShelfEventAssembler(this.laneProducts(shelf.lanes)),
        watermarkTs: 0,
      };
      this.shelves.set(shelf.id, state);
      shelf.lanes.forEach((lane, laneIndex) => {
        this.cells.set(lane.loadCell, { shelf: state, laneIndex });
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
    const state = this.shelves.get(shelfId);
    this.lastSeq.set(batch.device, batch.seq);
    for (const cell of batch.cells) {
      const found = this.cells.get(cell.id);
      if (found === undefined) {
        this.onReject('unknown-cell', `load cell ${cell.id} is not in the store config`);
        continue;
      }
      if (found.shelf !== state) {
        this.onReject(
          'wrong-shelf',
          `load cell ${cell.id} belongs to ${found.shelf.shelf.id}, not ${shelfId}`,
        );
        continue;
      }
      const detector = found.shelf.detectors[found.laneIndex] as WeightChangeDetector;
      detector.push(this.toSamples(cell.grams), batch.t0, batch.periodMs, this.changes);
      for (const change of this.changes) found.shelf.assembler.add({ ...change, laneIndex: found.laneIndex });
      this.changes.length = 0;
      found.shelf.watermarkTs = Math.max(found.shelf.watermarkTs, detector.lastSampleTs());
    }
    if (state !== undefined) this.flush(state);
  }

  /**
   * True when every shelf heard from has samples past `ts` + `marginMs` and nothing that began before
   * `ts` is still unresolved: nothing a shopper did before `ts` can still turn up.
   */
  isSettledThrough(ts: number, marginMs: number): boolean {
    for (const state of this.shelves.values()) {
      if (state.watermarkTs === 0) continue;
      if (state.watermarkTs < ts + marginMs) return false;
      const since = state.assembler.pendingSince();
      if (since !== undefined && since <= ts) return false;
      for (const detector of state.detectors) {
        const busy = detector.pendingSince();
        if (busy !== undefined && busy <= ts) return false;
      }
    }
    return true;
  }

  /** Settled weight per load cell (grams), for stock and the floor view. */
  levelOf(loadCell: string): number | undefined {
    const found = this.cells.get(loadCell);
    return found?.shelf.detectors[found.laneIndex]?.level();
  }

  private flush(state: ShelfState): void {
    state.assembler.flush(state.watermarkTs, (i) => state.detectors[i]?.pendingSince(), this.interactions);
    for (const interaction of this.interactions) this.onEvent(this.describe(state.shelf, interaction));
    this.interactions.length = 0;
  }

  private toSamples(grams: readonly (number | null)[]): Float64Array {
    if (this.scratch.length < grams.length) this.scratch = new Float64Array(grams.length);
    const view = this.scratch.subarray(0, grams.length);
    for (let i = 0; i < grams.length; i++) view[i] = grams[i] ?? Number.NaN;
    return view;
  }

  private describe(shelf: Shelf, interaction: Interaction): DetectedShelfEvent {
    const primary = shelf.lanes[interaction.primary] as Lane;
    return {
      v: 1,
      eventId: `${primary.loadCell}@${Math.round(interaction.startTs)}`,
      kind: interaction.kind,
      shelf: shelf.id,
      lane: primary.id,
      lanes: interaction.lanes.map((i) => (shelf.lanes[i] as Lane).id),
      loadCell: primary.loadCell,
      startTs: interaction.startTs,
      endTs: interaction.endTs,
      peakTs: interaction.peakTs,
      deltaGrams: Math.round(interaction.deltaGrams * 10) / 10,
      deltaSdGrams: Math.round(interaction.deltaSdGrams * 100) / 100,
      hypotheses: interaction.identification.hypotheses,
      ambiguous: interaction.identification.ambiguous,
    };
  }

  private laneProducts(lanes: Lane[]): LaneProducts {
    const own = lanes.map((lane) => (lane.sku === undefined ? [] : [this.candidate(lane.sku, 1)]));
    return {
      pick: (i) => own[i] ?? [],
      putBack: (i) => {
        const mine = own[i] ?? [];
        const neighbours = [own[i - 1] ?? [], own[i + 1] ?? []]
          .flat()
          .filter((c) => !mine.some((m) => m.sku === c.sku))
          .map((c) => ({ ...c, prior: NEIGHBOUR_PRIOR }));
        return [...mine, ...neighbours];
      },
    };
  }

  private candidate(sku: string, prior: number): CandidateProduct {
    const product = this.store.productBySku.get(sku);
    if (product === undefined) throw new Error(`lane product ${sku} missing from catalog`);
    return { sku, unitGrams: product.unitGrams, unitGramsSd: product.unitGramsSd, prior };
  }
}
