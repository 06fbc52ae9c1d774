// Pure core: a visit's behaviour from the floor positions of the people on its session and its shelf events —
// stays at lanes, lingering (a long stay without taking), comparisons, dwell per shelf and category, time to
// the first pick and a coarse path. Deterministic: the same tracks and events give the same result, so a
// stored visit can be derived again (as attribution is replayed).

import type { VisitEvent } from '../../shared/schemas/visit.ts';
import {
  MAX_COMPARISONS,
  MAX_DWELL_KEYS,
  MAX_LINGERS,
  MAX_PATH_POINTS,
  type VisitBehaviour,
} from '../../shared/schemas/visit-behaviour.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { BehaviourSettings } from './behaviour-settings.ts';
import type { LaneReach } from './lane-reach.ts';
import { type FloorPoint, type LaneStay, LaneStays } from './lane-stays.ts';

export interface VisitFloorInput {
  enteredAt: number;
  exitedAt: number;
  /** Positions of every track bound to the session, in time order (edge/floor/visit-tracks.ts). */
  points: ReadonlyArray<FloorPoint & { trackId: string }>;
  /** The visit's confident picks and put-backs (the cart's events). */
  events: readonly VisitEvent[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The lanes' stays of every person on the session, in time order. */
export function visitStays(
  points: VisitFloorInput['points'],
  reach: LaneReach,
  settings: BehaviourSettings,
): LaneStay[] {
  /** by track id */
  const people = new Map<string, LaneStays>();
  const stays: LaneStay[] = [];
  for (const p of points) {
    let person = people.get(p.trackId);
    if (person === undefined) {
      person = new LaneStays(reach, settings);
      people.set(p.trackId, person);
    }
    const stay = person.push(p);
    if (stay !== undefined) stays.push(stay);
  }
  for (const person of people.values()) {
    const stay = person.flush();
    if (stay !== undefined) stays.push(stay);
  }
  return stays.sort((a, b) => a.startTs - b.startTs || byText(a.lane, b.lane));
}

export function deriveVisitBehaviour(
  input: VisitFloorInput,
  store: StoreIndex,
  reach: LaneReach,
  settings: BehaviourSettings,
): VisitBehaviour {
  const productOf = (lane: string) => {
    const sku = store.laneById.get(lane)?.lane.sku;
    return sku === undefined ? undefined : { sku, category: store.productBySku.get(sku)?.category };
  };
  const shelfOf = (lane: string) => store.laneById.get(lane)?.shelf.id;
  const stays = visitStays(input.points, reach, settings);
  const lingers = stays
    .filter((s) => s.endTs - s.startTs >= settings.lingerMinMs)
    // taking (or putting back) at the shelf during the stay is handling, not lingering
    .filter(
      (s) =>
        !input.events.some(
          (e) =>
            shelfOf(e.lane) === s.shelf &&
            e.ts >= s.startTs - settings.eventSlackMs &&
            e.ts <= s.endTs + settings.eventSlackMs,
        ),
    )
    .slice(0, MAX_LINGERS)
    .map((s) => {
      const product = productOf(s.lane);
      return {
        lane: s.lane,
        ...(product === undefined ? {} : { sku: product.sku }),
        ...(product?.category === undefined ? {} : { category: product.category }),
        startTs: Math.round(s.startTs),
        durationMs: Math.round(s.endTs - s.startTs),
      };
    });
  const dwellByShelf = new Map<string, number>();
  const dwellByCategory = new Map<string, number>();
  for (const s of stays) {
    const ms = s.endTs - s.startTs;
    dwellByShelf.set(s.shelf, (dwellByShelf.get(s.shelf) ?? 0) + ms);
    const category = productOf(s.lane)?.category;
    if (category !== undefined) dwellByCategory.set(category, (dwellByCategory.get(category) ?? 0) + ms);
  }
  const picks = input.events.filter((e) => e.kind === 'pick');
  const firstPick = picks.reduce((t, e) => Math.min(t, e.ts), Number.POSITIVE_INFINITY);
  const categoryOf = (sku: string) => store.productBySku.get(sku)?.category;
  return {
    v: 1,
    lingers,
    comparisons: compare(input.events, lingers, categoryOf).slice(0, MAX_COMPARISONS),
    dwellByShelf: sortedDwell(dwellByShelf)
      .slice(0, MAX_DWELL_KEYS)
      .map(([shelf, dwellMs]) => ({ shelf, dwellMs })),
    dwellByCategory: sortedDwell(dwellByCategory)
      .slice(0, MAX_DWELL_KEYS)
      .map(([category, dwellMs]) => ({ category, dwellMs })),
    ...(Number.isFinite(firstPick)
      ? { firstPickMs: Math.max(0, Math.round(firstPick - input.enteredAt)) }
      : {}),
    path: coarsePath(input, settings),
  };
}

const sortedDwell = (m: Map<string, number>): Array<[string, number]> =>
  [...m.entries()].sort(([a], [b]) => byText(a, b)).map(([k, ms]) => [k, Math.round(ms)]);

/**
 * Per category, one comparison at most: handled (two or more products picked, all but one put back) or else
 * looked (lingered at a lane of the category, then took from another of its lanes). Either way exactly one
 * product of the category is kept.
 */
function compare(
  events: readonly VisitEvent[],
  lingers: VisitBehaviour['lingers'],
  categoryOf: (sku: string) => string | undefined,
): VisitBehaviour['comparisons'] {
  /** by category: SKUs picked, units held per SKU at the end, when each was last picked, and from which lane */
  const seen = new Map<
    string,
    { picked: Set<string>; held: Map<string, number>; pickedAt: Map<string, { ts: number; lane: string }> }
  >();
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    const category = categoryOf(e.sku);
    if (category === undefined) continue;
    const c = seen.get(category) ?? { picked: new Set(), held: new Map(), pickedAt: new Map() };
    seen.set(category, c);
    const held = c.held.get(e.sku) ?? 0;
    if (e.kind === 'pick') {
      c.picked.add(e.sku);
      c.held.set(e.sku, held + e.count);
      c.pickedAt.set(e.sku, { ts: e.ts, lane: e.lane });
    } else c.held.set(e.sku, Math.max(0, held - e.count));
  }
  const out: VisitBehaviour['comparisons'] = [];
  for (const [category, c] of [...seen.entries()].sort(([a], [b]) => byText(a, b))) {
    const kept = [...c.held.entries()].filter(([, n]) => n > 0).map(([sku]) => sku);
    const keptSku = kept[0];
    if (kept.length !== 1 || keptSku === undefined) continue;
    const taken = c.pickedAt.get(keptSku);
    if (taken === undefined) continue;
    if (c.picked.size >= 2) {
      out.push({ category, by: 'handled', skus: [...c.picked].sort(byText), kept: keptSku, ts: taken.ts });
      continue;
    }
    const looked = lingers.filter(
      (l) => l.category === category && l.startTs < taken.ts && l.lane !== taken.lane,
    );
    if (looked.length === 0) continue;
    const skus = new Set([keptSku, ...looked.flatMap((l) => (l.sku === undefined ? [] : [l.sku]))]);
    out.push({ category, by: 'looked', skus: [...skus].sort(byText), kept: keptSku, ts: taken.ts });
  }
  return out;
}

/** One position per `pathEveryMs` (the first point at or after each tick), rounded to `pathGridM`. */
function coarsePath(input: VisitFloorInput, settings: BehaviourSettings): VisitBehaviour['path'] {
  const round = (v: number) => Math.round(v / settings.pathGridM) * settings.pathGridM;
  const path: VisitBehaviour['path'] = [];
  let next = input.enteredAt;
  for (const p of input.points) {
    if (p.ts < next || p.ts > input.exitedAt) continue;
    path.push([Math.round((p.ts - input.enteredAt) / 1000), round(p.x), round(p.y)]);
    next = p.ts + settings.pathEveryMs;
    if (path.length >= MAX_PATH_POINTS) break;
  }
  return path;
}
