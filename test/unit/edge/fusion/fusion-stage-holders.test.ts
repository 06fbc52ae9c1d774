// A put-back nobody inside could have taken from their cart is the item of the one shopper who holds it — also
// when that shopper has just scanned out and the receipt is not final yet (handed over, put back as they left).
import { describe, expect, it } from 'vitest';
import type { DetectedShelfEvent, ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { steppedFusion, sampleStore as store } from '../../../support/fusion-stage.ts';

const lane = store.config.shelves[0]?.lanes[0];
if (lane === undefined) throw new Error('the sample store has a lane');

const putBack: DetectedShelfEvent = {
  v: 1,
  eventId: 'pb1',
  kind: 'put-back',
  shelf: store.config.shelves[0]?.id ?? '',
  lane: lane.id,
  lanes: [lane.id],
  loadCell: lane.loadCell,
  startTs: 23_302,
  endTs: 23_700,
  peakTs: 23_500,
  deltaGrams: 161,
  deltaSdGrams: 3,
  hypotheses: [{ sku: 'SKU-X', count: 1, likelihood: 1 }],
  ambiguous: false,
};

function decidePutBack(openCarts: readonly string[] | undefined): ShelfEvent {
  const { fusion, decided } = steppedFusion(24_000, {
    // dev scanned out at 23 300, just before the put-back began; ada is inside
    sessions: () => [
      { sessionId: 'dev', enteredAt: 500, exitedAt: 23_300 },
      { sessionId: 'ada', enteredAt: 2000, exitedAt: undefined },
    ],
    holds: (id) => new Map(id === 'dev' ? [['SKU-X', 1]] : [['SKU-Y', 1]]),
    undecidedPickOf: () => false,
    ...(openCarts === undefined ? {} : { openCarts: () => openCarts }),
  });
  fusion.onShelfEvent(putBack);
  const [event] = decided;
  if (event === undefined) throw new Error('decided at once without cameras');
  return event;
}

describe('fusion: who holds what came back', () => {
  it('gives it to the shopper who just left holding it while their receipt can still change', () => {
    const event = decidePutBack(['dev', 'ada']);
    expect(event.sessionId).toBe('dev');
    expect(event.evidence?.rule).toBe('sole-session+returned-for-other');
  });

  it('leaves it with the one inside once the leaver’s receipt is final', () => {
    expect(decidePutBack(['ada']).sessionId).toBe('ada');
    expect(decidePutBack(undefined).sessionId).toBe('ada');
  });
});

describe('fusion: a put-back after the holder’s receipt was issued (#13)', () => {
  function decideAfterReceipt(closedExitedAt: number) {
    const refunded: ShelfEvent[] = [];
    const { fusion, decided } = steppedFusion(24_000, {
      // dev left and was billed long ago; ada, inside alone, never took the product she put back
      sessions: () => [{ sessionId: 'ada', enteredAt: 2000, exitedAt: undefined }],
      holds: (id) => new Map(id === 'ada' ? [['SKU-Y', 1]] : []),
      undecidedPickOf: () => false,
      openCarts: () => ['ada'],
      closedCarts: () => [{ sessionId: 'dev', exitedAt: closedExitedAt, holds: new Map([['SKU-X', 1]]) }],
      returnedAfterReceipt: (event) => refunded.push(event),
    });
    fusion.onShelfEvent(putBack);
    return { decided, refunded };
  }

  it('gives it to the one who left holding it, and asks for the refund', () => {
    const { decided, refunded } = decideAfterReceipt(20_000);
    expect(decided.map((e) => [e.sessionId, e.evidence?.rule, e.confidence])).toEqual([
      ['dev', 'sole-session+returned-after-receipt', 0.95],
    ]);
    expect(refunded).toEqual(decided);
  });

  it('leaves it with the one inside when the holder left longer ago than returnAfterReceiptMs', () => {
    const { decided, refunded } = decideAfterReceipt(23_302 - 600_001);
    expect(decided.map((e) => [e.sessionId, e.evidence?.rule])).toEqual([['ada', 'sole-session']]);
    expect(refunded).toEqual([]);
  });
});
