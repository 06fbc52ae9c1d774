// Independent seeded random streams derived from one scenario seed and a label (a cell id, a shopper id),
// so each stream stays reproducible whatever order the others are drawn in.
import { Random } from '../../shared/random.ts';

/** FNV-1a over the label, mixed with the seed. */
export function deriveSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function deriveRandom(seed: number, label: string): Random {
  return new Random(deriveSeed(seed, label));
}
