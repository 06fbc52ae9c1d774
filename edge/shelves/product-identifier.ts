// Pure core: ranks (product, count) hypotheses that explain a lane's weight change, from the lane's
// planogram product and, with a lower prior, the products of neighbouring lanes (misplaced items).
// Priors rank the hypotheses; whether the event is ambiguous is judged on weight alone, so a look-alike
// that is merely less likely to be there is reported as a doubt rather than silently ruled out.

import type { ProductHypothesis } from '../../shared/schemas/shelf-event.ts';

export interface CandidateProduct {
  sku: string;
  unitGrams: number;
  unitGramsSd: number;
  /** Prior weight of this product being the one moved (planogram product 1, neighbours less). */
  prior: number;
  /** Largest count plausible for this candidate (a misplaced return is one unit); default the settings'. */
  maxCount?: number;
}

export interface Identification {
  hypotheses: ProductHypothesis[];
  /** The best hypothesis is not clearly better than the runner-up. */
  ambiguous: boolean;
  /** How far (in standard deviations) the best hypothesis is from the measured change; Infinity if none. */
  bestZ: number;
}

export interface IdentifierSettings {
  /** Hypotheses further than this many standard deviations from the change are dropped. */
  maxZ: number;
  /** Largest count considered for one interaction. */
  maxCount: number;
  /** Ambiguous when runner-up likelihood ≥ this fraction of the best. */
  ambiguityRatio: number;
  /** Also ambiguous when another hypothesis explains the weight (ignoring priors) ≥ this fraction as well. */
  weightAmbiguityRatio: number;
  /** Hypotheses kept, best first. */
  keep: number;
}

export const defaultIdentifierSettings: IdentifierSettings = {
  maxZ: 4,
  maxCount: 12,
  ambiguityRatio: 0.2,
  weightAmbiguityRatio: 0.05,
  keep: 5,
};

export function identifyProduct(
  deltaGrams: number,
  deltaSdGrams: number,
  candidates: readonly CandidateProduct[],
  settings: IdentifierSettings = defaultIdentifierSettings,
): Identification {
  const magnitude = Math.abs(deltaGrams);
  const scored: (ProductHypothesis & { z: number; fit: number })[] = [];
  if (!Number.isFinite(magnitude))
    return { hypotheses: [], ambiguous: false, bestZ: Number.POSITIVE_INFINITY };
  for (const product of candidates) {
    const maxCount = Math.min(settings.maxCount, product.maxCount ?? settings.maxCount);
    const upper = Math.min(maxCount, Math.floor(magnitude / product.unitGrams) + 1);
    for (let count = 1; count <= upper; count++) {
      const sd = Math.sqrt(count * product.unitGramsSd ** 2 + deltaSdGrams ** 2 + 1);
      const z = (magnitude - count * product.unitGrams) / sd;
      if (Math.abs(z) > settings.maxZ) continue;
      const fit = Math.exp(-0.5 * z * z) / sd;
      scored.push({ sku: product.sku, count, likelihood: product.prior * fit, z: Math.abs(z), fit });
    }
  }
  const total = scored.reduce((sum, h) => sum + h.likelihood, 0);
  if (total <= 0) return { hypotheses: [], ambiguous: false, bestZ: Number.POSITIVE_INFINITY };
  scored.sort((a, b) => b.likelihood - a.likelihood);
  const top = scored[0];
  const bestZ = top?.z ?? Number.POSITIVE_INFINITY;
  const lookAlike =
    top !== undefined &&
    scored.some(
      (h) =>
        h !== top &&
        (h.sku !== top.sku || h.count !== top.count) &&
        h.fit >= settings.weightAmbiguityRatio * top.fit,
    );
  const hypotheses = scored
    .slice(0, settings.keep)
    .map((h) => ({ sku: h.sku, count: h.count, likelihood: h.likelihood / total }));
  const [best, second] = hypotheses;
  const ambiguous =
    lookAlike ||
    (best !== undefined &&
      second !== undefined &&
      second.likelihood >= settings.ambiguityRatio * best.likelihood);
  return { hypotheses, ambiguous, bestZ };
}
