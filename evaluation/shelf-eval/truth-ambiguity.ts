// Ground truth of "weight alone cannot tell": the units that really moved weigh what another (product,
// count) the lane could plausibly give or take would weigh, within two of that alternative's standard
// deviations (its unit spread and the measurement's).
// A misplaced return is one unit; a lane's own product and items lying on it may move several at once.
import type { StoreIndex } from '../../shared/store-config.ts';

/** Counts considered for an alternative explanation (as the edge does). */
const MAX_COUNT = 12;
/** Alternatives closer than this many combined standard deviations are indistinguishable. */
const SIGMAS = 2;

export function isWeightAmbiguous(
  store: StoreIndex,
  sku: string,
  count: number,
  /** Products the lane could plausibly give or take (its own, misplaced ones on it, neighbours' as one unit). */
  plausible: readonly { sku: string | undefined; maxCount: number }[],
  /** Standard uncertainty of a measured weight change, grams. */
  measurementSd: number,
  /** True weight of the units that moved, grams. */
  grams: number,
): boolean {
  const product = store.productBySku.get(sku);
  if (product === undefined) return false;
  for (const other of plausible) {
    const alt = other.sku === undefined ? undefined : store.productBySku.get(other.sku);
    if (alt === undefined) continue;
    for (let n = 1; n <= Math.min(MAX_COUNT, other.maxCount); n++) {
      if (alt.sku === sku && n === count) continue;
      const sd = Math.sqrt(n * alt.unitGramsSd ** 2 + 2 * measurementSd ** 2);
      if (Math.abs(n * alt.unitGrams - grams) <= SIGMAS * sd) return true;
    }
  }
  return false;
}
