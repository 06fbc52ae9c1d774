// What every scenario-family builder works with: the context it draws from (store sites, seeded random,
// variant, parameters, shopper names), the draft it returns, and helpers to choose shelves and lanes.
import type { Random } from '../../../shared/random.ts';
import type { CameraDarkFault } from '../scenario-schema.ts';
import type { SiteLane, SiteShelf, SiteSpot, StoreSites } from '../store-sites.ts';
import type { TimedVisit, VisitDraft } from '../visit-schedule.ts';

/** Parameters of the families (each family reads its own; see FAMILIES in family-generator.ts). */
export interface FamilyParams {
  /** crowd-at-shelf: people picking at the one shelf at once, 2–6. */
  people: number;
  /** family: people on the one scan, 2–5. */
  size: number;
  /** same-lane: seconds between the two grabs, 0–2. */
  gapS: number;
  /** dark-camera, noisy-cells: shoppers, 2–3. */
  shoppers: number;
  /** lost-at-gate: seconds the cameras seeing the entry stay dark, 2–10. */
  darkS: number;
}

export interface FamilyContext {
  family: string;
  sites: StoreSites;
  random: Random;
  variant: string;
  params: FamilyParams;
  /** Shopper ids: distinct, in a random order. */
  names: readonly string[];
  /** The last action (exit scan) should come no later than this, seconds. */
  maxEndS: number;
}

export interface FamilyDraft {
  /** One or two sentences saying what happens (the scenario's description starts with it). */
  summary: string;
  /** In entry order. */
  visits: VisitDraft[];
  noise?: 'noisy';
  /** Camera faults, placed once the visits are timed. */
  faults?: (timed: TimedVisit[]) => CameraDarkFault[];
}

export type FamilyBuilder = (ctx: FamilyContext) => FamilyDraft;

export class FamilyError extends Error {
  readonly code = 'FAMILY_IMPOSSIBLE';
  constructor(
    readonly family: string,
    readonly reason: string,
  ) {
    super(`cannot generate ${family}: ${reason}`);
  }
}

export interface ShelfNeeds {
  /** Stocked lanes passing `usable` the shelf must have. */
  lanes: number;
  usable?: (lane: SiteLane) => boolean;
  /** Places to stand (lanes, stocked or not) the shelf must have; default none beyond its lanes. */
  spots?: number;
  /** Shelves already taken. */
  except?: readonly SiteShelf[];
}

/**
 * A random shelf near enough to the gates for a short scenario (its round trip leaves time for the
 * actions) with what the family needs; its `lanes` are only the usable ones.
 */
export function nearShelf(ctx: FamilyContext, needs: ShelfNeeds): SiteShelf {
  const { usable = () => true, except = [] } = needs;
  const qualifying = (shelves: readonly SiteShelf[]) =>
    shelves
      .map((s) => ({ ...s, lanes: s.lanes.filter(usable) }))
      .filter(
        (s) =>
          s.lanes.length >= needs.lanes &&
          s.spots.length >= (needs.spots ?? 0) &&
          !except.some((e) => e.id === s.id),
      );
  const near = qualifying(ctx.sites.nearShelves(ctx.maxEndS * NEAR_SHARE_OF_BUDGET, NEAR_AT_LEAST));
  if (near.length > 0) return ctx.random.pick(near);
  const any = qualifying(ctx.sites.shelves);
  if (any.length === 0)
    throw new FamilyError(
      ctx.family,
      `no shelf has ${needs.lanes} usable stocked lanes${needs.spots ? ` and ${needs.spots} places to stand` : ''}`,
    );
  return ctx.random.pick(any);
}

/** Share of the time budget a shelf's round trip may take to count as near (the rest is for the actions). */
const NEAR_SHARE_OF_BUDGET = 0.65;
/** Shelves always considered, nearest first, when fewer are near (a big store). */
const NEAR_AT_LEAST = 3;

/** `n` lanes of the shelf `gap` lanes apart (closer when the shelf is too short), at a random place on it. */
export function laneRow(ctx: FamilyContext, shelf: SiteShelf, n: number, gap: number): SiteLane[] {
  return rowIndices(ctx, shelf.id, shelf.lanes.length, n, gap).map((i) => laneAt(shelf, i));
}

function rowIndices(ctx: FamilyContext, shelfId: string, length: number, n: number, gap: number): number[] {
  let step = gap;
  while (step > 1 && (n - 1) * step + 1 > length) step--;
  const span = (n - 1) * step + 1;
  if (span > length) throw new FamilyError(ctx.family, `shelf ${shelfId} has fewer than ${n} lanes`);
  const start = ctx.random.int(0, length - span);
  return Array.from({ length: n }, (_, k) => start + k * step);
}

export function laneAt(shelf: SiteShelf, index: number): SiteLane {
  const lane = shelf.lanes[index];
  if (lane === undefined) throw new RangeError(`shelf ${shelf.id} has no lane #${index}`);
  return lane;
}

/** The lane next to `lane` on its shelf (towards the shelf's start when it is the last one). */
export function neighbourOf(shelf: SiteShelf, lane: SiteLane, side: 1 | -1 = 1): SiteLane {
  const i = shelf.lanes.indexOf(lane);
  return shelf.lanes[i + side] ?? laneAt(shelf, i - side);
}

/** A random time offset in [lo, hi] seconds, in tenths. */
export function offsetS(random: Random, lo: number, hi: number): number {
  return Math.round((lo + random.next() * (hi - lo)) * 10) / 10;
}

export function nameAt(ctx: FamilyContext, i: number): string {
  const name = ctx.names[i];
  if (name === undefined) throw new RangeError(`only ${ctx.names.length} shopper names`);
  return name;
}

/** Units each lane still holds after the picks planned so far, so nobody plans to take from an empty lane. */
export class LaneStock {
  /** by lane id: units taken by the draft so far */
  private readonly taken = new Map<string, number>();

  has(lane: SiteLane, count: number): boolean {
    return lane.units - (this.taken.get(lane.id) ?? 0) >= count;
  }

  /** Plans taking `count` units (the caller checked `has`, or knows the lane holds enough). */
  take(lane: SiteLane, count: number): number {
    if (!this.has(lane, count)) throw new RangeError(`lane ${lane.id} holds fewer than ${count} more units`);
    this.taken.set(lane.id, (this.taken.get(lane.id) ?? 0) + count);
    return count;
  }
}

/** `n` places to stand on the shelf `gap` lanes apart (closer when it is too short), at a random place. */
export function spotRow(ctx: FamilyContext, shelf: SiteShelf, n: number, gap: number): SiteSpot[] {
  const indices = rowIndices(ctx, shelf.id, shelf.spots.length, n, gap);
  return indices.map((i) => shelf.spots[i] as SiteSpot);
}

/**
 * `n` people side by side at the shelf, each at a place of their own (every other lane when the shelf is
 * long enough), with the free place beside each (their own when they stand shoulder to shoulder).
 */
export function sideBySide(
  ctx: FamilyContext,
  shelf: SiteShelf,
  n: number,
): Array<{ home: SiteSpot; beside: SiteSpot }> {
  const homes = spotRow(ctx, shelf, n, 2);
  const index = (spot: SiteSpot | undefined) => (spot === undefined ? -1 : shelf.spots.indexOf(spot));
  const spaced = n === 1 || Math.abs(index(homes[1]) - index(homes[0])) > 1;
  return homes.map((home) => {
    const at = index(home);
    return { home, beside: spaced ? (shelf.spots[at + 1] ?? shelf.spots[at - 1] ?? home) : home };
  });
}

/** The usable stocked lane nearest a place to stand (its own lane when it is one), that still has `count`. */
export function laneNear(
  shelf: SiteShelf,
  spot: SiteSpot,
  stock: LaneStock,
  count = 1,
): SiteLane | undefined {
  const at = shelf.spots.indexOf(spot);
  const distance = (lane: SiteLane) => Math.abs(shelf.spots.findIndex((s) => s.id === lane.id) - at);
  return [...shelf.lanes].filter((l) => stock.has(l, count)).sort((a, b) => distance(a) - distance(b))[0];
}

/** `laneNear`, planning to take `count` units from it; a family error when the shelf has run out. */
export function takeNear(
  ctx: FamilyContext,
  shelf: SiteShelf,
  spot: SiteSpot,
  stock: LaneStock,
  count = 1,
): SiteLane {
  const lane = laneNear(shelf, spot, stock, count);
  if (lane === undefined) throw new FamilyError(ctx.family, `shelf ${shelf.id} runs out of units`);
  stock.take(lane, count);
  return lane;
}

/** `standAt` for reaching into `lane` from `spot` (nothing when it is the lane in front). */
export const reachFrom = (spot: SiteSpot, lane: SiteLane): { standAt?: SiteSpot } =>
  lane.id === spot.id ? {} : { standAt: spot };

/** The ids of lanes, joined for a description. */
export const idsOf = (lanes: readonly SiteSpot[]) => lanes.map((l) => l.id).join(', ');

/** The entry of `table` for the context's variant (every variant of a family must have one). */
export function byVariant<T>(ctx: FamilyContext, table: Readonly<Record<string, T>>): T {
  const value = table[ctx.variant];
  if (value === undefined) throw new FamilyError(ctx.family, `unknown variant ${ctx.variant}`);
  return value;
}
