// A camera's picture ↔ the store floor: lens distortion taken out of the pixel (lens-distortion.ts), then the
// camera's homography. The one way the edge projects what a camera sees. Pure.
import { projectToFloor } from './homography.ts';
import { distortPixel, type LensDistortion, undistortPixel } from './lens-distortion.ts';

export interface ProjectingCamera {
  imageWidth: number;
  imageHeight: number;
  /** Row-major 3×3, image pixels (undistorted) → floor metres. */
  homography: readonly number[];
  distortion?: LensDistortion;
}

const sizeOf = (c: ProjectingCamera) => ({ width: c.imageWidth, height: c.imageHeight });

/** The floor point (m) a pixel of the camera's picture shows. */
export function imageToFloor(camera: ProjectingCamera, px: number, py: number): { x: number; y: number } {
  if (camera.distortion === undefined) return projectToFloor(camera.homography, px, py);
  const u = undistortPixel(camera.distortion, sizeOf(camera), px, py);
  return projectToFloor(camera.homography, u.x, u.y);
}

/** The pixel of the camera's picture where a floor point (m) appears (undefined: behind the camera). */
export function floorToImage(
  camera: ProjectingCamera,
  x: number,
  y: number,
): { x: number; y: number } | undefined {
  const inverse = invertHomography(camera.homography);
  if (inverse === undefined) return undefined;
  const w = (inverse[6] as number) * x + (inverse[7] as number) * y + (inverse[8] as number);
  if (Math.abs(w) < 1e-12) return undefined;
  const px = ((inverse[0] as number) * x + (inverse[1] as number) * y + (inverse[2] as number)) / w;
  const py = ((inverse[3] as number) * x + (inverse[4] as number) * y + (inverse[5] as number)) / w;
  return camera.distortion === undefined
    ? { x: px, y: py }
    : distortPixel(camera.distortion, sizeOf(camera), px, py);
}

/** Inverse of a row-major 3×3 (undefined when singular). */
export function invertHomography(h: readonly number[]): number[] | undefined {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, k = 0, i = 1] = h;
  const A = e * i - f * k;
  const B = -(d * i - f * g);
  const C = d * k - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-15) return undefined;
  return [
    A / det,
    -(b * i - c * k) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * k - b * g) / det,
    (a * e - b * d) / det,
  ];
}
