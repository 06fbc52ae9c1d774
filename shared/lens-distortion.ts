// Lens distortion of a camera (the Brown–Conrady model OpenCV uses: radial k1, k2 and tangential p1, p2 on
// normalised image coordinates): a distorted pixel is moved to where an ideal pinhole lens would have put it,
// before the homography maps it to the floor. Pure.

export interface LensDistortion {
  /** Focal length in pixels (OpenCV's fx = fy). */
  focalPx: number;
  /** Principal point in pixels (default: the image centre). */
  cx?: number;
  cy?: number;
  k1: number;
  k2: number;
  p1?: number;
  p2?: number;
}

/** Fixed-point iterations of the inversion: 20 bring a wide lens (k1 = −0.3) at the corners to < 0.01 px. */
const UNDISTORT_ITERATIONS = 20;

/** Where a distortion-free lens puts the point (normalised coordinates), as the lens model distorts it. */
function distortNormalised(d: LensDistortion, x: number, y: number): { x: number; y: number } {
  const p1 = d.p1 ?? 0;
  const p2 = d.p2 ?? 0;
  const r2 = x * x + y * y;
  const radial = 1 + d.k1 * r2 + d.k2 * r2 * r2;
  return {
    x: x * radial + 2 * p1 * x * y + p2 * (r2 + 2 * x * x),
    y: y * radial + p1 * (r2 + 2 * y * y) + 2 * p2 * x * y,
  };
}

/** The lens centre in pixels: stated, or the middle of the picture. */
function principalPoint(
  d: LensDistortion,
  image: { width: number; height: number },
): { cx: number; cy: number } {
  return { cx: d.cx ?? image.width / 2, cy: d.cy ?? image.height / 2 };
}

/** A pixel of the distorted picture → the pixel an ideal lens would have shown it at. */
export function undistortPixel(
  d: LensDistortion,
  image: { width: number; height: number },
  px: number,
  py: number,
): { x: number; y: number } {
  const { cx, cy } = principalPoint(d, image);
  const xd = (px - cx) / d.focalPx;
  const yd = (py - cy) / d.focalPx;
  let x = xd;
  let y = yd;
  for (let i = 0; i < UNDISTORT_ITERATIONS; i++) {
    const p = distortNormalised(d, x, y);
    x += xd - p.x;
    y += yd - p.y;
  }
  return { x: cx + x * d.focalPx, y: cy + y * d.focalPx };
}

/** An ideal-lens pixel → where the distorting lens shows it (the inverse of undistortPixel). */
export function distortPixel(
  d: LensDistortion,
  image: { width: number; height: number },
  px: number,
  py: number,
): { x: number; y: number } {
  const { cx, cy } = principalPoint(d, image);
  const p = distortNormalised(d, (px - cx) / d.focalPx, (py - cy) / d.focalPx);
  return { x: cx + p.x * d.focalPx, y: cy + p.y * d.focalPx };
}
