// Floor geometry of a store config that both sides need: a shelf's axes and the point on its face where a
// hand reaches into a lane (the simulator moves hands there; the edge measures how close hands came).
import type { Shelf } from './store-config.ts';

export interface FloorPoint {
  x: number;
  y: number;
}

/** Unit vectors of a shelf: `face` points to the aisle it faces, `along` runs along its width. */
export function shelfAxes(shelf: Shelf): { face: FloorPoint; along: FloorPoint } {
  const t = (shelf.orientationDeg * Math.PI) / 180;
  return { face: { x: Math.cos(t), y: Math.sin(t) }, along: { x: -Math.sin(t), y: Math.cos(t) } };
}

/** Middle of the lane on the shelf's front edge (the aisle side). */
export function laneFront(shelf: Shelf, lane: { position: FloorPoint }): FloorPoint {
  const { face, along } = shelfAxes(shelf);
  const offset =
    (lane.position.x - shelf.position.x) * along.x + (lane.position.y - shelf.position.y) * along.y;
  return {
    x: shelf.position.x + along.x * offset + (face.x * shelf.depthM) / 2,
    y: shelf.position.y + along.y * offset + (face.y * shelf.depthM) / 2,
  };
}

/** Where a hand taking from the lane is seen: just inside the shelf's front edge. */
export function laneReachPoint(shelf: Shelf, lane: { position: FloorPoint }): FloorPoint {
  const front = laneFront(shelf, lane);
  const { face } = shelfAxes(shelf);
  return { x: front.x - face.x * 0.08, y: front.y - face.y * 0.08 };
}

/** Reach point → the body of whoever reaches into the lane, metres (about arm's length out into the aisle). */
const AISLE_STAND_M = 0.6;

/** Where whoever takes from the lane stands: the cameras that see this point can tell who took. */
export function laneAislePoint(shelf: Shelf, lane: { position: FloorPoint }): FloorPoint {
  const reach = laneReachPoint(shelf, lane);
  const { face } = shelfAxes(shelf);
  return { x: reach.x + face.x * AISLE_STAND_M, y: reach.y + face.y * AISLE_STAND_M };
}

/** Distance (m) from `p` to the nearest of `targets` (infinite when there are none). */
export function nearestM(targets: readonly FloorPoint[], p: FloorPoint): number {
  let best = Number.POSITIVE_INFINITY;
  for (const t of targets) best = Math.min(best, Math.hypot(t.x - p.x, t.y - p.y));
  return best;
}
