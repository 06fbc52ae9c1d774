// Fits a camera's homography (image pixels → floor metres) to floor marks clicked in its picture: the
// normalised DLT (Hartley) over all points — both sides moved to their centroid and scaled to a mean
// distance of √2, the 2n×9 system solved for the smallest eigenvector of AᵀA (Jacobi) — then denormalised.
// Least squares over every point, so a fifth mark and beyond average the clicking error out. Pure.
import { projectToFloor } from './homography.ts';

export interface PointPair {
  /** Image pixels (already undistorted when the lens has distortion). */
  image: { x: number; y: number };
  /** Floor metres. */
  floor: { x: number; y: number };
}

export interface HomographyFit {
  /** Row-major 3×3, scaled so h[8] = 1. */
  homography: number[];
  /** Root mean square of the floor distance between each mark and where its click projects (m). */
  rmsErrorM: number;
  /** The largest of those distances (m). */
  maxErrorM: number;
  /**
   * The point most likely clicked wrong (index into the input). Least squares spreads one bad click over its
   * neighbours, so the largest residual often names a good mark: with 6 or more points it is the one whose
   * removal lets the others fit best; with 5, the one furthest from where the fit of the other four puts it;
   * with 4 (always an exact fit), the largest residual.
   */
  worstPoint: number;
  /** Each point's floor distance (m), in input order. */
  errorsM: number[];
}

export class HomographyFitError extends Error {
  readonly code = 'HOMOGRAPHY_FIT_FAILED';
}

type Mat3 = [number, number, number, number, number, number, number, number, number];

/** The similarity moving points to their centroid at a mean distance √2 from it. */
function normaliser(points: ReadonlyArray<{ x: number; y: number }>): Mat3 {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const mean = points.reduce((s, p) => s + Math.hypot(p.x - mx, p.y - my), 0) / n;
  if (!(mean > 1e-12)) throw new HomographyFitError('the points all lie on one spot');
  const s = Math.SQRT2 / mean;
  return [s, 0, -s * mx, 0, s, -s * my, 0, 0, 1];
}

const apply = (m: Mat3, p: { x: number; y: number }) => {
  const w = m[6] * p.x + m[7] * p.y + m[8];
  return { x: (m[0] * p.x + m[1] * p.y + m[2]) / w, y: (m[3] * p.x + m[4] * p.y + m[5]) / w };
};

function multiply(a: Mat3, b: Mat3): Mat3 {
  const out = new Array<number>(9).fill(0) as Mat3;
  const at = (m: Mat3, i: number) => m[i] as number;
  for (let r = 0; r < 3; r++)
    for (let c = 0; c < 3; c++)
      out[r * 3 + c] =
        at(a, r * 3) * at(b, c) + at(a, r * 3 + 1) * at(b, 3 + c) + at(a, r * 3 + 2) * at(b, 6 + c);
  return out;
}

/** Inverse of a similarity [s 0 tx; 0 s ty; 0 0 1]. */
const invertSimilarity = (m: Mat3): Mat3 => [1 / m[0], 0, -m[2] / m[0], 0, 1 / m[4], -m[5] / m[4], 0, 0, 1];

/**
 * Eigenvector of the smallest eigenvalue of a symmetric n×n matrix (cyclic Jacobi rotations), with the
 * eigenvalues in ascending order.
 */
export function smallestEigenvector(symmetric: number[][]): { vector: number[]; values: number[] } {
  const n = symmetric.length;
  const a = symmetric.map((row) => [...row]);
  const v = a.map((_, i) => a.map((__, j) => (i === j ? 1 : 0)));
  const at = (m: number[][], i: number, j: number) => (m[i] as number[])[j] as number;
  const set = (m: number[][], i: number, j: number, x: number) => {
    (m[i] as number[])[j] = x;
  };
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += at(a, i, j) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = at(a, p, q);
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (at(a, q, q) - at(a, p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = at(a, k, p);
          const akq = at(a, k, q);
          set(a, k, p, c * akp - s * akq);
          set(a, k, q, s * akp + c * akq);
        }
        for (let k = 0; k < n; k++) {
          const apk = at(a, p, k);
          const aqk = at(a, q, k);
          set(a, p, k, c * apk - s * aqk);
          set(a, q, k, s * apk + c * aqk);
        }
        for (let k = 0; k < n; k++) {
          const vkp = at(v, k, p);
          const vkq = at(v, k, q);
          set(v, k, p, c * vkp - s * vkq);
          set(v, k, q, s * vkp + c * vkq);
        }
      }
  }
  let best = 0;
  for (let i = 1; i < n; i++) if (at(a, i, i) < at(a, best, best)) best = i;
  const values = a.map((_, i) => at(a, i, i)).sort((x, y) => x - y);
  return { vector: v.map((row) => row[best] as number), values };
}

/** Twice the area of the triangle abc: near zero when the three lie on one line. */
const area2 = (a: { x: number; y: number }, b: { x: number; y: number }, c: { x: number; y: number }) =>
  (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);

/** The homography mapping each pair's image point to its floor point, least squares over all of them. */
export function fitHomography(pairs: readonly PointPair[]): HomographyFit {
  const homography = solveHomography(pairs);
  const errorsM = pairs.map((p) => floorError(homography, p));
  const rmsErrorM = Math.sqrt(errorsM.reduce((s, e) => s + e * e, 0) / errorsM.length);
  const argmax = (values: readonly number[]) =>
    values.reduce((best, v, i) => (v > (values[best] as number) ? i : best), 0);
  return {
    homography,
    rmsErrorM,
    maxErrorM: Math.max(...errorsM),
    worstPoint:
      pairs.length >= 6
        ? mostSuspect(leaveOneOut(pairs))
        : argmax(pairs.length === 5 ? leaveOneOut(pairs).map((l) => l.errorM) : errorsM),
    errorsM,
  };
}

/** How far (m) each point's click projects from its mark. */
const floorError = (h: readonly number[], p: PointPair) => {
  const at = projectToFloor(h, p.image.x, p.image.y);
  return Math.hypot(at.x - p.floor.x, at.y - p.floor.y);
};

/** Within this RMS (m) of the best, removing either point lets the others fit equally well. */
const TIE_RMS_M = 0.005;

/**
 * The point whose removal lets the others fit best; among points that do so equally (two rows of marks leave
 * several subsets that fit exactly), the one furthest from where the others put it.
 */
function mostSuspect(loo: ReadonlyArray<{ errorM: number; othersRmsM: number }>): number {
  const best = Math.min(...loo.map((l) => l.othersRmsM));
  let pick = -1;
  loo.forEach((l, i) => {
    if (l.othersRmsM > best + TIE_RMS_M) return;
    if (pick < 0 || l.errorM > (loo[pick]?.errorM ?? 0)) pick = i;
  });
  return Math.max(0, pick);
}

/**
 * For each point, the fit of all the others: the point's error under it, and the others' RMS error (a point
 * whose removal leaves no homography fixed gets infinite RMS and error 0: it is needed, not suspect).
 */
function leaveOneOut(pairs: readonly PointPair[]): Array<{ errorM: number; othersRmsM: number }> {
  return pairs.map((p, i) => {
    const others = pairs.filter((_, k) => k !== i);
    try {
      const h = solveHomography(others);
      const rms = Math.sqrt(others.reduce((s, o) => s + floorError(h, o) ** 2, 0) / others.length);
      return { errorM: floorError(h, p), othersRmsM: rms };
    } catch (err) {
      if (err instanceof HomographyFitError) return { errorM: 0, othersRmsM: Number.POSITIVE_INFINITY };
      throw err;
    }
  });
}

/** The normalised DLT: the homography (h[8] = 1) of the least algebraic error over all pairs. */
function solveHomography(pairs: readonly PointPair[]): number[] {
  if (pairs.length < 4) throw new HomographyFitError(`4 or more points are needed, got ${pairs.length}`);
  const ti = normaliser(pairs.map((p) => p.image));
  const tf = normaliser(pairs.map((p) => p.floor));
  const img = pairs.map((p) => apply(ti, p.image));
  const flo = pairs.map((p) => apply(tf, p.floor));
  // four points with three on a line fit no unique homography: check the normalised points span a plane
  let spread = 0;
  for (let i = 0; i < img.length; i++)
    for (let j = i + 1; j < img.length; j++)
      for (let k = j + 1; k < img.length; k++)
        spread = Math.max(spread, Math.abs(area2(img[i] as never, img[j] as never, img[k] as never)));
  if (spread < 1e-3)
    throw new HomographyFitError('the points lie on one line: click marks spread over the picture');
  const ata = Array.from({ length: 9 }, () => new Array<number>(9).fill(0));
  const addRow = (row: number[]) => {
    for (let i = 0; i < 9; i++)
      for (let j = 0; j < 9; j++)
        (ata[i] as number[])[j] =
          ((ata[i] as number[])[j] as number) + (row[i] as number) * (row[j] as number);
  };
  img.forEach((p, i) => {
    const f = flo[i] as { x: number; y: number };
    addRow([p.x, p.y, 1, 0, 0, 0, -f.x * p.x, -f.x * p.y, -f.x]);
    addRow([0, 0, 0, p.x, p.y, 1, -f.y * p.x, -f.y * p.y, -f.y]);
  });
  const { vector, values } = smallestEigenvector(ata);
  // a second (near) zero eigenvalue: more than one homography fits (three of four marks on a line)
  if ((values[1] as number) < 1e-9 * (values[8] as number))
    throw new HomographyFitError('the points do not fix the picture: no three on one line, spread them out');
  const hn = vector as Mat3;
  const h = multiply(multiply(invertSimilarity(tf), hn), ti);
  if (Math.abs(h[8]) < 1e-12) throw new HomographyFitError('the fitted homography is degenerate');
  return h.map((x) => x / h[8]);
}
