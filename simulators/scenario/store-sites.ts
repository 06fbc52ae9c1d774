// Where generated scenarios can happen in a store, read from its config alone: the stocked lanes of each
// shelf in order along it, where people stand to reach them, how long walks take, which cameras see a spot.
import type { Gate, StoreConfig } from '../../shared/store-config.ts';
import { cameraView, seesFloorPoint } from '../vision/camera-geometry.ts';
import {
  type FloorPlanner,
  laneAccess,
  type Point,
  shelfAxes,
  visionPlanner,
} from '../vision/floor-planner.ts';
import { inwardOf, LOBBY_DEPTH_M, STEP_BACK_M } from '../vision/motion-plan.ts';

/** A place in front of a lane, stocked or not, where one person stands. */
export interface SiteSpot {
  /** The lane's id. */
  id: string;
  shelfId: string;
  /** Where a person stands to reach into the lane, and where they come in from (a step back). */
  stand: Point;
  approach: Point;
}

/** A stocked lane: a product of the catalog and at least one unit at store open. */
export interface SiteLane extends SiteSpot {
  /** The lane's own product. */
  sku: string;
  /** Units on the lane at store open. */
  units: number;
  unitGrams: number;
}

export interface SiteShelf {
  id: string;
  /** Every lane's spot, in order along the shelf. */
  spots: SiteSpot[];
  /** Stocked lanes in order along the shelf: neighbours are neighbours (an empty lane may lie between). */
  lanes: SiteLane[];
  /** Walking time entry lobby → the shelf's middle lane → exit lobby at the timing pace, seconds. */
  roundTripS: number;
}

export class StoreSites {
  readonly entry: Gate;
  readonly exit: Gate;
  /** Where people stand just inside each gate (as the motion plan puts them, without the side spread). */
  readonly entryLobby: Point;
  readonly exitLobby: Point;
  /** Shelves with at least one stocked lane. */
  readonly shelves: SiteShelf[];
  private readonly planner: FloorPlanner;
  /** by "x,y>x,y" (cm): walking path length in metres */
  private readonly pathLengths = new Map<string, number>();

  constructor(
    readonly store: StoreConfig,
    /** Walking pace the times are computed at, m/s. */
    readonly paceMps: number,
  ) {
    const entry = store.gates.find((g) => g.kind === 'entry');
    const exit = store.gates.find((g) => g.kind === 'exit');
    if (entry === undefined || exit === undefined)
      throw new RangeError('the store needs an entry and an exit gate');
    this.entry = entry;
    this.exit = exit;
    this.entryLobby = lobbyOf(store, entry);
    this.exitLobby = lobbyOf(store, exit);
    this.planner = visionPlanner(store);
    const products = new Map(store.catalog.map((p) => [p.sku, p]));
    this.shelves = store.shelves.flatMap((shelf) => {
      const { along, face } = shelfAxes(shelf);
      const spots = shelf.lanes
        .map((lane) => {
          const { stand } = laneAccess(shelf, lane);
          const approach = { x: stand.x + face.x * STEP_BACK_M, y: stand.y + face.y * STEP_BACK_M };
          const product = lane.sku === undefined ? undefined : products.get(lane.sku);
          const spot: SiteSpot = { id: lane.id, shelfId: shelf.id, stand, approach };
          const site: SiteSpot | SiteLane =
            product === undefined || lane.initialUnits < 1
              ? spot
              : { ...spot, sku: product.sku, units: lane.initialUnits, unitGrams: product.unitGrams };
          return { site, at: lane.position.x * along.x + lane.position.y * along.y };
        })
        .sort((a, b) => a.at - b.at)
        .map((l) => l.site);
      const lanes = spots.filter(isStocked);
      const middle = lanes[Math.floor(lanes.length / 2)];
      if (middle === undefined) return [];
      const roundTripS = this.walkS(this.entryLobby, middle) + this.walkS(middle, this.exitLobby);
      return [{ id: shelf.id, spots, lanes, roundTripS }];
    });
  }

  /**
   * Seconds to walk from a lobby or a lane (where the walker stands) to a lane or a lobby, on the path the
   * motion plan takes: a step back from a shelf, the shortest path, a step in to the next one.
   */
  walkS(from: Point | SiteSpot, to: Point | SiteSpot): number {
    const start = isSpot(from) ? from.approach : from;
    const end = isSpot(to) ? to.approach : to;
    const steps = (isSpot(from) ? STEP_BACK_M : 0) + (isSpot(to) ? STEP_BACK_M : 0);
    return (this.pathLength(start, end) + steps) / this.paceMps;
  }

  /** Cameras that see the floor point, `marginPx` in from the image border. */
  camerasSeeing(p: Point, marginPx = 0): string[] {
    return this.store.cameras
      .filter((camera) => seesFloorPoint(cameraView(camera), p.x, p.y, marginPx))
      .map((c) => c.id);
  }

  /** Shelves whose round trip takes at most `maxS`; at least the `atLeast` nearest whatever their time. */
  nearShelves(maxS: number, atLeast: number, minLanes = 1): SiteShelf[] {
    const usable = this.shelves.filter((s) => s.lanes.length >= minLanes);
    const near = usable.filter((s) => s.roundTripS <= maxS);
    if (near.length >= atLeast) return near;
    return [...usable].sort((a, b) => a.roundTripS - b.roundTripS).slice(0, atLeast);
  }

  private pathLength(a: Point, b: Point): number {
    const key = `${Math.round(a.x * 100)},${Math.round(a.y * 100)}>${Math.round(b.x * 100)},${Math.round(b.y * 100)}`;
    const known = this.pathLengths.get(key);
    if (known !== undefined) return known;
    const path = this.planner.path(a, b);
    let length = 0;
    for (let i = 1; i < path.length; i++) {
      const p = path[i - 1] as Point;
      const q = path[i] as Point;
      length += Math.hypot(q.x - p.x, q.y - p.y);
    }
    this.pathLengths.set(key, length);
    return length;
  }
}

function isSpot(p: Point | SiteSpot): p is SiteSpot {
  return 'stand' in p;
}

export function isStocked(spot: SiteSpot): spot is SiteLane {
  return 'sku' in spot;
}

function lobbyOf(store: StoreConfig, gate: Gate): Point {
  const inward = inwardOf(store.floor, gate.position);
  return { x: gate.position.x + inward.x * LOBBY_DEPTH_M, y: gate.position.y + inward.y * LOBBY_DEPTH_M };
}

/** by store config: its sites at a pace (building the floor planner and its paths is the slow part) */
const cache = new WeakMap<StoreConfig, Map<number, StoreSites>>();

export function storeSites(store: StoreConfig, paceMps: number): StoreSites {
  let byPace = cache.get(store);
  if (byPace === undefined) {
    byPace = new Map();
    cache.set(store, byPace);
  }
  let sites = byPace.get(paceMps);
  if (sites === undefined) {
    sites = new StoreSites(store, paceMps);
    byPace.set(paceMps, sites);
  }
  return sites;
}
