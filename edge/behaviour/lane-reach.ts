// Which lane a person on the floor is within reach of: the shelf whose front edge they stand before (within
// `reachM`) and the lane nearest them along it. Pure geometry over the store config.

import type { Lane, Shelf, StoreIndex } from '../../shared/store-config.ts';
import { laneFront, shelfAxes } from '../../shared/store-geometry.ts';

export interface LaneAt {
  lane: Lane;
  shelf: Shelf;
  /** Distance along the shelf from the lane's centre (m). */
  offsetM: number;
}

interface ShelfFace {
  shelf: Shelf;
  face: { x: number; y: number };
  along: { x: number; y: number };
  /** Lanes with their centre's position along the shelf (m from the shelf's centre), in order. */
  lanes: Array<{ lane: Lane; u: number }>;
  halfPitchM: number;
}

export class LaneReach {
  private readonly faces: ShelfFace[];

  constructor(
    store: StoreIndex,
    private readonly reachM: number,
  ) {
    this.faces = store.config.shelves.map((shelf) => {
      const { face, along } = shelfAxes(shelf);
      const lanes = shelf.lanes
        .map((lane) => {
          const front = laneFront(shelf, lane);
          return {
            lane,
            u: (front.x - shelf.position.x) * along.x + (front.y - shelf.position.y) * along.y,
          };
        })
        .sort((a, b) => a.u - b.u);
      const halfPitchM = lanes.length > 0 ? shelf.widthM / lanes.length / 2 : shelf.widthM / 2;
      return { shelf, face, along, lanes, halfPitchM };
    });
  }

  /**
   * The lane within reach of (x, y), or undefined. `keep`: the lane the person was at, kept while they are
   * within `hysteresisM` beyond its edge. `headingRad`: where the body faces, when known: away from the shelf
   * is not at the shelf.
   */
  at(
    x: number,
    y: number,
    options: { keep?: string; hysteresisM?: number; headingRad?: number; facingToleranceDeg?: number } = {},
  ): LaneAt | undefined {
    let best: LaneAt | undefined;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const f of this.faces) {
      const dx = x - f.shelf.position.x;
      const dy = y - f.shelf.position.y;
      const out = dx * f.face.x + dy * f.face.y - f.shelf.depthM / 2;
      if (out < 0 || out > this.reachM) continue;
      if (options.headingRad !== undefined) {
        // facing the shelf = facing along −face
        const cos = -(Math.cos(options.headingRad) * f.face.x + Math.sin(options.headingRad) * f.face.y);
        if (cos < Math.cos(((options.facingToleranceDeg ?? 60) * Math.PI) / 180)) continue;
      }
      const u = dx * f.along.x + dy * f.along.y;
      for (const { lane, u: laneU } of f.lanes) {
        const offsetM = u - laneU;
        const slack = lane.id === options.keep ? (options.hysteresisM ?? 0) : 0;
        if (Math.abs(offsetM) > f.halfPitchM + slack) continue;
        // the kept lane wins within its slack; otherwise the nearest lane centre
        const score = lane.id === options.keep ? -1 : Math.abs(offsetM) + out * 0.01;
        if (score < bestScore) {
          bestScore = score;
          best = { lane, shelf: f.shelf, offsetM };
        }
      }
    }
    return best;
  }
}
