// Constant-velocity Kalman filter on the floor, one independent [position, velocity] filter per axis.
// Velocity fades while a person goes unseen (shoppers stop at shelves more often than they keep walking). Pure.

export interface AxisState {
  p: number;
  v: number;
  /** Covariance [pp, pv, vv]. */
  cov: [number, number, number];
}

export interface MotionTuning {
  /** Acceleration noise, m/s². */
  accelSd: number;
  /** Measurement noise of a fused detection, m. */
  measureSd: number;
  /** Time constant (s) with which velocity fades while unobserved. */
  coastFadeS: number;
}

export const DEFAULT_MOTION: MotionTuning = { accelSd: 2.0, measureSd: 0.08, coastFadeS: 1.0 };

export function initAxis(p: number): AxisState {
  return { p, v: 0, cov: [0.05, 0, 1.0] };
}

export function predictAxis(s: AxisState, dtS: number, t: MotionTuning, unseenS: number): AxisState {
  const fade = unseenS > 0.3 ? Math.exp(-dtS / t.coastFadeS) : 1;
  const q = t.accelSd * t.accelSd;
  const [pp, pv, vv] = s.cov;
  const dt = dtS;
  return {
    p: s.p + s.v * dt,
    v: s.v * fade,
    cov: [
      pp + 2 * dt * pv + dt * dt * vv + (q * dt ** 4) / 4,
      (pv + dt * vv + (q * dt ** 3) / 2) * fade,
      vv * fade * fade + q * dt * dt,
    ],
  };
}

export function updateAxis(s: AxisState, z: number, t: MotionTuning): AxisState {
  const [pp, pv, vv] = s.cov;
  const r = t.measureSd * t.measureSd;
  const k0 = pp / (pp + r);
  const k1 = pv / (pp + r);
  const y = z - s.p;
  return { p: s.p + k0 * y, v: s.v + k1 * y, cov: [(1 - k0) * pp, (1 - k0) * pv, vv - k1 * pv] };
}
