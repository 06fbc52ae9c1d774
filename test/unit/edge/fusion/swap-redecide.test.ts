// Fusion for a pick made while two tracks carried each other's sessions (their people swapped in an encounter
// the tracker was in doubt of): refused then for identity, and decided again — the same steps measured with
// each track on the session it has now — once the tracker's looks showed the swap and gave the sessions back.
import { describe, expect, it } from 'vitest';
import { buildFusion } from '../../../../edge/fusion/fusion-wiring.ts';
import {
  sessionsAfterSwaps,
  swapsNamedBy,
  withSessionsCarried,
} from '../../../../edge/fusion/swap-redecide.ts';
import type { TrackSnapshot } from '../../../../edge/fusion/track-history.ts';
import type { DetectedShelfEvent, ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { SteppedTime } from '../../../../shared/timers.ts';
import { decisionBookDeps } from '../../../support/decision-book-deps.ts';
import { sampleLane, steppedFusion, sampleStore as store } from '../../../support/fusion-stage.ts';
import { detectedPick, T0 } from '../../../support/shelf-event.ts';
import { trackMessage } from '../../../support/track-message.ts';

const { shelf, lane, reach, cameras } = sampleLane();

/** The encounter in which T1 and T2 swapped people: T0 + 200 to T0 + 500. */
const encounter = { since: T0 + 200, ts: T0 + 500 };

/**
 * Ann (T1) and Ben (T2) pass close at the start and their tracks swap people: T2 now follows Ann, still on
 * Ben's session. At T0 + 3000 Ann reaches into the lane (on T2); Ben stands 2.5 m off (on T1). From `shownAt`
 * on, the tracker has seen the swap and given each track the other's session.
 */
function swappedPick(shownAt: number) {
  const { fusion, time, decided } = steppedFusion(T0, {
    sessions: () => [
      { sessionId: 'ann', enteredAt: T0 - 60_000, exitedAt: undefined },
      { sessionId: 'ben', enteredAt: T0 - 60_000, exitedAt: undefined },
    ],
  });
  let detected: DetectedShelfEvent | undefined;
  const steps: TrackSnapshot[] = [];
  for (let ts = T0; ts <= T0 + 6000; ts += 100) {
    time.advanceTo(ts);
    const shown = ts >= shownAt;
    const doubt = (other: string) =>
      ts < encounter.since
        ? {}
        : {
            identityDoubts: [
              {
                ts: Math.min(ts, encounter.ts),
                since: encounter.since,
                with: other,
                ...(shown ? { swapped: true as const } : {}),
              },
            ],
          };
    const tracks = [
      trackMessage('T1', shown ? 'ben' : 'ann', reach.x + 2.5, reach.y + 0.5, {
        lastSeenTs: ts,
        identityConfidence: ts < encounter.since ? 1 : shown ? 0.5 : 0.2,
        ...doubt('T2'),
      }),
      trackMessage('T2', shown ? 'ann' : 'ben', reach.x, reach.y + 0.45, {
        lastSeenTs: ts,
        identityConfidence: ts < encounter.since ? 1 : shown ? 0.5 : 0.2,
        ...doubt('T1'),
        hands:
          ts >= T0 + 2800 && ts <= T0 + 3400 ? [{ x: reach.x, y: reach.y + 0.02, ownerConfidence: 1 }] : [],
      }),
    ];
    const step = { ts, cameras, tracks };
    steps.push(step);
    fusion.observe(step);
    if (ts === T0 + 3600) {
      const event = detectedPick(shelf, lane, {
        eventId: `${lane.loadCell}@1`,
        startTs: T0 + 2900,
        endTs: T0 + 3300,
        peakTs: T0 + 3100,
      });
      detected = event;
      fusion.onShelfEvent(event);
    }
  }
  return { fusion, decided, steps, detected };
}

describe('picks decided again once a swap is undone', () => {
  it('refuses the pick while T2, at the lane, is in doubt of whom it follows', () => {
    const { decided } = swappedPick(Number.POSITIVE_INFINITY);
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ sessionId: null, attribution: 'unattributed' });
  });

  it('bills the person who reached in once the tracker gave each track its session back', () => {
    const { fusion, decided, steps } = swappedPick(T0 + 5000);
    const refused = decided[0] as ShelfEvent;
    expect(refused.evidence?.candidates.find((c) => c.handTrack === 'T2')?.sessionId).toBe('ben');
    const last = steps.at(-1) as TrackSnapshot;
    const carried = sessionsAfterSwaps(last.tracks);
    expect([...carried.keys()].sort()).toEqual(['T1', 'T2']);
    expect(swapsNamedBy(refused, carried, 1000).map((c) => c.swap)).toEqual([`T2/${encounter.ts}`]);
    const again = fusion.decideWithSessionsCarried(refused, carried);
    expect(again?.sessionId).toBe('ann');
    expect(again?.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('decides nothing for a pick made during the encounter: nobody knows who was on which track then', () => {
    const { decided, steps } = swappedPick(T0 + 5000);
    const during = { ...(decided[0] as ShelfEvent), startTs: T0 + 300, endTs: T0 + 400 };
    const last = steps.at(-1) as TrackSnapshot;
    expect(swapsNamedBy(during, sessionsAfterSwaps(last.tracks), 1000)).toEqual([]);
  });

  it('moves each swapped track to its session only from the encounter’s end', () => {
    const carried = new Map([['T2', { sessionId: 'ben', fromTs: 500, identity: 1, swap: 'T2/500' }]]);
    const step = (ts: number) => ({ ts, cameras: [], tracks: [trackMessage('T2', 'ann', 0, 0)] });
    expect(withSessionsCarried(step(400), carried).tracks[0]?.sessionId).toBe('ann');
    expect(withSessionsCarried(step(600), carried).tracks[0]).toMatchObject({
      sessionId: 'ben',
      identityConfidence: 1,
    });
  });
});

describe('the edge’s fusion wiring', () => {
  it('assigns the refused pick to the one who reached in once the swap is shown, audited as vision:swap-undone', () => {
    // the same steps and shelf event as above, through the edge's own fusion, decision book and exception queue
    const { steps, detected } = swappedPick(T0 + 5000);
    if (detected === undefined) throw new Error('the scene has a shelf event');
    const time = new SteppedTime(T0);
    const { sessions, exceptions, deps } = decisionBookDeps({
      store,
      clock: time,
      shoppers: ['ann', 'ben'],
      enteredAt: T0 - 60_000,
    });
    const { fusion } = buildFusion({ ...deps, store, timers: time });
    let openAtShown = 0;
    for (const step of steps) {
      time.advanceTo(step.ts);
      fusion.observe(step);
      if (step.ts === T0 + 3600) fusion.onShelfEvent(detected);
      if (step.ts === T0 + 4900) openAtShown = exceptions.list().length;
    }
    expect(openAtShown).toBe(1);
    expect(exceptions.list()).toEqual([]);
    const billed = sessions.eventsOf('ann').find((e) => e.eventId === detected.eventId);
    expect(billed).toMatchObject({ attribution: 'vision', sessionId: 'ann' });
    expect(billed?.evidence?.rule).toMatch(/\+swap-undone$/);
    expect(sessions.eventsOf('ben')).toEqual([]);
    expect(exceptions.auditTrail().map((a) => a.actor)).toContain('vision:swap-undone');
  });
});
