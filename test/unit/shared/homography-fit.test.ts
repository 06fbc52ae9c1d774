import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floorToImage, imageToFloor } from '../../../shared/camera-projection.ts';
import { projectToFloor } from '../../../shared/homography.ts';
import { fitHomography, HomographyFitError } from '../../../shared/homography-fit.ts';
import { distortPixel, undistortPixel } from '../../../shared/lens-distortion.ts';

/** A tilted ceiling camera: perspective terms, rotation, 1.5 cm a pixel. */
const TRUE_H = [0.0149, -0.0012, 2.3, 0.0009, 0.0151, -0.4, 0.00002, -0.00001, 1];
const camera = { imageWidth: 640, imageHeight: 480, homography: TRUE_H };
const grid = [40, 200, 360, 600].flatMap((x) => [30, 240, 450].map((y) => ({ x, y })));
const pairs = (pixels: Array<{ x: number; y: number }>) =>
  pixels.map((image) => ({ image, floor: projectToFloor(TRUE_H, image.x, image.y) }));

describe('fitHomography', () => {
  it('recovers a perspective homography exactly from four points, and from twelve', () => {
    const corners = [0, 2, 9, 11].map((i) => grid[i] as { x: number; y: number });
    for (const pixels of [corners, grid]) {
      const fit = fitHomography(pairs(pixels));
      expect(fit.rmsErrorM).toBeLessThan(1e-9);
      for (const p of [
        { x: 0, y: 0 },
        { x: 320, y: 240 },
        { x: 639, y: 479 },
      ]) {
        const want = projectToFloor(TRUE_H, p.x, p.y);
        const got = projectToFloor(fit.homography, p.x, p.y);
        expect(Math.hypot(got.x - want.x, got.y - want.y)).toBeLessThan(1e-7);
      }
    }
  });

  it('averages clicking error out over many points, and reports it per point', () => {
    // clicks off by up to ±2 px (3 cm on the floor)
    const noisy = pairs(grid).map((p, i) => ({
      image: { x: p.image.x + ((i * 7) % 5) - 2, y: p.image.y + ((i * 3) % 5) - 2 },
      floor: p.floor,
    }));
    const fit = fitHomography(noisy);
    expect(fit.errorsM).toHaveLength(12);
    expect(fit.rmsErrorM).toBeGreaterThan(0.005);
    expect(fit.rmsErrorM).toBeLessThan(0.04);
    expect(fit.maxErrorM).toBe(Math.max(...fit.errorsM));
    // the fitted model is better than the clicks: within 2.5 cm of the truth over the whole picture
    for (const p of grid) {
      const want = projectToFloor(TRUE_H, p.x, p.y);
      const got = projectToFloor(fit.homography, p.x, p.y);
      expect(Math.hypot(got.x - want.x, got.y - want.y)).toBeLessThan(0.025);
    }
  });

  it('names a mark clicked in the wrong place as the worst point, even among few marks', () => {
    // six marks, one clicked 40 px off: least squares spreads its error over the others
    const six = pairs([0, 1, 2, 3, 4, 5].map((i) => grid[i] as { x: number; y: number }));
    six[0] = {
      image: { x: (six[0]?.image.x ?? 0) + 40, y: six[0]?.image.y ?? 0 },
      floor: six[0]?.floor ?? { x: 0, y: 0 },
    };
    expect(fitHomography(six).worstPoint).toBe(0);
    const wrong = pairs(grid);
    wrong[4] = { image: { x: 260, y: 300 }, floor: wrong[4]?.floor ?? { x: 0, y: 0 } };
    const fit = fitHomography(wrong);
    expect(fit.worstPoint).toBe(4);
    expect(fit.maxErrorM).toBeGreaterThan(0.2);
  });

  it('refuses fewer than four points, points on one line, and one spot', () => {
    expect(() => fitHomography(pairs(grid.slice(0, 3)))).toThrow(HomographyFitError);
    const line = [0, 100, 200, 300, 400].map((x) => ({ x, y: x * 0.5 }));
    expect(() => fitHomography(pairs(line))).toThrow(/one line/);
    // three of four on one line (the bottom row): more than one homography fits
    const threeOnALine = [0, 5, 8, 11].map((i) => grid[i] as { x: number; y: number });
    expect(() => fitHomography(pairs(threeOnALine))).toThrow(/do not fix the picture/);
    const spot = [1, 2, 3, 4].map(() => ({ x: 5, y: 5 }));
    expect(() => fitHomography(pairs(spot))).toThrow(/one spot/);
  });

  it('fits any well-spread camera within a micrometre (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.005, max: 0.03, noNaN: true }),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        fc.double({ min: -20, max: 20, noNaN: true }),
        fc.double({ min: -20, max: 20, noNaN: true }),
        fc.double({ min: -0.0001, max: 0.0001, noNaN: true }),
        (scale, angle, tx, ty, g) => {
          const h = [
            scale * Math.cos(angle),
            -scale * Math.sin(angle),
            tx,
            scale * Math.sin(angle),
            scale * Math.cos(angle),
            ty,
            g,
            -g / 2,
            1,
          ];
          const fit = fitHomography(
            grid.map((image) => ({ image, floor: projectToFloor(h, image.x, image.y) })),
          );
          expect(fit.rmsErrorM).toBeLessThan(1e-6);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('lens distortion', () => {
  const lens = { focalPx: 420, k1: -0.28, k2: 0.08, p1: 0.001, p2: -0.0015 };
  const size = { width: 640, height: 480 };

  it('undistorts what the lens distorts, to a hundredth of a pixel, up to the corners', () => {
    for (const p of [
      { x: 0, y: 0 },
      { x: 639, y: 479 },
      { x: 320, y: 240 },
      { x: 100, y: 400 },
    ]) {
      const d = distortPixel(lens, size, p.x, p.y);
      const u = undistortPixel(lens, size, d.x, d.y);
      expect(Math.hypot(u.x - p.x, u.y - p.y)).toBeLessThan(0.01);
    }
    // barrel distortion pulls the corner in by tens of pixels
    const corner = distortPixel(lens, size, 0, 0);
    expect(corner.x).toBeGreaterThan(20);
  });

  it('is applied to the pixel before the homography, both ways', () => {
    const distorted = { ...camera, distortion: lens };
    const pixel = distortPixel(lens, size, 600, 60);
    const floor = imageToFloor(distorted, pixel.x, pixel.y);
    const want = projectToFloor(TRUE_H, 600, 60);
    expect(Math.hypot(floor.x - want.x, floor.y - want.y)).toBeLessThan(0.001);
    const back = floorToImage(distorted, want.x, want.y);
    expect(Math.hypot((back?.x ?? 0) - pixel.x, (back?.y ?? 0) - pixel.y)).toBeLessThan(0.01);
    // without it, the same pixel lands elsewhere
    const naive = imageToFloor(camera, pixel.x, pixel.y);
    expect(Math.hypot(naive.x - want.x, naive.y - want.y)).toBeGreaterThan(0.1);
  });
});
