// Open exceptions no decision can bill any more are dropped by the system after a while (an unstaffed store
// must not keep them for ever), and only those: a line a candidate can still be billed for stays.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../../../edge/checkout/session-store.ts';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { createEdgeMetrics } from '../../../../edge/edge-metrics.ts';
import { AlertBook } from '../../../../edge/floor/alert-book.ts';
import { FloorHub } from '../../../../edge/floor/floor-hub.ts';
import { FloorRecorder } from '../../../../edge/floor/floor-recorder.ts';
import { UnresolvedExitAlerts } from '../../../../edge/floor/unresolved-exit-alerts.ts';
import { DecisionBook, EXPIRY_ACTOR, STALE_EXCEPTION_MS } from '../../../../edge/fusion/decision-book.ts';
import { ExceptionQueue } from '../../../../edge/fusion/exception-queue.ts';
import { ManualClock } from '../../../../shared/clock.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';

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
  const db = openEdgeDatabase(':memory:');
  const sessions = new SessionStore(db);
  const exceptions = new ExceptionQueue(db);
  const alerts = new AlertBook();
  const decisions = new DecisionBook({
    sessions,
    exceptions,
    outputs: { publish: () => {} },
    hub: new FloorHub(() => clock.now()),
    recorder: new FloorRecorder({ store, db, clock, onFrames: () => {} }),
    exitAlerts: new UnresolvedExitAlerts({
      alerts,
      openFor: (id) => exceptions.openFor(id),
      publish: () => {},
      now: () => clock.now(),
      holdMs: 120_000,
    }),
    metrics: createEdgeMetrics(),
    clock,
    logger: pino({ level: 'silent' }),
  });
  for (const sessionId of ['alice', 'bob'])
    sessions.open({
      sessionId,
      accountId: `acc-${sessionId}`,
      party: 1,
      entryTokenId: `tok-${sessionId}`,
      entryGate: 'G-IN',
      enteredAt: T0,
    });
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
