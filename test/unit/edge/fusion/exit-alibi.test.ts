// A shopper's walk-out as an alibi (#13): their track, followed without doubt from before an event to their
// exit, was far from the lane throughout — they did not do it. The event is decided again without them, or
// at least no longer names them (their receipt stops waiting for it).
import { describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { trackAlibiM } from '../../../../edge/fusion/alibi.ts';
import { attributeEvent } from '../../../../edge/fusion/attributor.ts';
import { ExceptionQueue } from '../../../../edge/fusion/exception-queue.ts';
import { decideOnAlibi, notTheirs } from '../../../../edge/fusion/exit-decision.ts';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import type { CandidateEvidence } from '../../../../shared/schemas/attribution-evidence.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { laneReachPoint } from '../../../../shared/store-geometry.ts';
import { steppedFusion, sampleStore as store } from '../../../support/fusion-stage.ts';
import { shelfEvent, T0 } from '../../../support/shelf-event.ts';
import { trackMessage } from '../../../support/track-message.ts';

const settings = DEFAULT_FUSION.attribution;
const c = (sessionId: string | null, handM: number | null, bodyM: number | null, identity = 1) => ({
  sessionId,
  handM,
  bodyM,
  identity,
});

/** The event as fusion refused it, with the evidence the attributor stored. */
function refused(candidates: CandidateEvidence[]): ShelfEvent {
  const present = candidates.flatMap((x) => (x.sessionId === null ? [] : [x.sessionId]));
  const decided = attributeEvent(present, { laneSeen: true, candidates }, settings);
  return shelfEvent({
    sessionId: decided.sessionId,
    attribution: decided.attribution,
    confidence: decided.confidence,
    evidence: decided.evidence,
  });
}

describe('decideOnAlibi', () => {
  // alice's hand was in the lane but her identity is in doubt; bob, in doubt too, may be the one at the lane
  const doubtful = refused([c('alice', 0.05, 0.4, 0.4), c('bob', null, 6, 0.5)]);

  it('bills the one left once the other candidate is shown elsewhere', () => {
    expect(doubtful.evidence?.rule).toBe('identity-doubtful');
    const shown = decideOnAlibi(doubtful, 'bob', 5.5, settings);
    expect(shown?.decision?.choice).toEqual({ sessionId: 'alice', sku: 'COLA-330', count: 1 });
    const billed = shown?.decision?.restate({ ...doubtful, sessionId: 'alice', attribution: 'staff' });
    expect(billed).toMatchObject({
      sessionId: 'alice',
      attribution: 'vision',
      evidence: { rule: 'reach+others-elsewhere+elsewhere-at-exit' },
    });
    // the alibi is in the stored evidence: a replay bills the same
    expect(billed?.evidence?.candidates.find((x) => x.sessionId === 'bob')?.alibiM).toBe(5.5);
  });

  it('bills nobody while a shopper inside went unseen during the event, near enough to have been there', () => {
    // cy was inside but no camera saw her: she may be the one under alice's track
    const unseen = (alibiM: number) =>
      refused([c('alice', 0.05, 0.4, 0.4), c('bob', null, 6, 0.5), { ...c('cy', null, null), alibiM }]);
    const shown = decideOnAlibi(unseen(1.5), 'bob', 5.5, settings);
    expect(shown?.decision).toBeUndefined();
    expect(shown?.event.evidence?.candidates.find((x) => x.sessionId === 'bob')?.alibiM).toBe(5.5);
    // last seen (or scanned in) 9 m off a moment ago: wherever the tracks mixed her up, not under alice's
    expect(decideOnAlibi(unseen(9), 'bob', 5.5, settings)?.decision?.choice.sessionId).toBe('alice');
  });

  it('only clears the candidate when the rest is still for staff', () => {
    const three = refused([c('alice', 0.05, 0.4, 0.4), c('bob', null, 6, 0.5), c('cy', null, null)]);
    const shown = decideOnAlibi(three, 'bob', 4, settings);
    expect(shown?.decision).toBeUndefined();
    expect(shown?.event.evidence?.candidates.find((x) => x.sessionId === 'bob')?.alibiM).toBe(4);
    expect(shown?.event.evidence?.rule).toBe('identity-doubtful');
  });

  it('says nothing when the track came within reach of the lane, or the shopper is not in the evidence', () => {
    expect(decideOnAlibi(doubtful, 'bob', 1.2, settings)).toBeUndefined();
    expect(decideOnAlibi(doubtful, 'zoe', 9, settings)).toBeUndefined();
  });
});

describe('notTheirs', () => {
  // people whose bindings the dark entry lost pick at one shelf: the hand in the lane was T1's, surely
  const unbound = (over: Partial<CandidateEvidence> = {}): CandidateEvidence => ({
    ...c(null, 0.08, 0.45),
    atChange: { handM: 0.08, handOwner: 1 },
    handOwner: 1,
    handTrack: 'T1',
    tracks: ['T1'],
    ...over,
  });
  const event = (x: CandidateEvidence) => refused([c('nils', null, null), c('dev', null, null), x]);
  const far = (alibiM: number) => ({ alibiM, evidence: undefined });
  /** the leaver's own hands and body, as gathered for their track */
  const near = (handM: number | null, bodyM: number) => ({ alibiM: 0.4, evidence: c('nils', handM, bodyM) });

  it('no longer names a leaver whose track stayed beyond an arm along the shelf while another hand was in', () => {
    expect(event(unbound()).evidence?.rule).toBe('unbound-at-lane');
    expect(notTheirs(event(unbound()), 'T2', far(1.5), settings)).toBe(true);
  });

  it('nor one whose hands were seen only in the lane in front of them, beside the lane', () => {
    // nils in front of the next lane, his hand in it (0.5 m off), while T1's hand was squarely in this one
    expect(notTheirs(event(unbound()), 'T2', near(0.5, 0.67), settings)).toBe(true);
    // arms down, unseen, standing in front of the next lane
    expect(notTheirs(event(unbound()), 'T2', near(null, 0.67), settings)).toBe(true);
  });

  it('says nothing when the leaver came within reach, was the one in the lane, or reached across', () => {
    expect(notTheirs(event(unbound()), 'T2', far(settings.reachPastBodyM - 0.01), settings)).toBe(false);
    expect(notTheirs(event(unbound()), 'T1', far(3), settings)).toBe(false);
    expect(notTheirs(event(unbound()), 'T2', near(0.35, 0.6), settings)).toBe(false);
    // hands never seen, standing in front of this lane: the arm may have been in it unseen
    expect(notTheirs(event(unbound()), 'T2', near(null, 0.5), settings)).toBe(false);
    // a hand 0.45 m off from a body two lanes along: an arm reaching across, which the detector may have
    // given the hand in the lane
    expect(notTheirs(event(unbound()), 'T2', near(0.45, 1.1), settings)).toBe(false);
  });

  it("says nothing unless a hand surely its track's own was in the lane as the weight changed", () => {
    // the owner unsure: it may be the leaver's arm, given to the one it passed
    const unsure = unbound({ atChange: { handM: 0.08, handOwner: 0.6 } });
    expect(notTheirs(event(unsure), 'T2', far(3), settings)).toBe(false);
    // in the lane only before or after the change
    expect(notTheirs(event(unbound({ atChange: { handM: null } })), 'T2', far(3), settings)).toBe(false);
    // near the lane's edge, not squarely in it: not enough beside a leaver's hand a lane off
    expect(
      notTheirs(event(unbound({ atChange: { handM: 0.2, handOwner: 1 } })), 'T2', near(0.5, 0.67), settings),
    ).toBe(false);
    // several tracks' hands came near: which one was in the lane is not told
    const { handTrack: _, ...several } = unbound();
    expect(notTheirs(event(several), 'T2', far(3), settings)).toBe(false);
  });
});

describe('trackAlibiM', () => {
  const lane = [{ x: 0, y: 0 }];
  const at = (ts: number, x: number, lastSeenTs = ts) => ({
    ts,
    tracks: [trackMessage('T1', 'bob', x, 0, { lastSeenTs })],
    cameras: ['CAM1'],
  });
  it('is the nearest the track came, and nothing when a step misses it', () => {
    expect(trackAlibiM('T1', [at(0, 6), at(100, 5), at(200, 5.5)], lane, DEFAULT_FUSION.reach)).toBe(5);
    const lost = { ts: 300, tracks: [], cameras: ['CAM1'] };
    expect(trackAlibiM('T1', [at(0, 6), lost], lane, DEFAULT_FUSION.reach)).toBeUndefined();
  });
  it('counts a gap in the steps as time the person may have walked', () => {
    // 2 s without a step: a second either side at 2.5 m/s
    expect(
      trackAlibiM('T1', [at(0, 6), at(2000, 6)], lane, { ...DEFAULT_FUSION.reach, walkMps: 2.5 }),
    ).toBeCloseTo(3.5, 6);
  });
});

describe('FusionStage.trackAlibiM', () => {
  const shelf = store.config.shelves[0];
  const lane = shelf?.lanes[0];
  if (shelf === undefined || lane === undefined) throw new Error('the sample store has shelves with lanes');
  const reach = laneReachPoint(shelf, lane);
  const stage = () => steppedFusion(T0);
  const event = { lanes: [lane.id], startTs: T0 + 2000, endTs: T0 + 2900 };

  it('measures the track over the event’s evidence window from the track history', () => {
    const { fusion, time } = stage();
    for (let ts = T0; ts <= T0 + 5000; ts += 100) {
      time.advanceTo(ts);
      const x = reach.x + 4 - (ts - T0) / 5000; // walks from 4 m to 3 m off the lane
      fusion.observe({
        ts,
        tracks: [trackMessage('T1', 'bob', x, reach.y, { lastSeenTs: ts })],
        cameras: ['CAM1'],
      });
    }
    // the window is 700 ms before the event to 400 ms after: nearest at 3.3 s, 3.34 m off
    expect(fusion.trackAlibiM('T1', event)).toBeCloseTo(4 - 3300 / 5000, 3);
    expect(fusion.trackAlibiM('T2', event)).toBeUndefined();
  });

  it('says nothing when the history no longer reaches back to the window', () => {
    const { fusion, time } = stage();
    time.advanceTo(T0 + 1500);
    fusion.observe({
      ts: T0 + 1500,
      tracks: [trackMessage('T1', 'bob', reach.x + 5, reach.y)],
      cameras: ['CAM1'],
    });
    expect(fusion.trackAlibiM('T1', event)).toBeUndefined();
  });
});

describe('FusionStage.trackEvidence', () => {
  const shelf = store.config.shelves[0];
  const lane = shelf?.lanes[0];
  if (shelf === undefined || lane === undefined) throw new Error('the sample store has shelves with lanes');
  const reach = laneReachPoint(shelf, lane);
  const event = shelfEvent({ lanes: [lane.id], startTs: T0 + 2000, endTs: T0 + 2900 });
  /** T2, unbound, stands 0.7 m off the lane with a hand 0.5 m off; T1 beside it reaches in */
  const play = (unseenFrom = Number.POSITIVE_INFINITY) => {
    const { fusion, time } = steppedFusion(T0);
    for (let ts = T0; ts <= T0 + 4000; ts += 100) {
      time.advanceTo(ts);
      const seen = ts >= unseenFrom && ts < unseenFrom + 800 ? unseenFrom - 100 : ts;
      fusion.observe({
        ts,
        tracks: [
          trackMessage('T1', null, reach.x, reach.y + 0.45, {
            lastSeenTs: ts,
            hands: [{ x: reach.x, y: reach.y, ownerConfidence: 1 }],
          }),
          trackMessage('T2', null, reach.x + 0.7, reach.y, {
            lastSeenTs: seen,
            hands: seen === ts ? [{ x: reach.x + 0.5, y: reach.y, ownerConfidence: 1 }] : [],
          }),
        ],
        cameras: ['CAM1'],
      });
    }
    return fusion;
  };

  it('measures one track alone, as if bound to the session', () => {
    const own = play().trackEvidence('T2', 'nils', event);
    expect(own?.sessionId).toBe('nils');
    expect(own?.handM).toBeCloseTo(0.5, 3);
    expect(own?.bodyM).toBeCloseTo(0.7, 3);
  });

  it("gives a brief copy of a neighbour's resting hand back to the neighbour before measuring the track", () => {
    // for one step (100 ms) the tracker gave T1's resting hand to T2 instead, unsure: T2's own hand is 0.5 m off
    const { fusion, time } = steppedFusion(T0);
    for (let ts = T0; ts <= T0 + 4000; ts += 100) {
      time.advanceTo(ts);
      const copied = ts === T0 + 2400;
      const resting = { x: reach.x, y: reach.y };
      fusion.observe({
        ts,
        tracks: [
          trackMessage('T1', null, reach.x, reach.y + 0.45, {
            lastSeenTs: ts,
            hands: copied ? [] : [{ ...resting, ownerConfidence: 1 }],
          }),
          trackMessage('T2', null, reach.x + 0.7, reach.y, {
            lastSeenTs: ts,
            hands: [
              { x: reach.x + 0.5, y: reach.y, ownerConfidence: 1 },
              ...(copied ? [{ ...resting, ownerConfidence: 0 }] : []),
            ],
          }),
        ],
        cameras: ['CAM1'],
      });
    }
    const own = fusion.trackEvidence('T2', 'nils', event);
    expect(own?.handM).toBeCloseTo(0.5, 3);
  });

  it('says nothing when the cameras lost sight of the track during the window', () => {
    expect(play(T0 + 2200).trackEvidence('T2', 'nils', event)).toBeUndefined();
    expect(play().trackEvidence('T9', 'nils', event)).toBeUndefined();
  });
});

describe('ExceptionQueue.clearCandidate', () => {
  it('stops naming a candidate, keeps the evidence that cleared them, and never clears the last one', () => {
    const db = openEdgeDatabase(':memory:');
    const queue = new ExceptionQueue(db);
    const event = refused([c('alice', 0.05, 0.4, 0.4), c('bob', null, 6, 0.5), c('cy', null, null)]);
    const opened = queue.consider(event, ['alice', 'bob', 'cy'], T0 + 1000);
    expect(opened?.candidateSessions).toEqual(['alice', 'bob', 'cy']);
    const id = opened?.exceptionId as string;
    const cleared = queue.clearCandidate(
      id,
      'bob',
      { ...event, confidence: 0 },
      'vision:exit-alibi',
      T0 + 2000,
    );
    expect(cleared?.candidateSessions).toEqual(['alice', 'cy']);
    expect(queue.openFor('bob')).toEqual([]);
    expect(queue.clearCandidate(id, 'bob', event, 'vision:exit-alibi', T0 + 2000)).toBeUndefined();
    expect(queue.clearCandidate(id, 'cy', event, 'vision:exit-alibi', T0 + 2000)?.candidateSessions).toEqual([
      'alice',
    ]);
    expect(queue.clearCandidate(id, 'alice', event, 'vision:exit-alibi', T0 + 2000)).toBeUndefined();
    expect(queue.auditTrail()[0]).toMatchObject({ actor: 'vision:exit-alibi', action: 'clear-candidate' });
    // kept across a restart of the edge
    expect(new ExceptionQueue(db).openFor('alice').map((x) => x.candidateSessions)).toEqual([['alice']]);
  });
});
