// How sure the evaluation's rates are: the Wilson score interval of a success rate, and the calibration
// of the edge's confidence (for lines billed without staff, how often a line of a given confidence was right).
import type { CalibrationBin, Decision } from './eval-report-types.ts';

export class IntervalStatsError extends Error {
  readonly code = 'INVALID_STATS_INPUT';
}

/**
 * Wilson score interval of `successes / n` (fractions). Unlike the normal approximation it stays inside
 * [0, 1] and is not zero-width at 0/n or n/n, which is where a good system's exact rate lives.
 * No trials tell nothing: [0, 1].
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): [number, number] {
  if (!Number.isInteger(n) || !Number.isInteger(successes) || n < 0 || successes < 0 || successes > n)
    throw new IntervalStatsError(`need whole 0 <= successes <= n, got ${successes}/${n}`);
  if (!(z > 0)) throw new IntervalStatsError(`z must be positive, got ${z}`);
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // the bound on the side of an extreme rate is the rate itself; rounding must not move it off
  const lo = successes === 0 ? 0 : Math.min(p, Math.max(0, centre - half));
  const hi = successes === n ? 1 : Math.max(p, Math.min(1, centre + half));
  return [lo, hi];
}

/** A decision the edge billed without asking anyone, with a confidence and a verdict to score. */
export function isAutomaticallyBilled(d: Decision): d is Decision & { confidence: number; correct: boolean } {
  return (
    d.attribution !== 'staff' &&
    d.attribution !== 'unattributed' &&
    d.confidence !== null &&
    d.correct !== null
  );
}

/**
 * Calibration of automatically billed decisions in bins of `binWidth` over [0, 1]: [0, w), [w, 2w), …,
 * with 1.0 in the last bin. Every bin is returned, empty ones included, so the array has the same shape for
 * every scenario and bins can be summed index by index across scenarios; a plot skips bins with no lines.
 */
export function calibrationBins(decisions: readonly Decision[], binWidth = 0.1): CalibrationBin[] {
  const count = Math.round(1 / binWidth);
  if (!(binWidth > 0) || count < 1 || Math.abs(count * binWidth - 1) > 1e-9)
    throw new IntervalStatsError(`bin width must divide 1, got ${binWidth}`);
  // the fewest decimals that write every edge exactly: 1 for 0.1, 2 for 0.25
  let digits = 1;
  while (digits < 6 && Math.abs(Math.round(binWidth * 10 ** digits) - binWidth * 10 ** digits) > 1e-9)
    digits++;
  const bins: CalibrationBin[] = Array.from({ length: count }, (_, i) => {
    const lo = i / count;
    const hi = (i + 1) / count;
    return { bin: `${lo.toFixed(digits)}-${hi.toFixed(digits)}`, lo, hi, lines: 0, correct: 0 };
  });
  for (const d of decisions) {
    if (!isAutomaticallyBilled(d)) continue;
    if (!(d.confidence >= 0 && d.confidence <= 1))
      throw new IntervalStatsError(
        `confidence ${d.confidence} outside [0, 1] (${d.scenario} seed ${d.seed} at ${d.atS} s)`,
      );
    // confidence × count, not ÷ width: 0.3 / 0.1 is 2.999…, 0.3 × 10 is 3
    const index = Math.min(count - 1, Math.floor(d.confidence * count + 1e-9));
    const bin = bins[index] as CalibrationBin;
    bin.lines++;
    if (d.correct) bin.correct++;
  }
  return bins;
}
