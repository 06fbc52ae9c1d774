// Where a YOLO person stands and where their hands are, in frame pixels. A pose model's wrists become hands
// tied to their person; the floor point is between the visible ankles, else the box point the config declares
// (the box centre for a camera looking straight down, whose people are seen from above; the box bottom for an
// angled one, whose boxes end at the feet). Pure.
import type { YoloPerson } from './yolo-decode.ts';

/** COCO keypoint indices (Ultralytics pose models use the COCO order). */
export const COCO_KEYPOINTS = { leftWrist: 9, rightWrist: 10, leftAnkle: 15, rightAnkle: 16 } as const;

export type BoxFloorPoint = 'box-centre' | 'box-bottom';

export interface YoloPeopleSettings {
  /** Where a person without visible ankles stands in their box. */
  floorPoint: BoxFloorPoint;
  /**
   * Keypoint visibility (0–1) from which a wrist or ankle counts as seen: 0.5, the threshold Ultralytics
   * itself draws keypoints at.
   */
  minKeypointVisibility: number;
}

export const YOLO_PEOPLE_DEFAULTS: YoloPeopleSettings = {
  floorPoint: 'box-centre',
  minKeypointVisibility: 0.5,
};

export interface PixelXY {
  x: number;
  y: number;
}

export interface PersonPixels {
  /** The point the person stands on. */
  feet: PixelXY;
  /** Their visible wrists (pose models only). */
  hands: PixelXY[];
}

export function personPixels(
  person: YoloPerson,
  settings: YoloPeopleSettings = YOLO_PEOPLE_DEFAULTS,
): PersonPixels {
  const seen = (index: number) => {
    const k = person.keypoints?.[index];
    return k !== undefined && k.visibility >= settings.minKeypointVisibility ? k : undefined;
  };
  const ankles = [seen(COCO_KEYPOINTS.leftAnkle), seen(COCO_KEYPOINTS.rightAnkle)].filter(
    (k) => k !== undefined,
  );
  const feet =
    ankles.length > 0
      ? {
          x: ankles.reduce((s, k) => s + k.x, 0) / ankles.length,
          y: ankles.reduce((s, k) => s + k.y, 0) / ankles.length,
        }
      : settings.floorPoint === 'box-bottom'
        ? { x: person.cx, y: person.cy + person.h / 2 }
        : { x: person.cx, y: person.cy };
  const hands = [seen(COCO_KEYPOINTS.leftWrist), seen(COCO_KEYPOINTS.rightWrist)]
    .filter((k) => k !== undefined)
    .map((k) => ({ x: k.x, y: k.y }));
  return { feet, hands };
}
