// What a visit tells beyond the bill: considered-not-bought, activity per category, and the evidence split.
import { describe, expect, it } from 'vitest';
import { evidenceEvents, summariseBehaviour } from '../../../../cloud/profile/behaviour-summary.ts';
import type { VisitEvent } from '../../../../shared/schemas/visit.ts';

const event = (eventId: string, kind: 'pick' | 'put-back', sku: string, ts: number): VisitEvent => ({
  eventId,
  kind,
  sku,
  count: 1,
  lane: 'L1',
  ts,
});

const CATEGORY: Record<string, string> = { water: 'drinks', cola: 'drinks', bread: 'bakery' };

describe('summariseBehaviour', () => {
  it('lists put-back products not bought and the span of activity per category', () => {
    const events = [
      event('1', 'pick', 'cola', 1000),
      event('2', 'put-back', 'cola', 5000),
      event('3', 'pick', 'water', 9000),
      event('4', 'pick', 'bread', 20_000),
      event('5', 'put-back', 'bread', 21_000),
      event('6', 'pick', 'bread', 22_000),
    ];
    const summary = summariseBehaviour(
      {
        enteredAt: 0,
        exitedAt: 60_000,
        lines: [
          { sku: 'water', quantity: 1 },
          { sku: 'bread', quantity: 1 },
        ],
        events,
      },
      (sku) => CATEGORY[sku],
    );
    expect(summary).toEqual({
      durationMs: 60_000,
      considered: [{ sku: 'cola', putBacks: 1 }],
      categories: [
        { category: 'bakery', interactions: 3, activeSpanMs: 2000 },
        { category: 'drinks', interactions: 3, activeSpanMs: 8000 },
      ],
    });
  });

  it('keeps as evidence only the events of billed products', () => {
    const events = [
      event('1', 'pick', 'cola', 1),
      event('2', 'put-back', 'cola', 2),
      event('3', 'pick', 'water', 3),
    ];
    expect(evidenceEvents(events, [{ sku: 'water', quantity: 1 }]).map((e) => e.eventId)).toEqual(['3']);
  });
});
