// A put-back the cameras gave to nobody waits for staff while a pick of its product waits too (the cart cannot
// tell whose came back while someone's item is not on a cart yet). Once that pick is decided, the put-back is
// decided again from the carts, as fusion would have at once: the one shopper who holds the product put it back.
import { describe, expect, it } from 'vitest';
import { DecisionBook } from '../../../../edge/fusion/decision-book.ts';
import { ManualClock } from '../../../../shared/clock.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';
import { decisionBookDeps } from '../../../support/decision-book-deps.ts';

const store = indexStore(loadStoreConfig('stores/sample-store.json'));
const T0 = 1_700_000_000_000;
const LANE = 'S01-L03';
const lane = store.laneById.get(LANE)?.lane;
const SKU = lane?.sku ?? 'X';

function event(
  eventId: string,
  kind: ShelfEvent['kind'],
  startTs: number,
  sessionId: string | null,
): ShelfEvent {
  return {
    v: 1,
    eventId,
    kind,
    shelf: 'S01',
    lane: LANE,
    lanes: [LANE],
    loadCell: lane?.loadCell ?? 'LC',
    startTs,
    endTs: startTs + 900,
    peakTs: startTs + 400,
    deltaGrams: kind === 'pick' ? -400 : 400,
    deltaSdGrams: 2,
    hypotheses: [{ sku: SKU, count: 1, likelihood: 1 }],
    ambiguous: false,
    sessionId,
    attribution: sessionId === null ? 'unattributed' : 'vision',
    confidence: sessionId === null ? 0 : 0.97,
    evidence: { laneSeen: true, vision: true, candidates: [], rule: 'close-call' },
  };
}

function setup(credit = true) {
  const clock = new ManualClock(T0);
  const { exceptions, sessions, deps } = decisionBookDeps({ store, clock, shoppers: ['jay', 'ines'] });
  const decisions = new DecisionBook(credit ? { ...deps, onlyHolderConfidence: 0.95 } : deps);
  const openOf = (kind: ShelfEvent['kind']) => exceptions.list().find((x) => x.event.kind === kind);
  return { exceptions, sessions, decisions, openOf };
}

describe('a put-back sent to staff while a pick of its product waited', () => {
  it('is credited to the one shopper holding the product once that pick is decided', () => {
    // crowd-at-shelf-02 of generated seed 90909: jay's pick waited for his identity to settle; his put-back,
    // a close call, went to staff naming all six shoppers inside, and stayed there after the pick was his
    const { exceptions, sessions, decisions, openOf } = setup();
    decisions.attributed(event('pick', 'pick', T0 + 1000, null), ['jay', 'ines']);
    decisions.attributed(event('back', 'put-back', T0 + 5000, null), ['jay', 'ines']);
    expect(exceptions.list()).toHaveLength(2);
    const pick = openOf('pick');
    decisions.decide(
      pick?.exceptionId ?? '',
      { sessionId: 'jay', sku: SKU, count: 1 },
      'vision:identity-settled',
    );
    expect(exceptions.list()).toHaveLength(0);
    const back = sessions.eventsOf('jay').find((e) => e.eventId === 'back');
    expect(back).toMatchObject({ attribution: 'vision', confidence: 0.95, sessionId: 'jay' });
    expect(back?.evidence?.rule).toBe('close-call+held-only-by');
  });

  it('stays with staff while another shopper holds the product too, or another pick of it waits', () => {
    const both = setup();
    both.decisions.attributed(event('ines-pick', 'pick', T0, 'ines'), ['ines']);
    both.decisions.attributed(event('pick', 'pick', T0 + 1000, null), ['jay', 'ines']);
    both.decisions.attributed(event('back', 'put-back', T0 + 5000, null), ['jay', 'ines']);
    const pick = both.openOf('pick');
    both.decisions.decide(pick?.exceptionId ?? '', { sessionId: 'jay', sku: SKU, count: 1 }, 'staff');
    expect(both.openOf('put-back')).toBeDefined();

    const waiting = setup();
    waiting.decisions.attributed(event('pick', 'pick', T0 + 1000, null), ['jay', 'ines']);
    waiting.decisions.attributed(event('pick2', 'pick', T0 + 2000, null), ['jay', 'ines']);
    waiting.decisions.attributed(event('back', 'put-back', T0 + 5000, null), ['jay', 'ines']);
    const first = waiting.exceptions.list().find((x) => x.event.eventId === 'pick');
    waiting.decisions.decide(first?.exceptionId ?? '', { sessionId: 'jay', sku: SKU, count: 1 }, 'staff');
    expect(waiting.openOf('put-back')).toBeDefined();
  });

  it('stays with staff without a confidence to credit it with', () => {
    const { decisions, openOf } = setup(false);
    decisions.attributed(event('pick', 'pick', T0 + 1000, null), ['jay', 'ines']);
    decisions.attributed(event('back', 'put-back', T0 + 5000, null), ['jay', 'ines']);
    decisions.decide(openOf('pick')?.exceptionId ?? '', { sessionId: 'jay', sku: SKU, count: 1 }, 'staff');
    expect(openOf('put-back')).toBeDefined();
  });
});
