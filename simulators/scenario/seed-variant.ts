// Seeded variants of a scenario for the evaluation's --seeds: the same situation (who does what, where, in which
// order) played by other people — a new seed for motion plans, appearances, unit weights and noise — arriving a
// little earlier or later (each shopper's whole script shifted by the same arrival jitter).
import { Random } from '../../shared/random.ts';
import { deriveSeed } from '../world/derived-random.ts';
import type { Scenario } from './scenario-schema.ts';

/** Largest shift of a shopper's script in a variant (s): small enough to keep same-moment grabs together. */
export const ARRIVAL_JITTER_S = 0.6;

/** Variant `k` of a scenario: 0 is the scenario as written, 1… draw a new seed and arrival jitter from it. */
export function scenarioVariant(scenario: Scenario, k: number): Scenario {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`variant must be an integer ≥ 0, got ${k}`);
  if (k === 0) return scenario;
  const seed = deriveSeed(scenario.seed, `variant:${k}`);
  const random = new Random(deriveSeed(seed, 'arrival-jitter'));
  return {
    ...scenario,
    seed,
    shoppers: scenario.shoppers.map((shopper) => {
      const shiftS = Math.round(random.next() * ARRIVAL_JITTER_S * 100) / 100;
      return { ...shopper, script: shopper.script.map((action) => ({ ...action, at: action.at + shiftS })) };
    }),
  };
}
