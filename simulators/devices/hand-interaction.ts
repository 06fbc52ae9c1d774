// What a hand does to a load cell during a pick or put-back: a press transient, the units leaving or
// arriving over a few samples, a short jostle, then the signal settles at the new level.
import type { Random } from '../../shared/random.ts';

export interface HandInteraction {
  /** Hand reaches the lane. */
  startTs: number;
  /** Units start to leave (pick) or arrive (put-back); the level ramps over RAMP_MS from here. */
  changeTs: number;
  /** Hand gone, signal settled at the new level. */
  endTs: number;
  /** Signed change of the lane's settled weight (negative for a pick), grams. */
  deltaGrams: number;
  pressStartTs: number;
  pressEndTs: number;
  /** Peak extra weight of the hand pressing on the lane, grams. */
  pressGrams: number;
  /** Initial amplitude and frequency of the jostle after the change. */
  jostleGrams: number;
  jostleHz: number;
}

/** The units do not vanish within one sample: the level moves over a few samples. */
export const RAMP_MS = 50;
const JOSTLE_DECAY_MS = 120;

const uniform = (random: Random, min: number, max: number) => min + (max - min) * random.next();

/** Draws an interaction of 0.6–1.2 s that starts at `startTs` and changes the level by `deltaGrams`. */
export function planInteraction(startTs: number, deltaGrams: number, random: Random): HandInteraction {
  const durationMs = uniform(random, 600, 1200);
  const pressOffsetMs = uniform(random, 40, 120);
  const pressMs = uniform(random, 150, Math.min(400, durationMs - pressOffsetMs - RAMP_MS - 150));
  const pressStartTs = startTs + pressOffsetMs;
  const pressEndTs = pressStartTs + pressMs;
  return {
    startTs,
    changeTs: pressEndTs,
    endTs: startTs + durationMs,
    deltaGrams,
    pressStartTs,
    pressEndTs,
    pressGrams: uniform(random, 50, 300),
    jostleGrams: uniform(random, 10, 40) + 0.05 * Math.abs(deltaGrams),
    jostleHz: uniform(random, 4, 8),
  };
}

/** The interaction's contribution to the reading at `ts`, relative to the level before it began. */
export function interactionGrams(i: HandInteraction, ts: number): number {
  if (ts < i.startTs) return 0;
  if (ts >= i.endTs) return i.deltaGrams;
  let grams = 0;
  if (ts >= i.pressStartTs && ts < i.pressEndTs) {
    grams += i.pressGrams * Math.sin((Math.PI * (ts - i.pressStartTs)) / (i.pressEndTs - i.pressStartTs));
  }
  if (ts >= i.changeTs) {
    const sinceChange = ts - i.changeTs;
    grams += i.deltaGrams * Math.min(1, sinceChange / RAMP_MS);
    const taper = 1 - sinceChange / (i.endTs - i.changeTs);
    grams +=
      i.jostleGrams *
      Math.exp(-sinceChange / JOSTLE_DECAY_MS) *
      Math.sin((2 * Math.PI * i.jostleHz * sinceChange) / 1000) *
      taper;
  }
  return grams;
}
