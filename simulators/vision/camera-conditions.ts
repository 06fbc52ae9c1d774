// What a ceiling camera's picture suffers at a moment: lighting drift and dim spells, sensor noise and blur,
// JPEG quality. Drawn by the camera simulator, applied by the renderer's raster operations.
import type { Random } from '../../shared/random.ts';

export interface Conditions {
  /** Multiplies every pixel (lighting change). */
  brightness: number;
  /** Sensor noise standard deviation in 8-bit levels. */
  noiseSd: number;
  /** Gaussian blur sigma in pixels; 0 for none. */
  blurSigma: number;
  jpegQuality: number;
}

/** Lighting, noise and blur for one camera at one moment: slow drift, a dim spell, per-frame noise. */
export function conditionsAt(cameraIndex: number, tMs: number, random: Random): Conditions {
  return { brightness: brightnessAt(cameraIndex, tMs), ...sensorConditions(random), jpegQuality: 75 };
}

/** The camera's lighting at a moment: slow drift (47 s period, ±14 %) and dim spells (×0.72). */
export function brightnessAt(cameraIndex: number, tMs: number): number {
  const phase = cameraIndex * 1.7;
  const dim = Math.sin(tMs / 13_000 + phase) > 0.93 ? 0.72 : 1;
  return (0.92 + 0.14 * Math.sin((2 * Math.PI * tMs) / 47_000 + phase)) * dim;
}

/** One frame's sensor noise and blur, drawn from `random` (noise first, then blur). */
export function sensorConditions(random: Random): { noiseSd: number; blurSigma: number } {
  return {
    noiseSd: 3 + random.next() * 5,
    blurSigma: random.next() < 0.3 ? 0.5 + random.next() * 0.8 : 0,
  };
}
