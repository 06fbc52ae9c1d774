// What a hand does to a load cell during a pick or put-back: a press transient, the units leaving or
// arriving over a few samples, a short jostle, then the signal settles at the new level. Also a hand that
// rests on the shelf while it picks (long, shaky press) and a bump that moves nothing.
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
  /** A resting hand shakes while it presses: amplitude and frequency of that wobble (0 = none). */
  wobbleGrams?: number;
  wobbleHz?: number;
}

/** `normal` reaches, presses briefly and takes; `resting` leans on the lane for up to 1.5 s while it does. */
export type HandStyle = 'normal' | 'resting';

/** The units do not vanish within one sample: the level moves over a few samples. */
export const RAMP_MS = 50;
const JOSTLE_DECAY_MS = 120;

const uniform = (random: Random, min: number, max: number) => min + (max - min) * random.next();

/** Draws an interaction of 0.6–1.2 s that starts at `startTs` and changes the level by `deltaGrams`. */
export function planInteraction(
  startTs: number,
  deltaGrams: number,
  random: Random,
  style: HandStyle = 'normal',
): HandInteraction {
  if (style === 'resting') return planRestingInteraction(startTs, deltaGrams, random);
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

/** A hand leaning on the lane: a 0.5–1.5 s press of 100–500 g that shakes, then the change and a jostle. */
function planRestingInteraction(startTs: number, deltaGrams: number, random: Random): HandInteraction {
  const pressOffsetMs = uniform(random, 40, 120);
  const pressMs = uniform(random, 500, 1500);
  const pressStartTs = startTs + pressOffsetMs;
  const pressEndTs = pressStartTs + pressMs;
  return {
    startTs,
    changeTs: pressEndTs,
    endTs: pressEndTs + uniform(random, 350, 700),
    deltaGrams,
    pressStartTs,
    pressEndTs,
    pressGrams: uniform(random, 100, 500),
    jostleGrams: uniform(random, 20, 60) + 0.05 * Math.abs(deltaGrams),
    jostleHz: uniform(random, 4, 8),
    wobbleGrams: uniform(random, 30, 120),
    wobbleHz: uniform(random, 2, 6),
  };
}

/** A knock on a lane nobody takes from (a neighbour's hand or basket): 0.3–0.7 s, no change of level. */
export function planBump(startTs: number, random: Random): HandInteraction {
  const durationMs = uniform(random, 300, 700);
  const pressStartTs = startTs + uniform(random, 0, 40);
  const pressEndTs = pressStartTs + uniform(random, 80, 200);
  return {
    startTs,
    changeTs: pressEndTs,
    endTs: startTs + durationMs,
    deltaGrams: 0,
    pressStartTs,
    pressEndTs,
    pressGrams: uniform(random, 40, 250) * (random.next() < 0.3 ? -1 : 1),
    jostleGrams: uniform(random, 10, 40),
    jostleHz: uniform(random, 4, 8),
  };
}

/** The interaction's contribution to the reading at `ts`, relative to the level before it began. */
export function interactionGrams(i: HandInteraction, ts: number): number {
  if (ts < i.startTs) return 0;
  if (ts >= i.endTs) return i.deltaGrams;
  let grams = 0;
  if (ts >= i.pressStartTs && ts < i.pressEndTs) {
    const sincePress = ts - i.pressStartTs;
    const pressMs = i.pressEndTs - i.pressStartTs;
    grams += i.pressGrams * Math.sin((Math.PI * sincePress) / pressMs);
    if (i.wobbleGrams) {
      grams += i.wobbleGrams * Math.sin((2 * Math.PI * (i.wobbleHz ?? 4) * sincePress) / 1000);
    }
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
