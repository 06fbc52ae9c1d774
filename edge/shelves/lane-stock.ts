// Pure core: units on each lane, and misplaced items (another product put back onto a lane) until they
// are picked up again or restocked. Driven by confident shelf events; a doubtful event leaves stock as it
// is and marks the lane uncertain until staff count it.

export interface MisplacedItem {
  sku: string;
  count: number;
  /** When it was put there (device time). */
  since: number;
}

export interface LaneStockState {
  lane: string;
  sku: string | undefined;
  capacity: number;
  units: number;
  misplaced: MisplacedItem[];
  /** A doubtful event touched the lane since the last count. */
  uncertain: boolean;
  updatedAt: number;
}

export interface StockMove {
  kind: 'pick' | 'put-back';
  lane: string;
  sku: string;
  count: number;
  ts: number;
}

export type StockNote = 'below-zero' | 'over-capacity' | 'misplaced-added' | 'misplaced-removed';

export class LaneStock {
  /** by lane id */
  private readonly lanes = new Map<string, LaneStockState>();

  constructor(
    lanes: Iterable<Omit<LaneStockState, 'misplaced' | 'uncertain' | 'updatedAt'> & Partial<LaneStockState>>,
  ) {
    for (const lane of lanes) {
      this.lanes.set(lane.lane, { misplaced: [], uncertain: false, updatedAt: 0, ...lane });
    }
  }

  get(lane: string): LaneStockState | undefined {
    return this.lanes.get(lane);
  }

  all(): LaneStockState[] {
    return [...this.lanes.values()];
  }

  /** Misplaced items on a lane (candidates for what a pick there took). */
  misplacedOn(lane: string): MisplacedItem[] {
    return this.lanes.get(lane)?.misplaced ?? [];
  }

  /** Applies a confident event; returns what was notable about it. Units never go below zero. */
  apply(move: StockMove): StockNote[] {
    const state = this.lanes.get(move.lane);
    if (state === undefined) return [];
    const notes: StockNote[] = [];
    state.updatedAt = move.ts;
    const isLaneProduct = move.sku === state.sku;
    if (move.kind === 'pick') {
      const misplaced = state.misplaced.find((m) => m.sku === move.sku);
      if (!isLaneProduct && misplaced !== undefined) {
        misplaced.count -= move.count;
        state.misplaced = state.misplaced.filter((m) => m.count > 0);
        notes.push('misplaced-removed');
        return notes;
      }
      if (move.count > state.units) notes.push('below-zero');
      state.units = Math.max(0, state.units - move.count);
      return notes;
    }
    if (isLaneProduct) {
      state.units += move.count;
      if (state.units > state.capacity) notes.push('over-capacity');
      return notes;
    }
    const existing = state.misplaced.find((m) => m.sku === move.sku);
    if (existing) existing.count += move.count;
    else state.misplaced.push({ sku: move.sku, count: move.count, since: move.ts });
    notes.push('misplaced-added');
    return notes;
  }

  markUncertain(lane: string, ts: number): void {
    const state = this.lanes.get(lane);
    if (state === undefined) return;
    state.uncertain = true;
    state.updatedAt = ts;
  }

  /** Staff counted or restocked the lane: units set, misplaced items removed. */
  restock(lane: string, units: number, ts: number): void {
    const state = this.lanes.get(lane);
    if (state === undefined) return;
    state.units = Math.max(0, Math.min(units, state.capacity * 2));
    state.misplaced = [];
    state.uncertain = false;
    state.updatedAt = ts;
  }
}
