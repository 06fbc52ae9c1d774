// A put-back after the receipt (#13) queued as a return: once per event, counted once, nothing for a pick, a
// doubtful put-back or one of nobody.
import { describe, expect, it } from 'vitest';
import { queueReturn } from '../../../../edge/checkout/return-after-receipt.ts';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { createEdgeMetrics } from '../../../../edge/edge-metrics.ts';
import { Outbox } from '../../../../edge/outbox/outbox.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';

const event = (over: Partial<ShelfEvent>): ShelfEvent =>
  ({
    v: 1,
    eventId: 'e-7',
    kind: 'put-back',
    shelf: 'S01',
    lane: 'S01-L05',
    lanes: ['S01-L05'],
    loadCell: 'S01-LC05',
    startTs: 1_800_000_000_000.4,
    endTs: 1_800_000_000_500,
    peakTs: 1_800_000_000_200,
    deltaGrams: 330,
    deltaSdGrams: 1,
    hypotheses: [{ sku: 'SKU-0055', count: 2, likelihood: 1 }],
    ambiguous: false,
    sessionId: 'leo-visit',
    attribution: 'sole-session',
    ...over,
  }) as ShelfEvent;

describe('queueReturn', () => {
  it('queues the return under return:<eventId> once, and counts it once', async () => {
    const outbox = new Outbox(openEdgeDatabase(':memory:'), ['return']);
    const metrics = createEdgeMetrics();
    const expected = {
      returnId: 'e-7',
      visitId: 'leo-visit',
      sku: 'SKU-0055',
      quantity: 2,
      lane: 'S01-L05',
      returnedAt: 1_800_000_000_000,
    };
    expect(queueReturn(outbox, event({}), 5, metrics)).toEqual(expected);
    expect(queueReturn(outbox, event({}), 6, metrics)).toEqual(expected);
    expect(outbox.bodyOf('return:e-7')).toEqual(expected);
    expect(outbox.counts()).toMatchObject({ pending: 1 });
    expect((await metrics.returnsQueued.get()).values[0]?.value).toBe(1);
  });

  it('queues nothing for a pick, a doubtful put-back or a put-back of nobody', async () => {
    const outbox = new Outbox(openEdgeDatabase(':memory:'), ['return']);
    const metrics = createEdgeMetrics();
    for (const over of [{ kind: 'pick' as const }, { ambiguous: true }, { sessionId: null }])
      expect(queueReturn(outbox, event(over), 5, metrics)).toBeUndefined();
    expect(outbox.counts()).toMatchObject({ pending: 0 });
    expect((await metrics.returnsQueued.get()).values[0]?.value ?? 0).toBe(0);
  });
});
