// How a simulated person looks from the ceiling: clothing and hair colours (distinct, but drawn from a
// palette so two shoppers are sometimes alike), body size and what they carry. Deterministic per seed.
import type { Random } from '../../shared/random.ts';

export interface Appearance {
  /** Shirt/jacket colour seen on the shoulders and arms, [r, g, b] 0–255. */
  top: [number, number, number];
  /** Hair or hat colour. */
  head: [number, number, number];
  skin: [number, number, number];
  /** Shoulder width scale around 1. */
  size: number;
  carries: 'nothing' | 'basket' | 'trolley';
  /** Basket colour (when carried). */
  basket: [number, number, number];
}

const TOPS: Array<[number, number, number]> = [
  [200, 40, 40],
  [40, 70, 170],
  [30, 120, 60],
  [230, 200, 60],
  [240, 240, 235],
  [35, 35, 40],
  [120, 70, 150],
  [230, 120, 40],
  [110, 110, 115],
  [90, 60, 40],
  [80, 160, 200],
  [200, 120, 160],
];
const HAIR: Array<[number, number, number]> = [
  [30, 25, 20],
  [80, 50, 30],
  [190, 160, 100],
  [160, 160, 160],
  [120, 40, 30],
  [50, 50, 120],
];
const SKIN: Array<[number, number, number]> = [
  [235, 200, 170],
  [200, 150, 110],
  [140, 95, 65],
  [90, 60, 40],
];
const BASKETS: Array<[number, number, number]> = [
  [210, 30, 30],
  [30, 60, 200],
  [20, 150, 60],
];

const jitter = (c: [number, number, number], random: Random, by: number): [number, number, number] =>
  c.map((v) => Math.max(0, Math.min(255, Math.round(v + (random.next() * 2 - 1) * by)))) as [
    number,
    number,
    number,
  ];

export function drawAppearance(random: Random): Appearance {
  const roll = random.next();
  return {
    top: jitter(random.pick(TOPS), random, 25),
    head: jitter(random.pick(HAIR), random, 15),
    skin: random.pick(SKIN),
    size: 0.9 + random.next() * 0.2,
    carries: roll < 0.45 ? 'nothing' : roll < 0.85 ? 'basket' : 'trolley',
    basket: random.pick(BASKETS),
  };
}

export const rgb = (c: readonly [number, number, number]) => `rgb(${c[0]},${c[1]},${c[2]})`;
