// Walkable floor of the simulated store and shortest walking paths over it: an occupancy grid with the
// shelves (inflated by a body radius) blocked, A* over 8-connected cells, then string-pulled to corners.
import type { Shelf, StoreConfig } from '../../shared/store-config.ts';
import { laneFront, laneReachPoint, shelfAxes } from '../../shared/store-geometry.ts';
import { cameraView, seesFloorPoint } from './camera-geometry.ts';

export interface Point {
  x: number;
  y: number;
}

const CELL_M = 0.25;
const BODY_RADIUS_M = 0.35;
/** How far in front of a shelf's face a shopper stands to reach into it. */
export const STAND_OFF_M = 0.4;

export { shelfAxes };

/** Where a shopper stands to act on a lane, and the point on the shelf face the hand reaches. */
export function laneAccess(shelf: Shelf, lane: { position: Point }): { stand: Point; reach: Point } {
  const { face } = shelfAxes(shelf);
  const front = laneFront(shelf, lane);
  return {
    stand: { x: front.x + face.x * STAND_OFF_M, y: front.y + face.y * STAND_OFF_M },
    reach: laneReachPoint(shelf, lane),
  };
}

/** True when the point lies inside the shelf's footprint grown by `grow` metres. */
export function insideShelf(shelf: Shelf, p: Point, grow: number): boolean {
  const { face, along } = shelfAxes(shelf);
  const dx = p.x - shelf.position.x;
  const dy = p.y - shelf.position.y;
  const u = Math.abs(dx * along.x + dy * along.y);
  const v = Math.abs(dx * face.x + dy * face.y);
  return u <= shelf.widthM / 2 + grow && v <= shelf.depthM / 2 + grow;
}

export class FloorPlanner {
  private readonly cols: number;
  private readonly rows: number;
  /** by cell index: 0 free, 1 blocked */
  private readonly blocked: Uint8Array;
  /** by cell index: extra cost per metre (e.g. floor no camera sees, which shoppers rarely cross) */
  private readonly extraCost: Float32Array;

  constructor(store: StoreConfig, costOf: (p: Point) => number = () => 0) {
    this.cols = Math.ceil(store.floor.widthM / CELL_M);
    this.rows = Math.ceil(store.floor.depthM / CELL_M);
    this.blocked = new Uint8Array(this.cols * this.rows);
    this.extraCost = new Float32Array(this.cols * this.rows);
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++) {
        const p = this.centre(c, r);
        const i = r * this.cols + c;
        this.blocked[i] = store.shelves.some((s) => insideShelf(s, p, BODY_RADIUS_M)) ? 1 : 0;
        this.extraCost[i] = costOf(p);
      }
    }
  }

  /** Shortest walking path from `a` to `b` (both included), as straight segments between corners. */
  path(a: Point, b: Point): Point[] {
    const start = this.nearestFree(a);
    const goal = this.nearestFree(b);
    const cells = this.aStar(start, goal);
    const points = [
      a,
      ...cells.slice(1, -1).map((i) => this.centre(i % this.cols, Math.floor(i / this.cols))),
      b,
    ];
    return this.stringPull(points);
  }

  private centre(c: number, r: number): Point {
    return { x: (c + 0.5) * CELL_M, y: (r + 0.5) * CELL_M };
  }

  private cellOf(p: Point): number {
    const c = Math.min(this.cols - 1, Math.max(0, Math.floor(p.x / CELL_M)));
    const r = Math.min(this.rows - 1, Math.max(0, Math.floor(p.y / CELL_M)));
    return r * this.cols + c;
  }

  private nearestFree(p: Point): number {
    const home = this.cellOf(p);
    if (this.blocked[home] === 0) return home;
    let best = home;
    let bestD = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.blocked.length; i++) {
      if (this.blocked[i] !== 0) continue;
      const q = this.centre(i % this.cols, Math.floor(i / this.cols));
      const d = (q.x - p.x) ** 2 + (q.y - p.y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  private aStar(start: number, goal: number): number[] {
    const n = this.blocked.length;
    const g = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
    const from = new Int32Array(n).fill(-1);
    const closed = new Uint8Array(n);
    const open: Array<{ i: number; f: number }> = [{ i: start, f: 0 }];
    g[start] = 0;
    const gx = goal % this.cols;
    const gy = Math.floor(goal / this.cols);
    const h = (i: number) => Math.hypot((i % this.cols) - gx, Math.floor(i / this.cols) - gy) * CELL_M;
    while (open.length > 0) {
      let k = 0;
      for (let j = 1; j < open.length; j++) if ((open[j]?.f ?? 0) < (open[k]?.f ?? 0)) k = j;
      const cur = open.splice(k, 1)[0]?.i ?? goal;
      if (cur === goal) break;
      if (closed[cur]) continue;
      closed[cur] = 1;
      const cx = cur % this.cols;
      const cy = Math.floor(cur / this.cols);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = cx + dx;
          const ny = cy + dy;
          if ((dx === 0 && dy === 0) || nx < 0 || ny < 0 || nx >= this.cols || ny >= this.rows) continue;
          const ni = ny * this.cols + nx;
          if (this.blocked[ni] || closed[ni]) continue;
          const step = Math.hypot(dx, dy) * CELL_M * (1 + (this.extraCost[ni] ?? 0));
          const cand = (g[cur] ?? 0) + step;
          if (cand < (g[ni] ?? Number.POSITIVE_INFINITY)) {
            g[ni] = cand;
            from[ni] = cur;
            open.push({ i: ni, f: cand + h(ni) });
          }
        }
      }
    }
    const cells: number[] = [];
    for (let i = goal; i !== -1; i = from[i] ?? -1) {
      cells.push(i);
      if (i === start) break;
    }
    return cells.reverse();
  }

  /** Drops every point the walker can skip by walking straight (clear line, no costlier floor). */
  private stringPull(points: Point[]): Point[] {
    const out: Point[] = [];
    let i = 0;
    while (i < points.length) {
      const a = points[i] as Point;
      out.push(a);
      let j = points.length - 1;
      while (j > i + 1 && !this.clearLine(a, points[j] as Point)) j--;
      i = j === i ? i + 1 : j;
      if (i === points.length - 1) {
        out.push(points[i] as Point);
        break;
      }
    }
    return out;
  }

  private clearLine(a: Point, b: Point): boolean {
    const steps = Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / (CELL_M / 2));
    const base = this.extraCost[this.cellOf(a)] ?? 0;
    for (let s = 1; s < steps; s++) {
      const p = { x: a.x + ((b.x - a.x) * s) / steps, y: a.y + ((b.y - a.y) * s) / steps };
      const i = this.cellOf(p);
      if (this.blocked[i] || (this.extraCost[i] ?? 0) > base) return false;
    }
    return true;
  }
}

/** A planner whose walkers prefer floor some camera sees (the sample store has blind strips). */
export function visionPlanner(store: StoreConfig): FloorPlanner {
  const views = store.cameras.map(cameraView);
  return new FloorPlanner(store, (p) => (views.some((v) => seesFloorPoint(v, p.x, p.y, 10)) ? 0 : 2));
}
