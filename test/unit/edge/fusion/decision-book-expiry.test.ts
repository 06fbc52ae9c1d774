// Open exceptions no decision can bill any more are dropped by the system after a while (an unstaffed store
// must not keep them for ever), and only those: a line a candidate can still be billed for stays.
import { describe, expect, it } from 'vitest';
import { DecisionBook, EXPIRY_ACTOR, STALE_EXCEPTION_MS } from '../../../../edge/fusion/decision-book.ts';
import { ManualClock } from '../../../../shared/clock.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';
import { decisionBookDeps } from '../../../support/decision-book-deps.ts';

const store = indexStore(loadStoreConfig('stores/sample-store.json'));
const T0 = 1_700_000_000_000;
const LANE = 'S01-L03';

function closeCall(eventId: string, startTs: number): ShelfEvent {
  const lane = store.laneById.get(LANE)?.lane;
  return {
    v: 1,
    eventId,
    kind: 'pick',
    shelf: 'S01',
    lane: LANE,
    lanes: [LANE],
    loadCell: lane?.loadCell ?? 'LC',
    startTs,
    endTs: startTs + 900,
    peakTs: startTs + 400,
    deltaGrams: -400,
    deltaSdGrams: 2,
    hypotheses: [{ sku: lane?.sku ?? 'X', count: 1, likelihood: 1 }],
    ambiguous: false,
    sessionId: null,
    attribution: 'unattributed',
    confidence: 0,
  };
}

function setup() {
  const clock = new ManualClock(T0);
  const { exceptions, sessions, deps } = decisionBookDeps({ store, clock, shoppers: ['alice', 'bob'] });
  const decisions = new DecisionBook(deps);
  const leave = (sessionId: string) => {
    sessions.markClosing(sessionId, 'G-OUT', clock.now());
    sessions.markClosed(sessionId, clock.now());
  };
  return { clock, exceptions, decisions, leave };
}

describe('stale staff exceptions', () => {
  it('are dropped, audited, once every candidate was billed and the age is past', () => {
    const { clock, exceptions, decisions, leave } = setup();
    decisions.attributed(closeCall('e1', T0 + 1000), ['alice', 'bob']);
    expect(exceptions.list()).toHaveLength(1);
    clock.advance(STALE_EXCEPTION_MS + 1);
    // both could still be billed for it: staff may yet decide
    expect(decisions.expireStale()).toBe(0);
    leave('alice');
    expect(decisions.expireStale()).toBe(0);
    leave('bob');
    expect(decisions.expireStale()).toBe(1);
    expect(exceptions.list()).toHaveLength(0);
    expect(exceptions.auditTrail().find((a) => a.action === 'drop')?.actor).toBe(EXPIRY_ACTOR);
  });

  it('stay while young, even when nobody can be billed for them any more', () => {
    const { clock, exceptions, decisions, leave } = setup();
    decisions.attributed(closeCall('e1', T0 + 1000), ['alice', 'bob']);
    leave('alice');
    leave('bob');
    clock.advance(STALE_EXCEPTION_MS - 1000);
    expect(decisions.expireStale()).toBe(0);
    expect(exceptions.list()).toHaveLength(1);
    // the next shelf event looks again
    clock.advance(2000);
    decisions.attributed(
      { ...closeCall('e2', clock.now()), sessionId: 'carol', attribution: 'sole-session' },
      [],
    );
    expect(exceptions.list().map((x) => x.exceptionId)).toEqual([]);
  });
});
