// Minimum-cost assignment (Hungarian / Kuhn–Munkres with potentials, O(n²m)) for rectangular cost
// matrices. Pairs costing more than `maxCost` (or not finite) are never assigned. Pure.

/**
 * `cost[r][c]` for rows (e.g. tracks) × columns (e.g. detections). Returns, per row, the assigned column or
 * -1. The total cost of the accepted pairs is minimal among assignments that only use allowed pairs.
 */
export function assign(cost: readonly (readonly number[])[], maxCost = Number.POSITIVE_INFINITY): number[] {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : Math.max(...cost.map((r) => r.length));
  if (rows === 0 || cols === 0) return new Array<number>(rows).fill(-1);
  // Forbidden pairs get a cost above any sum of allowed ones, so they are only used when nothing else fits,
  // and are then dropped. Pad to a square matrix with that same cost.
  let big = 1;
  for (const r of cost) for (const v of r) if (Number.isFinite(v) && v <= maxCost) big += Math.abs(v);
  const n = Math.max(rows, cols);
  const at = (r: number, c: number) => {
    const v = r < rows && c < cols ? (cost[r]?.[c] ?? Number.POSITIVE_INFINITY) : big;
    return Number.isFinite(v) && v <= maxCost ? v : big;
  };
  // Jonker-style potentials; 1-based arrays as in the classic formulation.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0] as number;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = at(i0 - 1, j - 1) - (u[i0] as number) - (v[j] as number);
        if (cur < (minv[j] as number)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j] as number] = (u[p[j] as number] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minv[j] = (minv[j] as number) - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0] as number;
      p[j0] = p[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const result = new Array<number>(rows).fill(-1);
  for (let j = 1; j <= n; j++) {
    const r = (p[j] as number) - 1;
    const c = j - 1;
    if (r < rows && c < cols) {
      const value = cost[r]?.[c] ?? Number.POSITIVE_INFINITY;
      if (Number.isFinite(value) && value <= maxCost) result[r] = c;
    }
  }
  return result;
}
