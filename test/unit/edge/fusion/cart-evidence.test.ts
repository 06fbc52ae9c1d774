import { describe, expect, it } from 'vitest';
import {
  orphanedPutBacks,
  resolvePutBack,
  returnedByOnlyHolder,
} from '../../../../edge/fusion/cart-evidence.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';

const putBack = (over: Partial<ShelfEvent>): ShelfEvent => ({
  v: 1,
  eventId: 'e1',
  kind: 'put-back',
  shelf: 'S01',
  lane: 'S01-L09',
  lanes: ['S01-L09'],
  loadCell: 'S01-LC09',
  startTs: 1000,
  endTs: 1800,
  peakTs: 1300,
  deltaGrams: 918,
  deltaSdGrams: 4,
  hypotheses: [
    { sku: 'CHEDDAR', count: 1, likelihood: 0.6 },
    { sku: 'MILK', count: 1, likelihood: 0.4 },
  ],
  ambiguous: true,
  sessionId: 'alice',
  attribution: 'vision',
  ...over,
});
const carts: Record<string, Map<string, number>> = {
  alice: new Map([['MILK', 1]]),
  bob: new Map([['CHEDDAR', 2]]),
  carol: new Map([['CHEDDAR', 1]]),
};
const holds = (id: string) => carts[id] ?? new Map<string, number>();

describe('resolvePutBack', () => {
  it('settles a look-alike put-back by what the shopper holds', () => {
    expect(resolvePutBack(putBack({}), ['alice', 'bob'], holds)).toEqual({
      sessionId: 'alice',
      hypotheses: [{ sku: 'MILK', count: 1, likelihood: 1 }],
      ambiguous: false,
      rule: 'cart',
    });
  });

  it('leaves it doubtful when the shopper holds both look-alikes', () => {
    const both = (id: string) =>
      id === 'alice'
        ? new Map([
            ['MILK', 1],
            ['CHEDDAR', 1],
          ])
        : holds(id);
    expect(resolvePutBack(putBack({}), ['alice', 'bob'], both)).toBeUndefined();
  });

  it('leaves a put-back with whoever put it back while a pick of that product waits for a decision', () => {
    // the one who put it back may be the taker of the undecided pick: their cart is not known yet
    const event = putBack({ hypotheses: [{ sku: 'CHEDDAR', count: 1, likelihood: 1 }], ambiguous: false });
    expect(resolvePutBack(event, ['alice', 'bob'], holds, (sku) => sku === 'CHEDDAR')).toBeUndefined();
    expect(resolvePutBack(event, ['alice', 'bob'], holds, (sku) => sku === 'MILK')).toMatchObject({
      sessionId: 'bob',
      rule: 'returned-for-other',
    });
  });

  it("takes an item the shopper never had off the one other shopper's cart that holds it", () => {
    const event = putBack({ hypotheses: [{ sku: 'CHEDDAR', count: 1, likelihood: 1 }], ambiguous: false });
    expect(resolvePutBack(event, ['alice', 'bob'], holds)).toMatchObject({
      sessionId: 'bob',
      rule: 'returned-for-other',
    });
    // two others hold it: nobody can say whose it was
    expect(resolvePutBack(event, ['alice', 'bob', 'carol'], holds)).toBeUndefined();
  });

  it('ignores picks and unattributed events', () => {
    expect(resolvePutBack(putBack({ kind: 'pick' }), ['alice'], holds)).toBeUndefined();
    expect(resolvePutBack(putBack({ sessionId: null }), ['alice'], holds)).toBeUndefined();
  });
});

describe('orphanedPutBacks', () => {
  const one = (sku: string) => ({ hypotheses: [{ sku, count: 1, likelihood: 1 }], ambiguous: false });
  const pick = (eventId: string, startTs: number, sku: string) =>
    putBack({ eventId, startTs, kind: 'pick', ...one(sku) });
  const back = (eventId: string, startTs: number, sku: string) => putBack({ eventId, startTs, ...one(sku) });

  it('finds the put-backs of a product the cart did not hold then, from a time on', () => {
    const dev = [
      pick('p1', 1000, 'SOUP'),
      back('b1', 5000, 'MILK'),
      back('b2', 6000, 'SOUP'),
      back('b3', 7000, 'SOUP'),
    ];
    // b1: milk never taken; b2 returned dev's own soup; b3: a second soup he never had
    expect(orphanedPutBacks(dev, 'MILK', 0).map((e) => e.eventId)).toEqual(['b1']);
    expect(orphanedPutBacks(dev, 'SOUP', 0).map((e) => e.eventId)).toEqual(['b3']);
    expect(orphanedPutBacks(dev, 'MILK', 5500)).toEqual([]);
  });
});

describe('returnedByOnlyHolder', () => {
  const undecided =
    (..._skus: string[]) =>
    (sku: string) =>
      _skus.includes(sku);
  const back = putBack({
    sessionId: null,
    attribution: 'unattributed',
    hypotheses: [{ sku: 'CHEDDAR', count: 1, likelihood: 1 }],
    ambiguous: false,
  });

  it('credits a put-back nobody was seen making to the one shopper inside who held the product', () => {
    expect(returnedByOnlyHolder(back, ['alice', 'bob'], holds, undecided())).toEqual({
      sessionId: 'bob',
      hypotheses: [{ sku: 'CHEDDAR', count: 1, likelihood: 1 }],
      ambiguous: false,
      rule: 'held-only-by',
    });
  });

  it('says nothing when several held it, nobody did, or a pick of it still waits for a decision', () => {
    expect(returnedByOnlyHolder(back, ['alice', 'bob', 'carol'], holds, undecided())).toBeUndefined();
    expect(returnedByOnlyHolder(back, ['alice'], holds, undecided())).toBeUndefined();
    expect(returnedByOnlyHolder(back, ['alice', 'bob'], holds, undecided('CHEDDAR'))).toBeUndefined();
    // an attributed put-back is the cart check's (resolvePutBack), not this one's
    expect(
      returnedByOnlyHolder({ ...back, sessionId: 'bob' }, ['alice', 'bob'], holds, undecided()),
    ).toBeUndefined();
  });
});
