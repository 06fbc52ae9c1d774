// What a closed session's receipt still holds (billed less returned after it), and the return the cloud is sent.
import { describe, expect, it } from 'vitest';
import { heldAfterReceipt } from '../../../../edge/checkout/closed-carts.ts';
import { visitReturnOf } from '../../../../edge/checkout/return-after-receipt.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';

const event = (over: Partial<ShelfEvent>): ShelfEvent => ({
  v: 1,
  eventId: 'pb1',
  kind: 'put-back',
  shelf: 'S01',
  lane: 'S01-L09',
  lanes: ['S01-L09'],
  loadCell: 'S01-LC09',
  startTs: 1_000_000.4,
  endTs: 1_000_800,
  peakTs: 1_000_300,
  deltaGrams: 918,
  deltaSdGrams: 4,
  hypotheses: [{ sku: 'CHEDDAR', count: 1, likelihood: 1 }],
  ambiguous: false,
  sessionId: 'gary',
  attribution: 'vision',
  confidence: 0.95,
  evidence: { vision: true, laneSeen: true, candidates: [], rule: 'reach+returned-after-receipt' },
  ...over,
});

describe('heldAfterReceipt', () => {
  const billed = [
    { sku: 'CHEDDAR', quantity: 2 },
    { sku: 'MILK', quantity: 1 },
  ];

  it('takes what came back after the receipt off what it billed', () => {
    expect(heldAfterReceipt(billed, [event({})])).toEqual(
      new Map([
        ['CHEDDAR', 1],
        ['MILK', 1],
      ]),
    );
    expect(
      heldAfterReceipt(billed, [event({}), event({ eventId: 'pb2' }), event({ eventId: 'pb3' })]).get(
        'CHEDDAR',
      ),
    ).toBe(0);
  });

  it('ignores the visit’s own events: the receipt already counted them', () => {
    const own = [
      event({ kind: 'pick', evidence: undefined }),
      event({ eventId: 'pb0', evidence: undefined }),
      event({ eventId: 'pb4', ambiguous: true }),
    ];
    expect(heldAfterReceipt(billed, own).get('CHEDDAR')).toBe(2);
  });
});

describe('visitReturnOf', () => {
  it('reports the put-back as a return of the visit it refunds', () => {
    expect(visitReturnOf(event({}))).toEqual({
      returnId: 'pb1',
      visitId: 'gary',
      sku: 'CHEDDAR',
      quantity: 1,
      lane: 'S01-L09',
      returnedAt: 1_000_000,
    });
    expect(visitReturnOf(event({ sessionId: null }))).toBeUndefined();
    expect(visitReturnOf(event({ kind: 'pick' }))).toBeUndefined();
  });
});
