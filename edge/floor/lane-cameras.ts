// Which ceiling cameras see the front of a lane (where the hands were), nearest first: the frames staff
// are shown for a shelf event come from them. A lane no camera covers falls back to the nearest camera.

import { cameraOutline, insideOutline } from '../../shared/camera-coverage.ts';
import type { Camera, StoreIndex } from '../../shared/store-config.ts';

/** Cameras for these lanes, nearest to a lane first, at most `max`. */
export function camerasForLanes(store: StoreIndex, laneIds: readonly string[], max = 3): string[] {
  const cameras = store.config.cameras;
  if (cameras.length === 0) return [];
  const outlines = new Map(cameras.map((c) => [c.id, cameraOutline(c)]));
  /** by camera id: distance to the nearest of the lanes it sees (m) */
  const seeing = new Map<string, number>();
  let nearest: { camera: Camera; distance: number } | undefined;
  for (const laneId of laneIds) {
    const lane = store.laneById.get(laneId)?.lane;
    if (lane === undefined) continue;
    const { x, y } = lane.position;
    for (const camera of cameras) {
      const distance = Math.hypot(camera.position.x - x, camera.position.y - y);
      if (nearest === undefined || distance < nearest.distance) nearest = { camera, distance };
      const outline = outlines.get(camera.id);
      if (outline === undefined || !insideOutline(outline, x, y)) continue;
      seeing.set(camera.id, Math.min(distance, seeing.get(camera.id) ?? Number.POSITIVE_INFINITY));
    }
  }
  if (seeing.size === 0) return nearest === undefined ? [] : [nearest.camera.id];
  return [...seeing]
    .sort((a, b) => a[1] - b[1])
    .slice(0, max)
    .map(([id]) => id);
}
