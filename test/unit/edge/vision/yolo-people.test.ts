import { describe, expect, it } from 'vitest';
import type { Keypoint, YoloPerson } from '../../../../edge/vision/yolo-decode.ts';
import { personPixels, YOLO_PEOPLE_DEFAULTS } from '../../../../edge/vision/yolo-people.ts';

const hidden: Keypoint = { x: 0, y: 0, visibility: 0.1 };
function person(points: Partial<Record<number, Keypoint>>): YoloPerson {
  return {
    cx: 100,
    cy: 200,
    w: 40,
    h: 120,
    score: 0.9,
    keypoints: Array.from({ length: 17 }, (_, i) => points[i] ?? hidden),
  };
}

describe('where a YOLO person stands and where their hands are', () => {
  it('stands between the visible ankles, hands at the visible wrists', () => {
    const p = person({
      9: { x: 80, y: 190, visibility: 0.9 },
      10: { x: 121, y: 185, visibility: 0.3 },
      15: { x: 94, y: 258, visibility: 0.8 },
      16: { x: 108, y: 256, visibility: 0.7 },
    });
    expect(personPixels(p)).toEqual({ feet: { x: 101, y: 257 }, hands: [{ x: 80, y: 190 }] });
  });

  it('uses the one ankle seen', () => {
    const p = person({ 16: { x: 108, y: 256, visibility: 0.6 } });
    expect(personPixels(p).feet).toEqual({ x: 108, y: 256 });
  });

  it('falls back to the declared box point without ankles, or without keypoints at all', () => {
    expect(personPixels(person({})).feet).toEqual({ x: 100, y: 200 });
    expect(personPixels(person({}), { ...YOLO_PEOPLE_DEFAULTS, floorPoint: 'box-bottom' }).feet).toEqual({
      x: 100,
      y: 260,
    });
    const box: YoloPerson = { cx: 10, cy: 20, w: 4, h: 8, score: 1 };
    expect(personPixels(box, { ...YOLO_PEOPLE_DEFAULTS, floorPoint: 'box-bottom' })).toEqual({
      feet: { x: 10, y: 24 },
      hands: [],
    });
  });
});
