// Which cameras see a floor point: each camera's image outline projected onto the floor. The tracker only
// counts a miss where some camera that reported could have seen the person, and holds tracks in blind spots;
// the store config's lane coverage (lane-coverage.ts) says which cameras see each lane's aisle.
import { imageToFloor, type ProjectingCamera } from './camera-projection.ts';

export interface CameraOutline {
  camera: string;
  /** Floor polygon of the image, shrunk by a margin (people at the border are only partly visible). */
  corners: Array<{ x: number; y: number }>;
}

export function cameraOutline(camera: ProjectingCamera & { id: string }, marginPx = 12): CameraOutline {
  const w = camera.imageWidth;
  const h = camera.imageHeight;
  const m = marginPx;
  const px = [
    [m, m],
    [w - m, m],
    [w - m, h - m],
    [m, h - m],
  ] as const;
  return { camera: camera.id, corners: px.map(([x, y]) => imageToFloor(camera, x, y)) };
}

/** Point in a convex polygon (either winding). */
export function insideOutline(outline: CameraOutline, x: number, y: number): boolean {
  const c = outline.corners;
  let sign = 0;
  for (let i = 0; i < c.length; i++) {
    const a = c[i] as { x: number; y: number };
    const b = c[(i + 1) % c.length] as { x: number; y: number };
    const cross = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x);
    if (cross !== 0) {
      if (sign === 0) sign = Math.sign(cross);
      else if (Math.sign(cross) !== sign) return false;
    }
  }
  return true;
}

export function camerasSeeing(outlines: readonly CameraOutline[], x: number, y: number): string[] {
  return outlines.filter((o) => insideOutline(o, x, y)).map((o) => o.camera);
}
