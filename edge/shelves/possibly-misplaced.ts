// Pure core: products an ambiguous put-back may have left on a lane (a look-alike of the lane's product),
// so that a later pick there considers them instead of confidently naming the lane's own product.
import type { DetectedShelfEvent } from '../../shared/schemas/shelf-event.ts';

export class PossiblyMisplaced {
  /** by lane id → SKU → units */
  private readonly byLane = new Map<string, Map<string, number>>();

  /** SKUs that may lie on the lane. */
  skusOn(lane: string): Iterable<string> {
    return this.byLane.get(lane)?.keys() ?? [];
  }

  /** An ambiguous put-back adds its other candidates; a pick naming one may have taken it away again. */
  note(event: DetectedShelfEvent, laneSku: string | undefined): void {
    let possible = this.byLane.get(event.lane);
    if (event.kind === 'put-back' && event.ambiguous) {
      if (possible === undefined) {
        possible = new Map();
        this.byLane.set(event.lane, possible);
      }
      for (const h of event.hypotheses) {
        if (h.sku !== laneSku) possible.set(h.sku, (possible.get(h.sku) ?? 0) + h.count);
      }
      return;
    }
    if (event.kind !== 'pick' || possible === undefined) return;
    for (const h of event.hypotheses) {
      const left = (possible.get(h.sku) ?? 0) - h.count;
      if (left > 0) possible.set(h.sku, left);
      else possible.delete(h.sku);
    }
    if (possible.size === 0) this.byLane.delete(event.lane);
  }
}
