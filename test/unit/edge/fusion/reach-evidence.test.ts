import { describe, expect, it } from 'vitest';
import { type EvidenceQuery, gatherEvidence } from '../../../../edge/fusion/reach-evidence.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { trackMessage } from '../../../support/track-message.ts';

const track = (
  id: string,
  sessionId: string | null,
  x: number,
  y: number,
  over: Partial<TrackMessage> = {},
): TrackMessage => trackMessage(id, sessionId, x, y, { lastSeenTs: 1000, identityConfidence: 1, ...over });
const target = { x: 5, y: 3.6 };
/** The evidence from one tracker step at 1000 ms, the lane seen by CAM1 (`more`: the rest of the query). */
const atOneMoment = (sessions: string[], tracks: TrackMessage[], more: Partial<EvidenceQuery> = {}) =>
  gatherEvidence({
    sessions,
    targets: [target],
    laneCameras: new Set(['CAM1']),
    snapshots: [{ ts: 1000, cameras: ['CAM1'], tracks }],
    ...more,
  });
/** A track in doubt since 900 ms: it passed close to `other` while one of them was unseen. */
const doubt = (other: string) => ({
  identityConfidence: 0.5,
  identityDoubts: [{ ts: 900, with: other }],
});

describe('gatherEvidence', () => {
  it('measures hands again over the weight change alone (atChange)', () => {
    // alice's hand was in the lane before the change began; bob's during it
    const at = (ts: number, tracks: TrackMessage[]) => ({
      ts,
      cameras: ['CAM1'],
      tracks: tracks.map((t) => ({ ...t, lastSeenTs: ts })),
    });
    const alice = (hands: TrackMessage['hands']) => track('T1', 'alice', 5, 3.1, { hands });
    const bob = (hands: TrackMessage['hands']) => track('T2', 'bob', 5.4, 3.1, { hands });
    const query = {
      sessions: ['alice', 'bob'],
      targets: [target],
      laneCameras: new Set(['CAM1']),
      snapshots: [
        at(1000, [alice([{ x: 5.02, y: 3.6, ownerConfidence: 1 }]), bob([])]),
        at(1500, [alice([]), bob([{ x: 5.1, y: 3.6, ownerConfidence: 0.9 }])]),
        at(1800, [alice([]), bob([{ x: 5.04, y: 3.6, ownerConfidence: 0.8 }])]),
      ],
    };
    const seen = gatherEvidence({ ...query, change: { fromTs: 1400, toTs: 2000 } });
    expect(seen.candidates).toEqual([
      expect.objectContaining({ sessionId: 'alice', handM: 0.02, handOwner: 1, atChange: { handM: null } }),
      expect.objectContaining({
        sessionId: 'bob',
        handM: 0.04,
        handOwner: 0.9,
        atChange: { handM: 0.04, handOwner: 0.9 },
      }),
    ]);
    // without a change span (an older caller) there is no atChange
    expect(gatherEvidence(query).candidates.every((c) => c.atChange === undefined)).toBe(true);
    // and after the change: bob's hand still in the lane once it ended, alice's nowhere
    const after = gatherEvidence({ ...query, change: { fromTs: 1400, toTs: 1600 } });
    expect(after.candidates.map((c) => c.afterChange)).toEqual([{ handM: null }, { handM: 0.04 }]);
  });

  it('names, of several people on no session near the lane, the one whose hand was there while it changed', () => {
    // two shoppers whose bindings were lost pick side by side: T2's hand in the lane while the weight changed,
    // T1's only after (a hand that came later did not lift it); then both during a second change
    const at = (ts: number, hands1: TrackMessage['hands'], hands2: TrackMessage['hands']) => ({
      ts,
      cameras: ['CAM1'],
      tracks: [
        track('T1', null, 5.5, 3.1, { hands: hands1, lastSeenTs: ts }),
        track('T2', null, 4.9, 3.1, { hands: hands2, lastSeenTs: ts }),
      ],
    });
    const inLane = [{ x: 5.05, y: 3.6, ownerConfidence: 1 }];
    const query = {
      sessions: ['ada', 'leo'],
      targets: [target],
      laneCameras: new Set(['CAM1']),
      snapshots: [at(1000, [], inLane), at(1100, [], inLane), at(1600, inLane, [])],
    };
    const unbound = (seen: ReturnType<typeof gatherEvidence>) =>
      seen.candidates.find((c) => c.sessionId === null);
    expect(unbound(gatherEvidence({ ...query, change: { fromTs: 950, toTs: 1150 } }))).toMatchObject({
      tracks: ['T1', 'T2'],
      handTrack: 'T2',
    });
    // both hands there while it changed: it cannot say whose
    expect(
      unbound(gatherEvidence({ ...query, change: { fromTs: 950, toTs: 1650 } }))?.handTrack,
    ).toBeUndefined();
    // without a change span, as before: two reached in, neither is named
    expect(unbound(gatherEvidence(query))?.handTrack).toBeUndefined();
  });

  it('carries the identity of whoever reached in, not of a companion in doubt elsewhere', () => {
    const family = (companion: TrackMessage) =>
      atOneMoment(['fam'], [track('T1', 'fam', 5, 3.1, { hands: [{ x: 5.02, y: 3.6 }] }), companion])
        .candidates[0]?.identity;
    // a companion lost and found again across the store, or standing by without reaching
    expect(family(track('T3', 'fam', 9, 1, { identityConfidence: 0.4 }))).toBe(1);
    expect(family(track('T3', 'fam', 5.5, 3.1, { identityConfidence: 0.4 }))).toBe(1);
    // the companion reaching in too: theirs counts
    expect(
      family(track('T3', 'fam', 5.5, 3.1, { identityConfidence: 0.4, hands: [{ x: 5.2, y: 3.6 }] })),
    ).toBe(0.4);
    // nobody reached in: those standing at the lane; none near: everyone
    const standing = atOneMoment(
      ['fam'],
      [
        track('T1', 'fam', 5, 3.0, { identityConfidence: 0.5 }),
        track('T3', 'fam', 9, 1, { identityConfidence: 0.4 }),
      ],
    );
    expect(standing.candidates[0]?.identity).toBe(0.5);
  });

  it('measures the closest hand and body of every session and whether the lane was in sight', () => {
    const seen = gatherEvidence({
      sessions: ['alice', 'bob', 'carol'],
      targets: [target],
      laneCameras: new Set(['CAM1']),
      snapshots: [
        {
          ts: 1000,
          cameras: ['CAM1'],
          tracks: [
            track('T1', 'alice', 5, 3.1, { hands: [{ x: 5.05, y: 3.6 }], identityConfidence: 0.7 }),
            track('T2', 'bob', 9, 3.1),
          ],
        },
        { ts: 1100, cameras: ['CAM2'], tracks: [track('T1', 'alice', 5, 3.0, { lastSeenTs: 1100 })] },
      ],
    });
    expect(seen.laneSeen).toBe(true);
    expect(seen.candidates).toEqual([
      {
        sessionId: 'alice',
        handM: 0.05,
        bodyM: 0.5,
        identity: 0.7,
        alibiM: 0.05,
        tracks: ['T1'],
        handTrack: 'T1',
        bodyTrack: 'T1',
      },
      { sessionId: 'bob', handM: null, bodyM: 4.031, identity: 1 },
      { sessionId: 'carol', handM: null, bodyM: null, identity: 1 },
    ]);
  });

  it('ignores predicted positions, tentative tracks and far people on no session', () => {
    const seen = gatherEvidence({
      sessions: ['alice'],
      targets: [target],
      laneCameras: new Set(['CAM1']),
      snapshots: [
        {
          ts: 2000,
          cameras: ['CAM2'],
          tracks: [
            track('T1', 'alice', 5, 3.2, { lastSeenTs: 1000 }),
            track('T2', null, 5, 3.3, { state: 'tentative', lastSeenTs: 2000 }),
            track('T3', null, 12, 9, { lastSeenTs: 2000 }),
            track('T4', null, 5.2, 3.3, { lastSeenTs: 2000, hands: [{ x: 5, y: 3.7 }] }),
          ],
        },
      ],
    });
    expect(seen.laneSeen).toBe(false);
    expect(seen.candidates).toEqual([
      // unseen for a second, she may have walked to the lane since: no alibi beyond it
      { sessionId: 'alice', handM: null, bodyM: null, identity: 1, alibiM: 0 },
      {
        sessionId: null,
        handM: 0.1,
        bodyM: 0.361,
        identity: 1,
        tracks: ['T4'],
        handTrack: 'T4',
        bodyTrack: 'T4',
      },
    ]);
  });

  it('gives a shopper in doubt an alibi when every track that may carry them was far from the lane', () => {
    const seen = atOneMoment(
      ['alice', 'bob'],
      [
        track('T1', 'alice', 5, 3.1, { hands: [{ x: 5.02, y: 3.6 }] }),
        track('T2', 'bob', 9, 1, doubt('T3')),
        track('T3', null, 8, 1, doubt('T2')),
      ],
    );
    expect(seen.candidates.find((c) => c.sessionId === 'bob')?.alibiM).toBeCloseTo(Math.hypot(3, 2.6), 3);
    // in doubt with the one at the lane: bob may be that person
    const near = atOneMoment(
      ['alice', 'bob'],
      [
        track('T1', 'alice', 5, 3.1, { ...doubt('T2'), hands: [{ x: 5.02, y: 3.6 }] }),
        track('T2', 'bob', 9, 1, doubt('T1')),
      ],
    );
    expect(near.candidates.find((c) => c.sessionId === 'bob')?.alibiM).toBeCloseTo(0.02, 3);
  });

  it('names the tracks a shopper in doubt may be on while the weight changed, only when several units moved', () => {
    const jo = (units: number) =>
      atOneMoment(
        ['jo', 'kim'],
        [
          track('T1', 'jo', 4.9, 3.1, { ...doubt('T2'), hands: [{ x: 4.95, y: 3.6, ownerConfidence: 1 }] }),
          track('T2', 'kim', 5.1, 3.1, { ...doubt('T1'), hands: [{ x: 5.05, y: 3.6, ownerConfidence: 1 }] }),
        ],
        { change: { fromTs: 950, toTs: 1050 }, units },
      ).candidates.find((c) => c.sessionId === 'jo');
    expect(new Set(jo(2)?.personOn)).toEqual(new Set(['T1', 'T2']));
    // one unit is never shared out: nothing to name
    expect(jo(1)?.personOn).toBeUndefined();
  });

  it('keeps the surest owner confidence of a hand seen in the lane, not of hands elsewhere', () => {
    const seen = gatherEvidence({
      sessions: ['alice', 'bob'],
      targets: [target],
      laneCameras: new Set(['CAM1']),
      snapshots: [
        {
          ts: 1000,
          cameras: ['CAM1'],
          tracks: [
            track('T1', 'alice', 5, 3.1, { hands: [{ x: 5.1, y: 3.6, ownerConfidence: 0.6 }] }),
            track('T2', 'bob', 5.6, 3.1, { hands: [{ x: 5.6, y: 3.6, ownerConfidence: 1 }] }),
          ],
        },
        ...[1100, 1200].map((ts) => ({
          ts,
          cameras: ['CAM1'],
          tracks: [
            track('T1', 'alice', 5, 3.1, {
              lastSeenTs: ts,
              hands: [{ x: 5.2, y: 3.6, ownerConfidence: 0.9 }],
            }),
          ],
        })),
      ],
    });
    expect(seen.candidates).toEqual([
      {
        sessionId: 'alice',
        handM: 0.1,
        bodyM: 0.5,
        identity: 1,
        handOwner: 0.9,
        alibiM: 0.1,
        tracks: ['T1'],
        handTrack: 'T1',
        bodyTrack: 'T1',
      },
      // bob's sure hand was in the lane beside (0.6 m off): no word on whose hand was in this one
      { sessionId: 'bob', handM: 0.6, bodyM: 0.781, identity: 1, tracks: ['T2'], bodyTrack: 'T2' },
    ]);
  });

  it('takes the owner confidence beside a hand in the lane only from hands in it (within its half width)', () => {
    // crossing-arms-02: eva's arm on its way past ada's lane ends 0.28 m off, surely hers; ada's resting hand
    // in the lane is given to eva too, unsure — together they made "eva's hand in the lane, surely hers"
    const eva = track('T3', 'eva', 5.5, 3.1, {
      hands: [
        { x: 5.28, y: 3.6, ownerConfidence: 0.97 },
        { x: 5.03, y: 3.6, ownerConfidence: 0.05 },
      ],
    });
    const wide = atOneMoment(['eva'], [eva]);
    const inLane = atOneMoment(['eva'], [eva], { laneHalfWidthM: 0.25 });
    expect(wide.candidates[0]).toMatchObject({ handM: 0.03, handOwner: 0.97 });
    expect(inLane.candidates[0]).toMatchObject({ handM: 0.03, handOwner: 0.05 });
  });

  it('does not count, while the weight changes, an arm reaching past the lane to one beyond as in it', () => {
    // lanes 0.5 m apart along x; dev stands in front of the lane at x 4.5 and reaches to the one at 5.5, past
    // this lane (x 5); ada stands in front of this one and reaches into it
    const dev = (hand: number) =>
      track('T1', 'dev', 4.5, 3.1, { hands: [{ x: hand, y: 3.6, ownerConfidence: 1 }] });
    const ada = track('T2', 'ada', 5, 3.1, { hands: [{ x: 5.01, y: 3.6, ownerConfidence: 0.95 }] });
    const change = { fromTs: 900, toTs: 1100 };
    const query = (devHand: number, more: Partial<EvidenceQuery>) =>
      atOneMoment(['dev', 'ada'], [dev(devHand), ada], { change, ...more });
    const shelf = { laneHalfWidthM: 0.25, along: { x: 1, y: 0 } };
    const past = query(5.3, shelf).candidates.find((c) => c.sessionId === 'dev');
    // over the window the hand is where it was; while the weight changed it was beyond the lane
    expect(past).toMatchObject({ handM: 0.3, atChange: { handM: null } });
    // a hand that stopped in the lane, or one at its edge on the near side, is in reach
    expect(query(5.1, shelf).candidates[0]?.atChange).toMatchObject({ handM: 0.1 });
    expect(query(4.7, shelf).candidates[0]?.atChange).toMatchObject({ handM: 0.3 });
    // ada reaching deep into the shelf is not past it (along the shelf she is in front of it)
    const deepReach = track('T2', 'ada', 5, 3.1, { hands: [{ x: 5.02, y: 3.95, ownerConfidence: 1 }] });
    const deep = atOneMoment(['ada'], [deepReach], { change, ...shelf });
    expect(deep.candidates[0]?.atChange?.handM).toBeCloseTo(0.351, 3);
    // without the shelf's direction nothing is past
    expect(query(5.3, { laneHalfWidthM: 0.25 }).candidates[0]?.atChange).toMatchObject({ handM: 0.3 });
  });

  it('a phantom (a second peak beside someone) is nobody standing at the lane; a hand on it is still a hand', () => {
    const seen = (phantom: TrackMessage) =>
      atOneMoment(['ann'], [track('T1', 'ann', 5, 3.1), phantom]).candidates.find(
        (c) => c.sessionId === null,
      );
    expect(seen(track('T9', null, 5.3, 3.1))?.bodyM).toBeCloseTo(0.583, 3);
    expect(seen(track('T9', null, 5.3, 3.1, { phantom: true }))).toBeUndefined();
    const withHand = seen(track('T9', null, 5.3, 3.1, { phantom: true, hands: [{ x: 5.1, y: 3.6 }] }));
    expect(withHand?.bodyM).toBeNull();
    expect(withHand?.handM).toBeCloseTo(0.1, 3);
    // the same hand on the person beside it too (fusion could not tell whose, and gave it to the nearest two):
    // the person's, not a stranger's
    const copy = { x: 5.1, y: 3.6, ownerConfidence: 0 };
    const shared = atOneMoment(
      ['ann'],
      [
        track('T1', 'ann', 5, 3.1, { hands: [copy] }),
        track('T9', null, 5.3, 3.1, { phantom: true, hands: [copy] }),
      ],
    ).candidates;
    expect(shared.find((c) => c.sessionId === null)).toBeUndefined();
    expect(shared.find((c) => c.sessionId === 'ann')?.handM).toBeCloseTo(0.1, 3);
  });

  it('counts a track still bound to a shopper who scanned out as a person on no session', () => {
    // busy hour (unseen seed 4242): carol's track, lost on her way out, took over a newcomer at the entry; the
    // newcomer (dave, never bound) then picked with it while carol's session was closed
    const onClosed = track('T24', 'carol', 5.05, 3.2, { hands: [{ x: 5.02, y: 3.58, ownerConfidence: 1 }] });
    const seen = atOneMoment(['alice', 'dave'], [track('T1', 'alice', 5.4, 3.1), onClosed]);
    expect(seen.candidates.find((c) => c.sessionId === null)).toEqual(
      expect.objectContaining({ handM: 0.028, handOwner: 1, tracks: ['T24'], handTrack: 'T24' }),
    );
    expect(seen.candidates.map((c) => c.sessionId)).toEqual(['alice', 'dave', null]);
  });

  it('gives a shopper just in, not yet followed, an alibi from the entry gate', () => {
    // dave scanned in 500 ms before the step at the gate 12 m from the lane: 2.6 m from it then, 1.5 m
    // walked since at 3 m/s at most — he cannot have reached the lane
    const gates = [{ x: 5, y: 15.6 }];
    const entries = (enteredAt: number) => ({ enteredAt: new Map([['dave', enteredAt]]), gates });
    const seen = (enteredAt: number) =>
      atOneMoment(['alice', 'dave'], [track('T1', 'alice', 5.4, 3.1)], {
        entries: entries(enteredAt),
      }).candidates.find((c) => c.sessionId === 'dave')?.alibiM;
    expect(seen(500)).toBeCloseTo(12 - 2.6 - 1.5, 3);
    // 4 s in, he could have: no alibi, as before
    expect(seen(-3000)).toBeUndefined();
    // a tracked shopper's own alibi stands when it is the farther bound
    const far = atOneMoment(['alice', 'bob'], [track('T1', 'alice', 5.4, 3.1), track('T2', 'bob', 5, 13.6)], {
      entries: { enteredAt: new Map([['bob', -60_000]]), gates },
    });
    expect(far.candidates.find((c) => c.sessionId === 'bob')?.alibiM).toBeCloseTo(10, 3);
  });
});
