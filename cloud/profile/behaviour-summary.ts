// Summarises what a shopper did in a visit beyond the bill — products picked up and put back (considered,
// not bought), activity per category, visit time — from the edge's events. Pure; stored only with consent.
import type { VisitEvent, VisitLine } from '../../shared/schemas/visit.ts';

export interface ConsideredProduct {
  sku: string;
  /** Times it was put back. */
  putBacks: number;
}

export interface CategoryActivity {
  category: string;
  /** Picks and put-backs in the category. */
  interactions: number;
  /** First to last event in the category: the time spent there as far as shelves can tell. */
  activeSpanMs: number;
}

export interface BehaviourSummary {
  durationMs: number;
  considered: ConsideredProduct[];
  categories: CategoryActivity[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function summariseBehaviour(
  visit: { enteredAt: number; exitedAt: number; lines: readonly VisitLine[]; events: readonly VisitEvent[] },
  categoryOf: (sku: string) => string | undefined,
): BehaviourSummary {
  const bought = new Set(visit.lines.map((line) => line.sku));
  /** by SKU */
  const putBacks = new Map<string, number>();
  /** by category */
  const activity = new Map<string, { interactions: number; first: number; last: number }>();
  for (const event of visit.events) {
    if (event.kind === 'put-back' && !bought.has(event.sku)) {
      putBacks.set(event.sku, (putBacks.get(event.sku) ?? 0) + 1);
    }
    const category = categoryOf(event.sku);
    if (category === undefined) continue;
    const seen = activity.get(category) ?? { interactions: 0, first: event.ts, last: event.ts };
    seen.interactions += 1;
    seen.first = Math.min(seen.first, event.ts);
    seen.last = Math.max(seen.last, event.ts);
    activity.set(category, seen);
  }
  return {
    durationMs: Math.max(0, visit.exitedAt - visit.enteredAt),
    considered: [...putBacks.entries()]
      .sort(([a], [b]) => byText(a, b))
      .map(([sku, count]) => ({ sku, putBacks: count })),
    categories: [...activity.entries()]
      .sort(([a], [b]) => byText(a, b))
      .map(([category, seen]) => ({
        category,
        interactions: seen.interactions,
        activeSpanMs: seen.last - seen.first,
      })),
  };
}

/** The events a bill needs as dispute evidence: those of products on it. The rest is behaviour. */
export function evidenceEvents(events: readonly VisitEvent[], lines: readonly VisitLine[]): VisitEvent[] {
  const billed = new Set(lines.map((line) => line.sku));
  return events.filter((event) => billed.has(event.sku));
}
