import { describe, expect, it } from 'vitest';
import { cameraOutline, camerasSeeing } from '../../../shared/camera-coverage.ts';
import { projectToFloor } from '../../../shared/homography.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';
import { applyMat3, cameraView, toMat3 } from '../../../simulators/vision/camera-geometry.ts';

const store = loadStoreConfig('stores/sample-store.json');

describe('homography projection', () => {
  it("maps the sample store's CAM1 image corners and centre onto the floor", () => {
    const cam1 = store.cameras[0];
    if (cam1 === undefined) throw new Error('no camera');
    expect(projectToFloor(cam1.homography, 0, 0)).toEqual({
      x: expect.closeTo(-0.8, 9),
      y: expect.closeTo(-0.2, 9),
    });
    expect(projectToFloor(cam1.homography, 320, 240)).toEqual({
      x: expect.closeTo(4, 9),
      y: expect.closeTo(3.4, 9),
    });
    expect(projectToFloor(cam1.homography, 640, 480)).toEqual({
      x: expect.closeTo(8.8, 9),
      y: expect.closeTo(7.0, 9),
    });
  });

  it('handles a projective homography and inverts it exactly (renderer ↔ edge)', () => {
    const h = [0.02, 0.001, -1, 0.0005, 0.018, 2, 0.00002, 0.00004, 1];
    const p = projectToFloor(h, 100, 200);
    const w = 0.00002 * 100 + 0.00004 * 200 + 1;
    expect(p.x).toBeCloseTo((0.02 * 100 + 0.001 * 200 - 1) / w, 12);
    expect(p.y).toBeCloseTo((0.0005 * 100 + 0.018 * 200 + 2) / w, 12);
    const view = cameraView({
      id: 'X',
      position: { x: 0, y: 0 },
      heightM: 3,
      imageWidth: 640,
      imageHeight: 480,
      homography: h,
    });
    const back = applyMat3(view.floorToPixel, p.x, p.y);
    expect(back.x).toBeCloseTo(100, 6);
    expect(back.y).toBeCloseTo(200, 6);
    expect(() => toMat3([1, 2])).toThrow(RangeError);
  });

  it('knows which cameras see a floor point: the whole walkable floor, gates included', () => {
    const outlines = store.cameras.map((c) => cameraOutline(c, 0));
    expect(camerasSeeing(outlines, 1, 5.5)).toEqual(['CAM1']); // the west wall, left of CAM13's picture
    expect(camerasSeeing(outlines, 4, 5.5)).toEqual(['CAM1', 'CAM13']); // CAM13 sits between CAM1 and CAM2
    expect(camerasSeeing(outlines, 7.5, 5)).toEqual(['CAM1', 'CAM2', 'CAM13']); // all three overlap
    expect(camerasSeeing(outlines, 2, 0.5)).toEqual(['CAM1']); // the gates
    expect(camerasSeeing(outlines, 10, 10.3)).toEqual(['CAM6', 'CAM16']); // the S09–S12 lane fronts
    expect(camerasSeeing(outlines, 31, 5)).toEqual([]); // off the floor
    // every floor point off the shelves is in some camera's picture (the views of two camera rows meet over
    // a shelf row, so only the cross aisles have a seam, where a person is partly in both pictures)
    const offShelf = (x: number, y: number) =>
      !store.shelves.some(
        (s) => Math.abs(x - s.position.x) <= s.widthM / 2 + 0.35 && Math.abs(y - s.position.y) <= 0.65,
      );
    const blind: string[] = [];
    for (let x = 0.25; x < store.floor.widthM; x += 0.25) {
      for (let y = 0.25; y < store.floor.depthM; y += 0.25) {
        if (offShelf(x, y) && camerasSeeing(outlines, x, y).length === 0) blind.push(`${x},${y}`);
      }
    }
    expect(blind).toEqual([]);
  });
});
