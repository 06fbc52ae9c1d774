// Where nobody can stand: inside a shelf's footprint. A "person" the detector finds there is the shelf
// itself (e.g. a shelf end cut by the image border), so the pipeline drops it. Pure.

import type { Shelf } from '../../shared/store-config.ts';
import { shelfAxes } from '../../shared/store-geometry.ts';

/**
 * True when (x, y) lies inside a shelf's footprint shrunk by `insetM` on every side (a person leaning over a
 * shelf edge still has their centre outside it).
 */
export function insideFixture(shelves: readonly Shelf[], x: number, y: number, insetM = 0.05): boolean {
  return shelves.some((shelf) => {
    const { face, along } = shelfAxes(shelf);
    const dx = x - shelf.position.x;
    const dy = y - shelf.position.y;
    const u = Math.abs(dx * along.x + dy * along.y);
    const v = Math.abs(dx * face.x + dy * face.y);
    return u < shelf.widthM / 2 - insetM && v < shelf.depthM / 2 - insetM;
  });
}
