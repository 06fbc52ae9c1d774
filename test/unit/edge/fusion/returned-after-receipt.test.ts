// A put-back no open cart can take is the item of the one shopper who left holding it, their receipt already
// issued (#13): handed over, put back later by the one they gave it to. The cloud then refunds it.
import { describe, expect, it } from 'vitest';
import { type ClosedCart, returnedAfterReceipt } from '../../../../edge/fusion/cart-evidence.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';

const TEN_MIN = 600_000;

const putBack = (over: Partial<ShelfEvent> = {}): ShelfEvent => ({
  v: 1,
  eventId: 'pb1',
  kind: 'put-back',
  shelf: 'S01',
  lane: 'S01-L09',
  lanes: ['S01-L09'],
  loadCell: 'S01-LC09',
  startTs: 1_000_000,
  endTs: 1_000_800,
  peakTs: 1_000_300,
  deltaGrams: 918,
  deltaSdGrams: 4,
  hypotheses: [{ sku: 'CHEDDAR', count: 1, likelihood: 1 }],
  ambiguous: false,
  // the receiver, who never picked it
  sessionId: 'rita',
  attribution: 'vision',
  ...over,
});

/** Open carts: rita (the receiver) holds milk; olga, inside too, holds nothing of interest. */
const open: Record<string, Map<string, number>> = {
  rita: new Map([['MILK', 1]]),
  olga: new Map([['BREAD', 1]]),
};
const holds = (id: string) => open[id] ?? new Map<string, number>();
const nothingWaits = () => false;

/** Gary (the giver) left 2 min before the put-back with one cheddar on his receipt. */
const gary: ClosedCart = { sessionId: 'gary', exitedAt: 880_000, holds: new Map([['CHEDDAR', 1]]) };

function decide(
  event: ShelfEvent,
  closed: readonly ClosedCart[],
  options: { holders?: string[]; waits?: (sku: string) => boolean } = {},
) {
  const asked: { since: number; skus: readonly string[] }[] = [];
  const resolution = returnedAfterReceipt(
    event,
    options.holders ?? ['rita', 'olga'],
    holds,
    options.waits ?? nothingWaits,
    (since, skus) => {
      asked.push({ since, skus });
      return closed;
    },
    TEN_MIN,
  );
  return { resolution, asked };
}

describe('returnedAfterReceipt', () => {
  it('gives the put-back to the one shopper who left holding it, whoever the cameras saw put it back', () => {
    const { resolution, asked } = decide(putBack(), [gary]);
    expect(resolution).toEqual({
      sessionId: 'gary',
      hypotheses: [{ sku: 'CHEDDAR', count: 1, likelihood: 1 }],
      ambiguous: false,
      rule: 'returned-after-receipt',
    });
    expect(asked).toEqual([{ since: 1_000_000 - TEN_MIN, skus: ['CHEDDAR'] }]);
    expect(
      decide(putBack({ sessionId: null, attribution: 'unattributed' }), [gary]).resolution?.sessionId,
    ).toBe('gary');
  });

  it('leaves a put-back an open cart can take, and does not even look at closed carts then', () => {
    const own = decide(putBack({ hypotheses: [{ sku: 'MILK', count: 1, likelihood: 1 }] }), [
      { ...gary, holds: new Map([['MILK', 1]]) },
    ]);
    expect(own).toEqual({ resolution: undefined, asked: [] });
    // someone else still inside holds it: theirs to settle (resolvePutBack), not a refund
    const inside = decide(putBack({ hypotheses: [{ sku: 'BREAD', count: 1, likelihood: 1 }] }), [
      { ...gary, holds: new Map([['BREAD', 1]]) },
    ]);
    expect(inside.resolution).toBeUndefined();
  });

  it('refunds nobody while a pick of the product waits for a decision (it may be that item coming back)', () => {
    expect(decide(putBack(), [gary], { waits: (sku) => sku === 'CHEDDAR' }).resolution).toBeUndefined();
  });

  it('refunds nobody when two shoppers who left hold it, or none did', () => {
    const grace: ClosedCart = { sessionId: 'grace', exitedAt: 990_000, holds: new Map([['CHEDDAR', 2]]) };
    expect(decide(putBack(), [gary, grace]).resolution).toBeUndefined();
    expect(decide(putBack(), [{ ...gary, holds: new Map([['CHEDDAR', 0]]) }]).resolution).toBeUndefined();
    expect(decide(putBack(), []).resolution).toBeUndefined();
  });

  it('looks only at receipts of the last returnAfterReceiptMs, and never at a shopper who left after it', () => {
    expect(decide(putBack(), [{ ...gary, exitedAt: 1_000_000 - TEN_MIN - 1 }]).resolution).toBeUndefined();
    expect(decide(putBack(), [{ ...gary, exitedAt: 1_000_000 - TEN_MIN }]).resolution?.sessionId).toBe(
      'gary',
    );
    // left while it was being put back (inside for none of it: no candidate, no open cart): his
    expect(decide(putBack(), [{ ...gary, exitedAt: 1_000_100 }]).resolution?.sessionId).toBe('gary');
    expect(decide(putBack(), [{ ...gary, exitedAt: 1_000_800 }]).resolution?.sessionId).toBe('gary');
    expect(decide(putBack(), [{ ...gary, exitedAt: 1_000_801 }]).resolution).toBeUndefined();
  });

  it('needs more units on the receipt than came back, and one product among look-alikes', () => {
    const two = putBack({ hypotheses: [{ sku: 'CHEDDAR', count: 2, likelihood: 1 }] });
    expect(decide(two, [gary]).resolution).toBeUndefined();
    const lookAlikes = putBack({
      ambiguous: true,
      hypotheses: [
        { sku: 'CHEDDAR', count: 1, likelihood: 0.6 },
        { sku: 'GOUDA', count: 1, likelihood: 0.4 },
      ],
    });
    expect(decide(lookAlikes, [gary]).resolution).toEqual({
      sessionId: 'gary',
      hypotheses: [{ sku: 'CHEDDAR', count: 1, likelihood: 1 }],
      ambiguous: false,
      rule: 'returned-after-receipt',
    });
  });

  it('is only for put-backs', () => {
    expect(decide(putBack({ kind: 'pick' }), [gary])).toEqual({ resolution: undefined, asked: [] });
  });
});
