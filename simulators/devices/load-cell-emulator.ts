// The shelf controllers' sampling, without I/O: one controller per shelf samples all its lanes' cells at the
// store's rate and closes a LoadCellBatch every samplesPerBatch samples. The caller decides when "now" is.
import type { Random } from '../../shared/random.ts';
import type { LoadCellBatch } from '../../shared/schemas/load-cell-batch.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import { deriveRandom } from '../world/derived-random.ts';
import type { CellFault } from './cell-faults.ts';
import { CellSignal } from './cell-signal.ts';
import { type HandInteraction, type HandStyle, planBump, planInteraction } from './hand-interaction.ts';
import type { NoiseProfile } from './noise-profiles.ts';

export interface LoadCellEmulatorOptions {
  store: StoreIndex;
  seed: number;
  noise: NoiseProfile;
  /** Device time the controllers power up, ms epoch; each shelf's first batch starts within a batch of it. */
  startTs: number;
  /** Settled contents of a lane at power-up, grams (from the world model). */
  laneGrams: (laneId: string) => number;
}

interface ShelfController {
  shelfId: string;
  cells: CellSignal[];
  /** t0 of batch 0; batch k starts at originTs + k × batch duration (no float drift over long runs). */
  originTs: number;
  seq: number;
}

const TARE_MIN_GRAMS = 400;
const TARE_MAX_GRAMS = 2000;

export class LoadCellEmulator {
  readonly periodMs: number;
  readonly samplesPerBatch: number;
  /** by shelf id */
  private readonly controllers = new Map<string, ShelfController>();
  /** by lane id */
  private readonly cellByLane = new Map<string, CellSignal>();

  constructor(options: LoadCellEmulatorOptions) {
    const { store, seed, noise, startTs } = options;
    this.periodMs = 1000 / store.config.loadCells.sampleRateHz;
    this.samplesPerBatch = store.config.loadCells.samplesPerBatch;
    const batchMs = this.periodMs * this.samplesPerBatch;
    for (const shelf of store.config.shelves) {
      // Controllers are not synchronised: each starts at its own offset within the first batch.
      const stagger = deriveRandom(seed, `shelf:${shelf.id}`).next() * batchMs;
      const cells = shelf.lanes.map((lane) => {
        const random = deriveRandom(seed, `cell:${lane.loadCell}`);
        const tare = Math.round(TARE_MIN_GRAMS + (TARE_MAX_GRAMS - TARE_MIN_GRAMS) * random.next());
        const cell = new CellSignal(lane.loadCell, tare, options.laneGrams(lane.id), noise, random);
        this.cellByLane.set(lane.id, cell);
        return cell;
      });
      this.controllers.set(shelf.id, { shelfId: shelf.id, cells, originTs: startTs + stagger, seq: 0 });
    }
  }

  /** Starts a hand interaction on a lane at `startTs` that changes its contents by `deltaGrams`. */
  interact(
    laneId: string,
    startTs: number,
    deltaGrams: number,
    random: Random,
    style: HandStyle = 'normal',
  ): HandInteraction {
    const interaction = planInteraction(startTs, deltaGrams, random, style);
    this.cellOf(laneId).interact(interaction);
    return interaction;
  }

  /** Knocks a lane without moving anything on it (a transient that returns to the same level). */
  bump(laneId: string, startTs: number, random: Random): HandInteraction {
    const interaction = planBump(startTs, random);
    this.cellOf(laneId).interact(interaction);
    return interaction;
  }

  /** Gives the lane's cell a fault (dead, stuck, tare jump, temperature drift). */
  fault(laneId: string, fault: CellFault): void {
    this.cellOf(laneId).fault(fault);
  }

  private cellOf(laneId: string): CellSignal {
    const cell = this.cellByLane.get(laneId);
    if (cell === undefined) throw new RangeError(`unknown lane ${laneId}`);
    return cell;
  }

  /** The cell under a lane (tests read its tare and target level). */
  cell(laneId: string): CellSignal | undefined {
    return this.cellByLane.get(laneId);
  }

  /** Every batch whose last sample has been captured by `now`, in time order per shelf. */
  produceDue(now: number): LoadCellBatch[] {
    const batches: LoadCellBatch[] = [];
    for (const controller of this.controllers.values()) {
      while (this.lastSampleTs(controller) <= now) batches.push(this.closeBatch(controller));
    }
    return batches;
  }

  /** Device time at which the next batch of any shelf becomes due. */
  nextDueTs(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const controller of this.controllers.values()) next = Math.min(next, this.lastSampleTs(controller));
    return next;
  }

  private batchT0(controller: ShelfController): number {
    return controller.originTs + controller.seq * this.samplesPerBatch * this.periodMs;
  }

  private lastSampleTs(controller: ShelfController): number {
    return this.batchT0(controller) + (this.samplesPerBatch - 1) * this.periodMs;
  }

  private closeBatch(controller: ShelfController): LoadCellBatch {
    const t0 = this.batchT0(controller);
    const cells = controller.cells.map((cell) => {
      const grams: (number | null)[] = [];
      for (let i = 0; i < this.samplesPerBatch; i++) grams.push(cell.read(t0 + i * this.periodMs));
      return { id: cell.cellId, grams };
    });
    const batch: LoadCellBatch = {
      v: 1,
      device: controller.shelfId,
      seq: controller.seq,
      t0: Math.round(t0 * 1000) / 1000,
      periodMs: this.periodMs,
      cells,
    };
    controller.seq += 1;
    return batch;
  }
}
