// Pure core: folds a session's shelf events into cart lines (picks minus put-backs per SKU). Events the
// system doubts (ambiguous product, nothing fits the weight) are never billed: they are returned as doubtful.
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { VisitEvent, VisitLine } from '../../shared/schemas/visit.ts';

export interface Cart {
  lines: VisitLine[];
  /** Events with a confident product, as the visit's behaviour record. */
  events: VisitEvent[];
  /** Events not billed because the product is uncertain. */
  doubtful: ShelfEvent[];
  /** Put-backs of products that were not in the cart (someone else's item, or a mis-detection). */
  unmatchedPutBacks: number;
}

export function buildCart(shelfEvents: readonly ShelfEvent[]): Cart {
  const ordered = [...shelfEvents].sort(
    (a, b) => a.startTs - b.startTs || a.eventId.localeCompare(b.eventId),
  );
  /** by SKU */
  const quantities = new Map<string, number>();
  const events: VisitEvent[] = [];
  const doubtful: ShelfEvent[] = [];
  let unmatchedPutBacks = 0;
  for (const event of ordered) {
    const best = event.hypotheses[0];
    if (best === undefined || event.ambiguous) {
      doubtful.push(event);
      continue;
    }
    events.push({
      eventId: event.eventId,
      kind: event.kind,
      sku: best.sku,
      count: best.count,
      lane: event.lane,
      ts: event.startTs,
      ...(event.attribution === 'unattributed' ? {} : { attribution: event.attribution }),
      ...(event.confidence === undefined ? {} : { confidence: event.confidence }),
    });
    const held = quantities.get(best.sku) ?? 0;
    if (event.kind === 'pick') {
      quantities.set(best.sku, held + best.count);
    } else {
      if (best.count > held) unmatchedPutBacks += best.count - held;
      quantities.set(best.sku, Math.max(0, held - best.count));
    }
  }
  const lines = [...quantities.entries()]
    .filter(([, quantity]) => quantity > 0)
    .map(([sku, quantity]) => ({ sku, quantity }))
    .sort((a, b) => a.sku.localeCompare(b.sku));
  return { lines, events, doubtful, unmatchedPutBacks };
}

/** Units per SKU a cart holds now. */
export function cartHoldings(shelfEvents: readonly ShelfEvent[]): Map<string, number> {
  return new Map(buildCart(shelfEvents).lines.map((l) => [l.sku, l.quantity]));
}
