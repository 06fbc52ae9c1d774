// What staff and analysts may see of behaviour from the floor: sums per category over many consenting
// visits, never a visit or a person. A category seen in fewer than `minVisits` visits is left out (and
// counted), so a total cannot be traced back to one shopper.
import type { VisitBehaviour } from '../../shared/schemas/visit-behaviour.ts';
import type { Database } from '../db/database.ts';

export interface CategoryAggregate {
  category: string;
  /** Consenting visits with any behaviour in the category. */
  visits: number;
  looks: number;
  comparisons: number;
  dwellMs: number;
}

export interface BehaviourAggregates {
  visits: number;
  categories: CategoryAggregate[];
  /** Categories left out because fewer than `minVisits` visits had them. */
  suppressed: number;
}

/** Fewest visits behind a category's totals: small enough for a day of a small store, large enough to hide one. */
export const MIN_VISITS_PER_AGGREGATE = 5;
/** Visits read for one answer at most (the newest in the period). */
const MAX_VISITS = 20_000;

export async function behaviourAggregates(
  db: Database,
  storeId: string,
  from: number,
  to: number,
  minVisits = MIN_VISITS_PER_AGGREGATE,
): Promise<BehaviourAggregates> {
  const rows = await db.query<{ floor: VisitBehaviour | string }>(
    `SELECT floor FROM behaviour_visits WHERE store_id = $1 AND entered_at >= $2 AND entered_at < $3
     AND floor IS NOT NULL ORDER BY entered_at DESC LIMIT ${MAX_VISITS}`,
    [storeId, from, to],
  );
  /** by category */
  const sums = new Map<string, CategoryAggregate>();
  for (const row of rows) {
    const floor = (typeof row.floor === 'string' ? JSON.parse(row.floor) : row.floor) as VisitBehaviour;
    const seen = new Set<string>();
    const of = (category: string) => {
      const sum = sums.get(category) ?? { category, visits: 0, looks: 0, comparisons: 0, dwellMs: 0 };
      sums.set(category, sum);
      if (!seen.has(category)) {
        seen.add(category);
        sum.visits += 1;
      }
      return sum;
    };
    for (const d of floor.dwellByCategory) of(d.category).dwellMs += d.dwellMs;
    for (const l of floor.lingers) if (l.category !== undefined) of(l.category).looks += 1;
    for (const c of floor.comparisons) of(c.category).comparisons += 1;
  }
  const all = [...sums.values()];
  const shown = all.filter((c) => c.visits >= minVisits).sort((a, b) => b.dwellMs - a.dwellMs);
  return { visits: rows.length, categories: shown, suppressed: all.length - shown.length };
}
