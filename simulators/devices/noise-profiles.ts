// Named load-cell noise profiles a scenario chooses from: white noise, a plate's ring (vibration), slow drift
// and occasional spikes. Calibrated against the real AutoCheckout recording (see evaluation/shelf-eval/README.md).

export interface NoiseProfile {
  /** Standard deviation of per-sample white noise, grams. */
  whiteSdGrams: number;
  /** Typical size of the random-walk drift over one minute, grams (0 = no drift). */
  driftGramsPerMin: number;
  /** Chance per sample of a single-sample spike (electrical glitch, a knock on the shelf). */
  spikeProbability: number;
  /** Spike size range, grams; the sign is random. */
  spikeGrams: readonly [number, number];
  /** Standard deviation of a resonant ring of the plate (a damped oscillator driven by noise), grams. */
  vibrationSdGrams?: number;
  /** Frequency of that ring, Hz. */
  vibrationHz?: number;
}

/*
 * Calibration (plates.csv.gz of autocheckout-cps-test-01, 348 plates, sd over 0.5 s windows per plate):
 * median 0.6 g, p90 3.1 g, p95 5.4 g, p99 14.2 g; its noisiest shelf (G1-S6) sits at 10 g per plate with a
 * ~10 Hz ring (lag-1 autocorrelation +0.6, lag-3 −0.7); drift over 28 s is below 1.4 g on 95 % of plates.
 * `standard` is the recording's p90 plate, `noisy` its p99 plate (white + 10 Hz ring + glitches).
 * The README's "median 5 g, p95 31 g" is the sum of all plates of a shelf, not one plate.
 */
export const NOISE_PROFILES = {
  quiet: { whiteSdGrams: 1, driftGramsPerMin: 0, spikeProbability: 0, spikeGrams: [0, 0] },
  standard: { whiteSdGrams: 3, driftGramsPerMin: 3, spikeProbability: 0, spikeGrams: [0, 0] },
  noisy: {
    whiteSdGrams: 10,
    driftGramsPerMin: 10,
    spikeProbability: 0.001,
    spikeGrams: [40, 150],
    vibrationSdGrams: 10,
    vibrationHz: 10,
  },
} as const satisfies Record<string, NoiseProfile>;

export type NoiseProfileName = keyof typeof NOISE_PROFILES;

export const NOISE_PROFILE_NAMES = Object.keys(NOISE_PROFILES) as NoiseProfileName[];

export function isNoiseProfileName(name: string): name is NoiseProfileName {
  return Object.hasOwn(NOISE_PROFILES, name);
}
