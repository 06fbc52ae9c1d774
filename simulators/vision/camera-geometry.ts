// Floor ↔ image geometry of a ceiling camera for the renderer: the store config gives pixel→floor
// homographies; rendering needs the inverse (floor→pixel) and whether a floor point is in view.
import type { Camera } from '../../shared/store-config.ts';

export type Mat3 = readonly [number, number, number, number, number, number, number, number, number];

export function toMat3(values: readonly number[]): Mat3 {
  if (values.length !== 9) throw new RangeError(`a homography has 9 values, got ${values.length}`);
  return values as unknown as Mat3;
}

export function invert3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new RangeError('homography is singular');
  const k = 1 / det;
  return [
    A * k,
    -(b * i - c * h) * k,
    (b * f - c * e) * k,
    B * k,
    (a * i - c * g) * k,
    -(a * f - c * d) * k,
    C * k,
    -(a * h - b * g) * k,
    (a * e - b * d) * k,
  ];
}

export function applyMat3(m: Mat3, x: number, y: number): { x: number; y: number } {
  const w = m[6] * x + m[7] * y + m[8];
  return { x: (m[0] * x + m[1] * y + m[2]) / w, y: (m[3] * x + m[4] * y + m[5]) / w };
}

/** A camera with its floor→pixel mapping precomputed. */
export interface CameraView {
  camera: Camera;
  floorToPixel: Mat3;
  /** Metres per pixel near the image centre (for sizing what is drawn). */
  metresPerPixel: number;
}

export function cameraView(camera: Camera): CameraView {
  const toFloor = toMat3(camera.homography);
  const cx = camera.imageWidth / 2;
  const cy = camera.imageHeight / 2;
  const a = applyMat3(toFloor, cx, cy);
  const b = applyMat3(toFloor, cx + 1, cy);
  return {
    camera,
    floorToPixel: invert3(toFloor),
    metresPerPixel: Math.hypot(b.x - a.x, b.y - a.y),
  };
}

/** True when the floor point lands inside the image, `marginPx` in from its border. */
export function seesFloorPoint(view: CameraView, x: number, y: number, marginPx = 0): boolean {
  const p = applyMat3(view.floorToPixel, x, y);
  const { imageWidth: w, imageHeight: h } = view.camera;
  return p.x >= marginPx && p.y >= marginPx && p.x < w - marginPx && p.y < h - marginPx;
}
