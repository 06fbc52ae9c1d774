// The evaluation's own optimal matching of truth to what the edge reported (the `munkres` package), so a fault
// in the tracker's assignment (edge/tracking/hungarian.ts) cannot hide in the scores that judge it. Pure.
import { munkres } from 'munkres';

/**
 * Per row, the matched column or -1: the most pairs costing at most `maxCost`, and among those the least total
 * cost. Pairs above `maxCost` (or not finite) are never matched.
 */
export function matchWithin(
  cost: readonly (readonly number[])[],
  maxCost = Number.POSITIVE_INFINITY,
): number[] {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : Math.max(...cost.map((r) => r.length));
  const result = new Array<number>(rows).fill(-1);
  if (rows === 0 || cols === 0) return result;
  const allowed = (v: number | undefined): v is number =>
    v !== undefined && Number.isFinite(v) && v <= maxCost;
  // a forbidden pair costs more than every allowed pair together: matching one more allowed pair always wins
  let forbidden = 1;
  for (const r of cost) for (const v of r) if (allowed(v)) forbidden += Math.abs(v);
  const matrix = cost.map((r) => Array.from({ length: cols }, (_, c) => (allowed(r[c]) ? r[c] : forbidden)));
  for (const [r, c] of munkres(matrix)) if (allowed(cost[r]?.[c])) result[r] = c;
  return result;
}
