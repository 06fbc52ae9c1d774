// Named load-cell noise profiles a scenario chooses from: white noise, slow drift and occasional spikes.

export interface NoiseProfile {
  /** Standard deviation of per-sample white noise, grams. */
  whiteSdGrams: number;
  /** Typical size of the random-walk drift over one minute, grams (0 = no drift). */
  driftGramsPerMin: number;
  /** Chance per sample of a single-sample spike (electrical glitch, a knock on the shelf). */
  spikeProbability: number;
  /** Spike size range, grams; the sign is random. */
  spikeGrams: readonly [number, number];
}

export const NOISE_PROFILES = {
  quiet: { whiteSdGrams: 1, driftGramsPerMin: 0, spikeProbability: 0, spikeGrams: [0, 0] },
  standard: { whiteSdGrams: 3, driftGramsPerMin: 3, spikeProbability: 0, spikeGrams: [0, 0] },
  noisy: { whiteSdGrams: 15, driftGramsPerMin: 10, spikeProbability: 0.002, spikeGrams: [40, 150] },
} as const satisfies Record<string, NoiseProfile>;

export type NoiseProfileName = keyof typeof NOISE_PROFILES;

export const NOISE_PROFILE_NAMES = Object.keys(NOISE_PROFILES) as NoiseProfileName[];

export function isNoiseProfileName(name: string): name is NoiseProfileName {
  return Object.hasOwn(NOISE_PROFILES, name);
}
