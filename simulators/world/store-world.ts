// The store's true physical state: every unit on every lane with its own weight, and each shopper's basket.
// Pure and synchronous; picks and put-backs that cannot happen physically are refused with a reason.
import type { Random } from '../../shared/random.ts';
import type { Product, StoreIndex } from '../../shared/store-config.ts';

export interface Unit {
  sku: string;
  /** True weight of this unit, drawn once from the product's unitGrams ± unitGramsSd. */
  grams: number;
  /** The shopper who took it off the shelf (pays for it, even after handing it to someone else). */
  owner?: string;
}

export type MoveResult =
  | { ok: true; sku: string; units: Unit[]; grams: number; laneGramsAfter: number }
  | { ok: false; reason: string };

/** Unit weights never fall below this, however wide a product's spread. */
const MIN_UNIT_GRAMS = 0.5;

export function drawUnitGrams(product: Product, random: Random): number {
  const grams = product.unitGrams + product.unitGramsSd * random.normal();
  return Math.max(MIN_UNIT_GRAMS, Math.round(grams * 10) / 10);
}

/** `count` new units of `product`, each weighed from `random`. */
function freshUnits(product: Product, count: number, random: Random): Unit[] {
  return Array.from({ length: count }, () => ({ sku: product.sku, grams: drawUnitGrams(product, random) }));
}

export class StoreWorld {
  /** by lane id; the end of the array is the front of the lane (picked first). */
  private readonly unitsByLane = new Map<string, Unit[]>();
  /** by shopper id */
  private readonly baskets = new Map<string, Unit[]>();

  private constructor(readonly store: StoreIndex) {}

  /** Fills every lane with its initialUnits, each unit weighed from `random`. */
  static stocked(store: StoreIndex, random: Random): StoreWorld {
    const world = new StoreWorld(store);
    for (const shelf of store.config.shelves) {
      for (const lane of shelf.lanes) {
        const product = lane.sku === undefined ? undefined : world.product(lane.sku);
        world.unitsByLane.set(
          lane.id,
          product === undefined ? [] : freshUnits(product, lane.initialUnits, random),
        );
      }
    }
    return world;
  }

  laneUnits(laneId: string): readonly Unit[] {
    return this.unitsByLane.get(laneId) ?? [];
  }

  /** Sum of the true weights of the units on the lane (the load cell reads this plus tare and noise). */
  laneGrams(laneId: string): number {
    return sumGrams(this.laneUnits(laneId));
  }

  basket(shopperId: string): readonly Unit[] {
    return this.baskets.get(shopperId) ?? [];
  }

  /** The shopper leaves with the basket: returns and forgets it. */
  takeBasket(shopperId: string): Unit[] {
    const basket = this.baskets.get(shopperId) ?? [];
    this.baskets.delete(shopperId);
    return basket;
  }

  /** Moves `count` units from the front of the lane into the shopper's basket, or refuses. */
  pick(shopperId: string, laneId: string, count: number): MoveResult {
    const lane = this.unitsByLane.get(laneId);
    if (lane === undefined) return { ok: false, reason: `unknown lane ${laneId}` };
    if (lane.length < count) {
      return { ok: false, reason: `lane ${laneId} has ${lane.length} units, cannot pick ${count}` };
    }
    const units = lane.splice(lane.length - count, count).map((u) => ({ ...u, owner: shopperId }));
    this.basketOf(shopperId).push(...units);
    // A misplaced unit at the front of the lane leaves with the pick; name it when all units agree.
    const first = units[0]?.sku;
    const sku =
      first !== undefined && units.every((u) => u.sku === first) ? first : (this.laneSku(laneId) ?? 'mixed');
    return { ok: true, sku, units, grams: sumGrams(units), laneGramsAfter: sumGrams(lane) };
  }

  /**
   * Moves `count` units of `sku` (by default the lane's own product) from the basket onto the lane,
   * most recently picked first; a different SKU makes a misplaced item.
   */
  putBack(shopperId: string, laneId: string, count: number, sku?: string): MoveResult {
    const lane = this.unitsByLane.get(laneId);
    const laneInfo = this.store.laneById.get(laneId);
    if (lane === undefined || laneInfo === undefined) return { ok: false, reason: `unknown lane ${laneId}` };
    const wanted = sku ?? laneInfo.lane.sku;
    if (wanted === undefined)
      return { ok: false, reason: `lane ${laneId} has no product: name the SKU to put back` };
    const basket = this.basketOf(shopperId);
    const held = basket.filter((u) => u.sku === wanted).length;
    if (held < count) {
      return {
        ok: false,
        reason: `${shopperId}'s basket holds ${held} × ${wanted}, cannot put back ${count}`,
      };
    }
    if (lane.length + count > laneInfo.lane.capacity) {
      return {
        ok: false,
        reason: `lane ${laneId} holds ${lane.length} of ${laneInfo.lane.capacity}, no room for ${count}`,
      };
    }
    const units: Unit[] = [];
    for (let i = basket.length - 1; i >= 0 && units.length < count; i--) {
      const unit = basket[i];
      if (unit?.sku !== wanted) continue;
      basket.splice(i, 1);
      units.push(unit);
    }
    lane.push(...units.map(({ owner: _, ...u }) => u));
    return { ok: true, sku: wanted, units, grams: sumGrams(units), laneGramsAfter: sumGrams(lane) };
  }

  /**
   * A clerk's round: every lane holding fewer units than it was stocked with gets its own product topped up
   * behind the units still there (the front is picked first), each new unit weighed from `random`. Misplaced
   * items stay where shoppers left them. Returns the units added, by lane.
   */
  restock(random: Random): Array<{ lane: string; sku: string; units: number }> {
    const added: Array<{ lane: string; sku: string; units: number }> = [];
    for (const shelf of this.store.config.shelves) {
      for (const lane of shelf.lanes) {
        const units = this.unitsByLane.get(lane.id);
        const product = lane.sku === undefined ? undefined : this.product(lane.sku);
        if (units === undefined || product === undefined) continue;
        // the store config holds initialUnits within capacity
        const missing = lane.initialUnits - units.length;
        if (missing <= 0) continue;
        units.unshift(...freshUnits(product, missing, random));
        added.push({ lane: lane.id, sku: product.sku, units: missing });
      }
    }
    return added;
  }

  /** Gives `count` units of `sku` from one basket to another (the owner stays who picked them). */
  handOver(from: string, to: string, sku: string, count: number): MoveResult {
    const basket = this.basketOf(from);
    const held = basket.filter((u) => u.sku === sku).length;
    if (held < count)
      return { ok: false, reason: `${from}'s basket holds ${held} × ${sku}, cannot hand ${count}` };
    const units: Unit[] = [];
    for (let i = basket.length - 1; i >= 0 && units.length < count; i--) {
      const unit = basket[i];
      if (unit?.sku !== sku) continue;
      basket.splice(i, 1);
      units.push(unit);
    }
    this.basketOf(to).push(...units);
    return { ok: true, sku, units, grams: sumGrams(units), laneGramsAfter: 0 };
  }

  private basketOf(shopperId: string): Unit[] {
    let basket = this.baskets.get(shopperId);
    if (basket === undefined) {
      basket = [];
      this.baskets.set(shopperId, basket);
    }
    return basket;
  }

  private laneSku(laneId: string): string | undefined {
    const info = this.store.laneById.get(laneId);
    if (info === undefined) throw new RangeError(`unknown lane ${laneId}`);
    return info.lane.sku;
  }

  private product(sku: string): Product {
    const product = this.store.productBySku.get(sku);
    if (product === undefined) throw new RangeError(`unknown SKU ${sku}`);
    return product;
  }
}

export function sumGrams(units: readonly Unit[]): number {
  let total = 0;
  for (const u of units) total += u.grams;
  return Math.round(total * 10) / 10;
}
