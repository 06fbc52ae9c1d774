// Families where the devices make it hard: a ceiling camera over the shoppers going dark while they pick,
// and load cells on the `noisy` profile.
import type { Point } from '../../vision/floor-planner.ts';
import type { SiteLane, SiteShelf } from '../store-sites.ts';
import type { Step, TimedVisit, VisitDraft } from '../visit-schedule.ts';
import {
  byVariant,
  type FamilyBuilder,
  FamilyError,
  idsOf,
  LaneStock,
  nameAt,
  nearShelf,
  offsetS,
  reachFrom,
  sideBySide,
  takeNear,
} from './family-kit.ts';

/** Seconds within which people meant to be at a shelf together start their moves. */
const TOGETHER_WITHIN_S = 1.5;
/** A camera counts as seeing a spot this many pixels in from its image border (a person is not a point). */
const SEES_MARGIN_PX = 10;
/** Dark camera: the feed dies this long before the first pick and comes back this long after the last. */
const DARK_AROUND_S = 3;
/** Dark camera `blink`: the feed dies half a second before the first pick for this long, seconds. */
const BLINK_S = 3;
/** Light items: products in the lightest share of the store's stocked lanes (hardest to see in noise). */
const LIGHT_SHARE = 1 / 3;

/**
 * `shoppers` people pick side by side at a shelf a ceiling camera sees, and it goes dark (`camera-dark`)
 * while they do. Variants: `one-camera` (the camera nearest the spot, from before the first pick to after
 * the last), `every-camera` (every camera seeing the spot: nobody sees it), `blink` (3 s as they reach).
 */
export const darkCamera: FamilyBuilder = (ctx) => {
  const { random, variant, params, sites } = ctx;
  if (sites.store.cameras.length === 0) throw new FamilyError(ctx.family, 'the store has no cameras');
  const n = params.shoppers;
  const stock = new LaneStock();
  const seen = (l: SiteLane) => l.units >= 2 && sites.camerasSeeing(l.stand, SEES_MARGIN_PX).length > 0;
  const shelf = nearShelf(ctx, { lanes: Math.ceil(n / 2), usable: seen, spots: n });
  const places = sideBySide(ctx, shelf, n).map(({ home, beside }) => ({
    home,
    first: takeNear(ctx, shelf, home, stock),
    second: takeNear(ctx, shelf, beside, stock),
  }));
  const centre = (places[Math.floor(n / 2)] ?? places[0])?.first;
  if (centre === undefined) throw new RangeError('dark-camera needs shoppers');
  // every camera with the spot anywhere in its image, or the nearest one that sees it well
  const cameras =
    variant === 'every-camera'
      ? sites.camerasSeeing(centre.stand)
      : [nearestCamera(ctx, sites.camerasSeeing(centre.stand, SEES_MARGIN_PX), centre.stand)];
  const together = (group: string) => ({ group, offsetS: offsetS(random, 0, TOGETHER_WITHIN_S) });
  const visits: VisitDraft[] = places.map(({ home, first, second }, i) => ({
    id: nameAt(ctx, i),
    steps: [
      { do: 'pick', lane: first, ...reachFrom(home, first), sync: together('under') },
      { do: 'pick', lane: second, ...reachFrom(home, second), sync: together('again') },
    ],
  }));
  const faults = (timed: TimedVisit[]) => {
    const first = Math.min(...timed.map((t) => t.stepAt[0] ?? 0));
    const last = Math.max(...timed.map((t) => t.stepAt[1] ?? 0));
    const [at, forS] =
      variant === 'blink'
        ? [first - 0.5, BLINK_S]
        : [first - DARK_AROUND_S, last - first + 2 * DARK_AROUND_S];
    return cameras.map((camera) => ({
      at: tenth(Math.max(0, at)),
      do: 'camera-dark' as const,
      camera,
      forS: tenth(forS),
    }));
  };
  const how = byVariant(ctx, {
    'one-camera': `${cameras.join('')}, the camera nearest them, is dark from before their first pick to after their last`,
    'every-camera': `every camera seeing the spot (${cameras.join(', ')}) is dark while they pick`,
    blink: `${cameras.join('')} blinks out for ${BLINK_S} s just as they reach in`,
  });
  random.shuffle(visits);
  return {
    summary: `${n} shoppers pick side by side in front of ${idsOf(places.map((p) => p.home))} (shelf ${shelf.id}); ${how}.`,
    visits,
    faults,
  };
};

function nearestCamera(ctx: Parameters<FamilyBuilder>[0], ids: string[], p: Point): string {
  const cameras = ctx.sites.store.cameras.filter((c) => ids.includes(c.id));
  const distance = (c: { position: Point }) => Math.hypot(c.position.x - p.x, c.position.y - p.y);
  const nearest = [...cameras].sort((a, b) => distance(a) - distance(b))[0];
  if (nearest === undefined) throw new FamilyError(ctx.family, `no camera sees ${p.x}, ${p.y}`);
  return nearest.id;
}

/**
 * `shoppers` people on the `noisy` load-cell profile, each picking twice: one takes two units at once, one
 * puts an item back. Variants: `apart` (each at a shelf of their own), `same-shelf` (side by side, at the
 * same time), `light-items` (only the lightest products of the store, the hardest to tell from noise).
 */
export const noisyCells: FamilyBuilder = (ctx) => {
  const { random, variant, params, sites } = ctx;
  const n = params.shoppers;
  const grams = sites.shelves.flatMap((s) => s.lanes.map((l) => l.unitGrams)).sort((a, b) => a - b);
  const lightest = grams[Math.max(0, Math.ceil(grams.length * LIGHT_SHARE) - 1)] ?? Number.POSITIVE_INFINITY;
  const usable = (l: SiteLane) => l.units >= 3 && (variant !== 'light-items' || l.unitGrams <= lightest);
  const stock = new LaneStock();
  // shopper 0 takes two units at once the second time; shopper 1 puts the first item back
  const counts = (i: number) => (i === 0 ? 2 : 1);
  let plans: Array<{ a: SiteLane; b: SiteLane; standA: object; standB: object }>;
  if (variant === 'same-shelf') {
    const shelf = nearShelf(ctx, { lanes: n, usable, spots: n });
    plans = sideBySide(ctx, shelf, n).map(({ home, beside }, i) => {
      const a = takeNear(ctx, shelf, home, stock);
      const b = takeNear(ctx, shelf, beside, stock, counts(i));
      return { a, b, standA: reachFrom(home, a), standB: reachFrom(home, b) };
    });
  } else {
    const used: SiteShelf[] = [];
    plans = Array.from({ length: n }, (_, i) => {
      const shelf = nearShelf(ctx, { lanes: 2, usable, except: used });
      used.push(shelf);
      const [a, b] = random.shuffle([...shelf.lanes]) as [SiteLane, SiteLane];
      stock.take(a, 1);
      stock.take(b, counts(i));
      return { a, b, standA: {}, standB: {} };
    });
  }
  const together = (group: string) =>
    variant === 'same-shelf' ? { sync: { group, offsetS: offsetS(random, 0, TOGETHER_WITHIN_S) } } : {};
  const visits: VisitDraft[] = plans.map(({ a, b, standA, standB }, i) => {
    const steps: Step[] = [
      { do: 'pick', lane: a, ...standA, ...together('first') },
      { do: 'pick', lane: b, count: counts(i), ...standB, ...together('second') },
    ];
    if (i === 1) steps.push({ do: 'put-back', lane: a, ...standA });
    return { id: nameAt(ctx, i), steps };
  });
  const where = byVariant(ctx, {
    apart: 'each at a shelf of their own',
    'same-shelf': 'side by side at one shelf',
    'light-items': `taking only light products (≤ ${Math.round(lightest)} g)`,
  });
  return {
    summary: `${n} shoppers on noisy load cells, ${where}: ${plans.map((p) => idsOf([p.a, p.b])).join('; ')}. One takes two units at once, one puts an item back.`,
    visits,
    noise: 'noisy',
  };
};

const tenth = (s: number) => Math.round(s * 10) / 10;
