import { describe, expect, it } from 'vitest';
import { buildCart } from '../../../../edge/checkout/cart.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';

let n = 0;
function event(kind: 'pick' | 'put-back', sku: string, count: number, ambiguous = false): ShelfEvent {
  n += 1;
  return {
    v: 1,
    eventId: `e${n}`,
    kind,
    shelf: 'S01',
    lane: 'S01-L01',
    lanes: ['S01-L01'],
    loadCell: 'S01-LC01',
    peakTs: n * 1000 + 200,
    startTs: n * 1000,
    endTs: n * 1000 + 500,
    deltaGrams: kind === 'pick' ? -100 : 100,
    deltaSdGrams: 1,
    hypotheses: [{ sku, count, likelihood: 1 }],
    ambiguous,
    sessionId: 's1',
    attribution: 'sole-session',
  };
}

describe('buildCart', () => {
  it('nets picks against put-backs per SKU, sorted, dropping zero lines', () => {
    const cart = buildCart([
      event('pick', 'B', 1),
      event('pick', 'A', 2),
      event('pick', 'C', 1),
      event('put-back', 'C', 1),
    ]);
    expect(cart.lines).toEqual([
      { sku: 'A', quantity: 2 },
      { sku: 'B', quantity: 1 },
    ]);
    expect(cart.events).toHaveLength(4);
  });

  it('never bills an ambiguous event and never goes below zero', () => {
    const cart = buildCart([event('pick', 'A', 1, true), event('put-back', 'B', 2)]);
    expect(cart.lines).toEqual([]);
    expect(cart.doubtful).toHaveLength(1);
    expect(cart.unmatchedPutBacks).toBe(2);
  });
});
