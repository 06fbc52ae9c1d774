// Shelf stage adapter: takes load-cell batches as they arrive, drops duplicates, runs one pure detector per
// load cell and one assembler per shelf, and hands completed shelf interactions on. Synchronous and
// allocation-light so it never holds up the MQTT client.

import type { SensorState } from '../../shared/schemas/lane-stock.ts';
import type { LoadCellBatch } from '../../shared/schemas/load-cell-batch.ts';
import type { DetectedShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { Lane, Shelf, StoreIndex } from '../../shared/store-config.ts';
import { BatchSequencer } from './batch-sequencer.ts';
import { LaneStock, type LaneStockState, type StockNote } from './lane-stock.ts';
import type { RestoredLevel } from './level-checkpoints.ts';
import { type LaneLevel, type MissedChange, missedChange } from './missed-changes.ts';
import { PossiblyMisplaced } from './possibly-misplaced.ts';
import type { CandidateProduct } from './product-identifier.ts';
import { SensorHealth } from './sensor-health.ts';
import { type Interaction, type LaneProducts, ShelfEventAssembler } from './shelf-event-assembler.ts';
import {
  type DetectorSettings,
  defaultDetectorSettings,
  type WeightChange,
  WeightChangeDetector,
} from './weight-change-detector.ts';

/** Kept for edge/fusion/fusion-stage.ts until its owner switches to shared/schemas/shelf-event.ts (#12). */

export type BatchRejection = 'duplicate' | 'unknown-cell' | 'wrong-shelf';

/** What the shelf stage tells the rest of the edge. */
export interface ShelfMonitorListener {
  event(event: DetectedShelfEvent): void;
  reject(reason: BatchRejection, detail: string): void;
  stock(shelf: string, state: LaneStockState, notes: StockNote[]): void;
  health(shelf: string, loadCell: string, state: SensorState, previous: SensorState): void;
  /** Settled levels of a quiet shelf's lanes, to store: after a restart they tell what was missed. */
  levels?(shelf: string, levels: LaneLevel[]): void;
  /** A change found by comparing a lane's level after a restart with its stored level; billed as any. */
  missed?(shelf: string, lane: string, change: MissedChange): void;
  /** Whether a checkpoint may be taken now (nothing detected is still waiting to be decided elsewhere). */
  canCheckpoint?(): boolean;
}

/** A quiet shelf's lane levels are stored at most this often (ms of device time). */
const CHECKPOINT_EVERY_MS = 1000;
/**
 * A lane that has not settled this long after its shelf's first sample since the restart (a dead cell, a hand
 * resting on it) stops holding checkouts back; its stored level stays for the next start.
 */
const RECONCILE_GIVE_UP_MS = 10_000;

/** Prior of a neighbouring lane's product being put back onto this lane (a misplaced item, one unit). */
const NEIGHBOUR_PRIOR = 0.05;
/** Prior of a known misplaced item being what a pick on its lane took. */
const MISPLACED_PRIOR = 0.5;

interface ShelfState {
  shelf: Shelf;
  detectors: WeightChangeDetector[];
  health: SensorHealth[];
  assembler: ShelfEventAssembler;
  /** Capture time of the newest sample processed on this shelf. */
  watermarkTs: number;
  /** by lane index: the number of the last batch that carried the lane's cell */
  heardIn: Float64Array;
  /** by lane index: the level stored before a restart, until the lane's first settled level is compared */
  unreconciled: (RestoredLevel | undefined)[];
  /** Device time of the last stored checkpoint of this shelf. */
  checkpointTs: number;
  /** Device time of the first sample this process saw from the shelf (0 before any). */
  firstSampleTs: number;
}

export class ShelfMonitor {
  /** by load cell id */
  private readonly cells = new Map<string, { shelf: ShelfState; laneIndex: number }>();
  /** by shelf id */
  private readonly shelves = new Map<string, ShelfState>();
  /** by shelf controller device id */
  private readonly sequencers = new Map<string, BatchSequencer>();
  readonly stock: LaneStock;
  private readonly possiblyMisplaced = new PossiblyMisplaced();
  private readonly changes: WeightChange[] = [];
  private readonly interactions: Interaction[] = [];
  private scratch = new Float64Array(64);
  private batchStamp = 0;

  constructor(
    private readonly store: StoreIndex,
    private readonly listener: ShelfMonitorListener,
    /** Stock as last stored (after a restart); lanes not in it start at their initial units. */
    storedStock: readonly LaneStockState[] = [],
    settings: DetectorSettings = defaultDetectorSettings,
    /** Lane levels stored before a restart, with the events recorded since (level-checkpoints.ts). */
    restoredLevels: readonly RestoredLevel[] = [],
  ) {
    const stored = new Map(storedStock.map((s) => [s.lane, s]));
    const levels = new Map(restoredLevels.map((l) => [l.lane, l]));
    this.stock = new LaneStock(
      store.config.shelves.flatMap((shelf) =>
        shelf.lanes.map((lane) => ({
          lane: lane.id,
          sku: lane.sku,
          capacity: lane.capacity,
          units: lane.initialUnits,
          ...stored.get(lane.id),
        })),
      ),
    );
    for (const shelf of store.config.shelves) {
      const state: ShelfState = {
        shelf,
        detectors: shelf.lanes.map(() => new WeightChangeDetector(settings)),
        health: shelf.lanes.map(() => new SensorHealth()),
        assembler: new ShelfEventAssembler(this.laneProducts(shelf.lanes)),
        watermarkTs: 0,
        heardIn: new Float64Array(shelf.lanes.length),
        unreconciled: shelf.lanes.map((lane) => levels.get(lane.id)),
        checkpointTs: 0,
        firstSampleTs: 0,
      };
      this.shelves.set(shelf.id, state);
      shelf.lanes.forEach((lane, laneIndex) => {
        this.cells.set(lane.loadCell, { shelf: state, laneIndex });
      });
    }
  }

  /** Processes one batch from the shelf controller `shelfId` (from the topic). */
  ingest(shelfId: string, batch: LoadCellBatch): void {
    let sequencer = this.sequencers.get(batch.device);
    if (sequencer === undefined) {
      sequencer = new BatchSequencer();
      this.sequencers.set(batch.device, sequencer);
    }
    const duplicates = sequencer.counts.duplicates;
    const ready = sequencer.accept(batch);
    if (sequencer.counts.duplicates > duplicates) {
      this.listener.reject('duplicate', `${batch.device} seq ${batch.seq} already processed`);
    }
    for (const next of ready) this.process(shelfId, next);
  }

  /** A shelf controller's availability changed (retained status / last will). */
  setControllerOnline(shelfId: string, online: boolean): void {
    const state = this.shelves.get(shelfId);
    if (state === undefined) return;
    state.health.forEach((health, i) => {
      const previous = health.current();
      const now = health.setControllerOffline(!online);
      if (now !== previous)
        this.listener.health(shelfId, (state.shelf.lanes[i] as Lane).loadCell, now, previous);
    });
  }

  private process(shelfId: string, batch: LoadCellBatch): void {
    const state = this.shelves.get(shelfId);
    // lanes heard from in this batch are stamped with its number (no per-batch allocation)
    const stamp = ++this.batchStamp;
    for (const cell of batch.cells) {
      const found = this.cells.get(cell.id);
      if (found === undefined) {
        this.listener.reject('unknown-cell', `load cell ${cell.id} is not in the store config`);
        continue;
      }
      if (found.shelf !== state) {
        this.listener.reject(
          'wrong-shelf',
          `load cell ${cell.id} belongs to ${found.shelf.shelf.id}, not ${shelfId}`,
        );
        continue;
      }
      const i = found.laneIndex;
      state.heardIn[i] = stamp;
      const detector = state.detectors[i] as WeightChangeDetector;
      const samples = this.toSamples(cell.grams);
      detector.push(samples, batch.t0, batch.periodMs, this.changes);
      if (this.changes.length > 0) {
        for (const change of this.changes) state.assembler.add({ ...change, laneIndex: i });
        this.changes.length = 0;
      }
      const last = detector.lastSampleTs();
      if (last > state.watermarkTs) state.watermarkTs = last;
      if (state.unreconciled[i] !== undefined) this.reconcile(state, i, detector);
      const health = state.health[i] as SensorHealth;
      const previous = health.current();
      const now = health.observe(samples, batch.t0, batch.periodMs, detector.noise());
      if (now !== previous) this.reportHealth(state, i, now, previous);
    }
    if (state === undefined) return;
    const batchEnd = batch.t0 + batch.periodMs * ((batch.cells[0]?.grams.length ?? 1) - 1);
    for (let i = 0; i < state.health.length; i++) {
      if (state.heardIn[i] !== stamp) this.observeHealth(state, i, (health) => health.tick(batchEnd));
    }
    if (state.firstSampleTs === 0) state.firstSampleTs = batch.t0;
    else if (state.watermarkTs - state.firstSampleTs > RECONCILE_GIVE_UP_MS)
      state.unreconciled.fill(undefined);
    this.flush(state);
    this.checkpoint(state);
  }

  /**
   * First settled level after a restart: a difference from the stored level (and the events recorded since)
   * is a change the edge missed while it was down; it goes through the assembler as any change would.
   */
  private reconcile(state: ShelfState, i: number, detector: WeightChangeDetector): void {
    const stored = state.unreconciled[i];
    const level = detector.level();
    if (stored === undefined || level === undefined || detector.pendingSince() !== undefined) return;
    state.unreconciled[i] = undefined;
    const change = missedChange(
      stored,
      stored.recordedGrams,
      level,
      detector.lastSampleTs(),
      detector.noise(),
    );
    if (change === undefined) return;
    this.listener.missed?.(state.shelf.id, (state.shelf.lanes[i] as Lane).id, change);
    state.assembler.add({ ...change, peakTs: change.endTs, laneIndex: i });
  }

  /** Stores the settled levels of a quiet shelf (nothing changing, nothing waiting), at most once a second. */
  private checkpoint(state: ShelfState): void {
    if (this.listener.levels === undefined) return;
    if (state.watermarkTs - state.checkpointTs < CHECKPOINT_EVERY_MS) return;
    if (state.assembler.pendingSince() !== undefined) return;
    if (state.detectors.some((d) => d.pendingSince() !== undefined)) return;
    if (this.listener.canCheckpoint?.() === false) return;
    const levels: LaneLevel[] = [];
    state.detectors.forEach((detector, i) => {
      const grams = detector.level();
      // a lane not yet compared with its stored level keeps that level
      if (grams === undefined || state.unreconciled[i] !== undefined) return;
      levels.push({ lane: (state.shelf.lanes[i] as Lane).id, grams, ts: state.watermarkTs });
    });
    state.checkpointTs = state.watermarkTs;
    if (levels.length > 0) this.listener.levels(state.shelf.id, levels);
  }

  private reportHealth(state: ShelfState, i: number, now: SensorState, previous: SensorState): void {
    this.listener.health(state.shelf.id, (state.shelf.lanes[i] as Lane).loadCell, now, previous);
  }

  private observeHealth(state: ShelfState, i: number, update: (health: SensorHealth) => SensorState): void {
    const health = state.health[i] as SensorHealth;
    const previous = health.current();
    const now = update(health);
    if (now !== previous) this.reportHealth(state, i, now, previous);
  }

  /**
   * True when every shelf heard from has samples past `ts` + `marginMs` and nothing that began by then is
   * still unresolved: nothing a shopper did before `ts` can still turn up, nor a change that began with it
   * (an item handed over coming back just as its holder scans out). `leadMs` narrows it per shelf: nothing
   * that began on a shelf later than that long before `ts` can concern whoever asks (checkout: a shopper at the
   * exit scanner then could not have walked from it in time, walk-lead.ts).
   */
  isSettledThrough(ts: number, marginMs: number, leadMs?: (shelfId: string) => number): boolean {
    for (const state of this.shelves.values()) {
      if (state.watermarkTs === 0) continue;
      const upTo = ts - (leadMs?.(state.shelf.id) ?? 0);
      const through = upTo + marginMs;
      if (state.watermarkTs < through) return false;
      // after a restart, a lane not yet compared with its stored level may still add a missed change
      if (state.unreconciled.some((l) => l !== undefined && l.ts <= upTo)) return false;
      const since = state.assembler.pendingSince();
      if (since !== undefined && since <= through) return false;
      for (const detector of state.detectors) {
        const busy = detector.pendingSince();
        if (busy !== undefined && busy <= through) return false;
      }
    }
    return true;
  }

  /** Settled weight per load cell (grams), for stock and the floor view. */
  levelOf(loadCell: string): number | undefined {
    const found = this.cells.get(loadCell);
    return found?.shelf.detectors[found.laneIndex]?.level();
  }

  /** Health of every load cell, by shelf. */
  healthOf(shelfId: string): Record<string, SensorState> {
    const state = this.shelves.get(shelfId);
    const cells: Record<string, SensorState> = {};
    state?.health.forEach((h, i) => {
      cells[(state.shelf.lanes[i] as Lane).loadCell] = h.current();
    });
    return cells;
  }

  private flush(state: ShelfState): void {
    state.assembler.flush(state.watermarkTs, (i) => state.detectors[i]?.pendingSince(), this.interactions);
    for (const interaction of this.interactions) {
      const event = this.describe(state.shelf, interaction);
      this.listener.event(event);
      this.updateStock(state.shelf, event);
    }
    this.interactions.length = 0;
  }

  private updateStock(shelf: Shelf, event: DetectedShelfEvent): void {
    const best = event.hypotheses[0];
    this.possiblyMisplaced.note(event, this.stock.get(event.lane)?.sku);
    if (best === undefined || event.ambiguous) {
      for (const lane of event.lanes) {
        this.stock.markUncertain(lane, event.endTs);
        const state = this.stock.get(lane);
        if (state) this.listener.stock(shelf.id, state, []);
      }
      return;
    }
    const lanes = [event.lane, ...event.lanes.filter((l) => l !== event.lane)];
    const target =
      lanes.find((l) => this.stock.get(l)?.sku === best.sku) ??
      (event.kind === 'pick'
        ? lanes.find((l) => this.stock.misplacedOn(l).some((m) => m.sku === best.sku))
        : undefined) ??
      event.lane;
    const notes = this.stock.apply({
      kind: event.kind,
      lane: target,
      sku: best.sku,
      count: best.count,
      ts: event.endTs,
    });
    const state = this.stock.get(target);
    if (state) this.listener.stock(shelf.id, state, notes);
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
      pick: (i) => {
        const lane = lanes[i];
        const mine = own[i] ?? [];
        if (lane === undefined) return mine;
        const skus = new Set([
          ...this.stock.misplacedOn(lane.id).map((m) => m.sku),
          ...this.possiblyMisplaced.skusOn(lane.id),
        ]);
        for (const c of mine) skus.delete(c.sku);
        return [...mine, ...[...skus].map((sku) => this.candidate(sku, MISPLACED_PRIOR))];
      },
      putBack: (i) => {
        const mine = own[i] ?? [];
        const neighbours = [own[i - 1] ?? [], own[i + 1] ?? []]
          .flat()
          .filter((c) => !mine.some((m) => m.sku === c.sku))
          .map((c) => ({ ...c, prior: NEIGHBOUR_PRIOR, maxCount: 1 }));
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
