import pino from 'pino';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOST_EXIT,
  lostExits,
  recordSightings,
  type SessionSightings,
} from '../../../../edge/checkout/lost-exit.ts';
import { LostExitWatch } from '../../../../edge/checkout/lost-exit-watch.ts';
import { SessionStore } from '../../../../edge/checkout/session-store.ts';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { createEdgeMetrics } from '../../../../edge/edge-metrics.ts';
import { SteppedTime } from '../../../../shared/timers.ts';

const T0 = 1_800_000_000_000;
const track = (sessionId: string | null, state: 'confirmed' | 'exited', identityConfidence = 1) => ({
  sessionId,
  state,
  identityConfidence,
  ...(state === 'exited' ? { exitGate: 'G-OUT' } : {}),
});

describe('lost exit scans: which sessions to close', () => {
  const open = [{ sessionId: 's1', enteredAt: T0 }];

  it('closes a session the cameras saw leave, once the grace for its scan is over, at the exit time', () => {
    const seen = new Map<string, SessionSightings>();
    recordSightings(seen, { ts: T0 + 60_000, tracks: [track('s1', 'confirmed')] });
    recordSightings(seen, { ts: T0 + 90_000, tracks: [track('s1', 'exited')] });
    expect(lostExits(open, seen, T0 + 90_000 + 29_999)).toEqual([]);
    expect(lostExits(open, seen, T0 + 120_000)).toEqual([
      { sessionId: 's1', by: 'cameras', gate: 'G-OUT', exitedAt: T0 + 90_000 },
    ]);
  });

  it('waits while someone of the party is still inside', () => {
    const seen = new Map<string, SessionSightings>();
    recordSightings(seen, { ts: T0 + 90_000, tracks: [track('s1', 'exited'), track('s1', 'confirmed')] });
    recordSightings(seen, { ts: T0 + 95_000, tracks: [track('s1', 'confirmed')] });
    expect(lostExits(open, seen, T0 + 200_000)).toEqual([]);
  });

  it('does not trust the exit of a track whose identity is in doubt; the maximum visit time decides', () => {
    const seen = new Map<string, SessionSightings>();
    recordSightings(seen, { ts: T0 + 90_000, tracks: [track('s1', 'exited', 0.5)] });
    expect(lostExits(open, seen, T0 + 3_600_000)).toEqual([]);
    expect(lostExits(open, seen, T0 + DEFAULT_LOST_EXIT.maxVisitMs)).toEqual([
      { sessionId: 's1', by: 'max-visit-time', exitedAt: T0 + DEFAULT_LOST_EXIT.maxVisitMs },
    ]);
  });
});

describe('the lost-exit watch on the edge database', () => {
  it('closes a session after the maximum visit time, and the shopper may enter again', () => {
    const sessions = new SessionStore(openEdgeDatabase(':memory:'));
    const time = new SteppedTime(T0);
    const closed: string[] = [];
    const watch = new LostExitWatch({
      sessions,
      clock: time,
      timers: time,
      settings: { ...DEFAULT_LOST_EXIT, maxVisitMs: 3 * 3_600_000 },
      logger: pino({ level: 'silent' }),
      metrics: createEdgeMetrics(),
      closed: (session, decision) => closed.push(`${session.sessionId} ${decision.by} ${session.status}`),
    });
    sessions.open({
      sessionId: 's1',
      accountId: 'a1',
      party: 1,
      entryTokenId: 'j1',
      entryGate: 'G-IN',
      enteredAt: T0,
    });
    watch.start();
    time.advanceTo(T0 + 3 * 3_600_000 - 10_000);
    expect(closed).toEqual([]);
    expect(sessions.openSessionOf('a1')?.sessionId).toBe('s1');
    time.advanceTo(T0 + 3 * 3_600_000 + 10_000);
    expect(closed).toEqual(['s1 max-visit-time closing']);
    expect(sessions.openSessionOf('a1')).toBeUndefined();
    watch.stop();
  });
});
