// A shopper's alibi (#13): where their person could have been during a shelf event while their track's
// identity is in doubt — on one of the tracks the doubts link it to, however they chain.
import { describe, expect, it } from 'vitest';
import { alibiM, possibleTracks } from '../../../../edge/fusion/alibi.ts';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import type { TrackSnapshot } from '../../../../edge/fusion/track-history.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { trackMessage } from '../../../support/track-message.ts';

const lane = [{ x: 0, y: 0 }];
// the mechanism at a pace the figures below are worked out for (the shipped pace: shared/walking-pace.ts)
const settings = { ...DEFAULT_FUSION.reach, walkMps: 2.5 };
const doubt = (withTrack?: string) => ({
  identityConfidence: 0.5,
  identityDoubts: [{ ts: 900, since: 800, ...(withTrack === undefined ? {} : { with: withTrack }) }],
});
const steps = (...tracks: TrackMessage[]): TrackSnapshot[] =>
  [1000, 1100, 1200].map((ts) => ({
    ts,
    tracks: tracks.map((t) => ({ ...t, lastSeenTs: t.lastSeenTs === 0 ? ts : t.lastSeenTs })),
    cameras: ['CAM1'],
  }));
const ids = (tracks: TrackMessage[] | undefined) => tracks?.map((t) => t.id);

describe('possibleTracks', () => {
  it('follows the doubts from the session’s track, both ways and transitively', () => {
    const tracks = [
      trackMessage('T1', 'ada', 5, 5, doubt('T2')),
      trackMessage('T2', 'bob', 6, 5, doubt('T1')),
      // T3 names T2 only on its own side
      trackMessage('T3', 'cy', 7, 5, doubt('T2')),
      trackMessage('T4', 'dan', 1, 1),
    ];
    expect(ids(possibleTracks('ada', tracks, 1000))).toEqual(['T1', 'T2', 'T3']);
    expect(ids(possibleTracks('dan', tracks, 1000))).toEqual(['T4']);
  });

  it('cannot say when a doubt names nobody, names a track no longer followed, or the binding is in doubt', () => {
    expect(possibleTracks('ada', [trackMessage('T1', 'ada', 5, 5, doubt())], 1000)).toBeUndefined();
    expect(possibleTracks('ada', [trackMessage('T1', 'ada', 5, 5, doubt('T9'))], 1000)).toBeUndefined();
    expect(
      possibleTracks('ada', [trackMessage('T1', 'ada', 5, 5, { identityCeiling: 0.5 })], 1000),
    ).toBeUndefined();
    // an older edge names the moment of the latest doubt only
    expect(
      possibleTracks('ada', [trackMessage('T1', 'ada', 5, 5, { identityDoubtTs: 900 })], 1000),
    ).toBeUndefined();
    // no track of the session at all
    expect(possibleTracks('ada', [trackMessage('T1', 'bob', 5, 5)], 1000)).toBeUndefined();
    expect(
      possibleTracks('ada', [trackMessage('T1', 'ada', 5, 5, { state: 'tentative' })], 1000),
    ).toBeUndefined();
  });

  it('passes a person on only through encounters that ended after they could have arrived', () => {
    const span = (w: string, since: number, ts: number) => ({ with: w, since, ts });
    // ada met bob at 500–600; bob had met cy before (200–300): ada's person cannot have reached cy
    const tracks = (bobCy: { since: number; ts: number }) => [
      trackMessage('T1', 'ada', 5, 5, { identityDoubts: [span('T2', 500, 600)] }),
      trackMessage('T2', 'bob', 6, 5, {
        identityDoubts: [span('T1', 500, 600), span('T3', bobCy.since, bobCy.ts)],
      }),
      trackMessage('T3', 'cy', 7, 5, { identityDoubts: [span('T2', bobCy.since, bobCy.ts)] }),
    ];
    expect(ids(possibleTracks('ada', tracks({ since: 200, ts: 300 }), 1000))).toEqual(['T1', 'T2']);
    // …but cy's person may have reached ada's track by way of bob
    expect(ids(possibleTracks('cy', tracks({ since: 200, ts: 300 }), 1000))).toEqual(['T3', 'T2', 'T1']);
    // bob met cy after ada: her person may have gone on
    expect(ids(possibleTracks('ada', tracks({ since: 700, ts: 800 }), 1000))).toEqual(['T1', 'T2', 'T3']);
  });

  it('puts a shopper whose track is gone where it was last reported', () => {
    const last = { ts: 600, track: trackMessage('T1', 'ada', 2, 2, { lastSeenTs: 600 }) };
    const reports = {
      ofTrack: () => undefined,
      ofSession: (id: string) => (id === 'ada' ? last : undefined),
    };
    expect(ids(possibleTracks('ada', [], 1000, reports))).toEqual(['T1']);
    expect(possibleTracks('bob', [], 1000, reports)).toBeUndefined();
  });

  it('takes a partner no longer followed as last reported, and none that walked out', () => {
    const ada = trackMessage('T1', 'ada', 5, 5, doubt('T9'));
    const lost = trackMessage('T9', null, 2, 2, { lastSeenTs: 600 });
    const reports = (track: TrackMessage, ts = 600) => ({
      ofTrack: (id: string) => (id === 'T9' ? { ts, track } : undefined),
      ofSession: () => undefined,
    });
    expect(ids(possibleTracks('ada', [ada], 1000, reports(lost)))).toEqual(['T1', 'T9']);
    const out = { ...lost, state: 'exited' as const, exitGate: 'G-OUT' };
    expect(ids(possibleTracks('ada', [ada], 1000, reports(out)))).toEqual(['T1']);
    // reported again after this moment: where it was then is not known here
    expect(possibleTracks('ada', [ada], 1000, reports(lost, 1200))).toBeUndefined();
  });
});

describe('alibiM', () => {
  it('is the nearest any possible track came to the lane, body or hand', () => {
    const far = steps(
      trackMessage('T1', 'ada', 4, 3, doubt('T2')),
      trackMessage('T2', 'bob', 3, 4, { ...doubt('T1'), hands: [{ x: 2.5, y: 2.5 }] }),
    );
    expect(alibiM('ada', far, lane, settings)).toBeCloseTo(Math.hypot(2.5, 2.5), 6);
    // bob reached into the lane: whoever of the two ada is, she may have done it
    const near = steps(
      trackMessage('T1', 'ada', 4, 3, doubt('T2')),
      trackMessage('T2', 'bob', 0.5, 0, doubt('T1')),
    );
    expect(alibiM('ada', near, lane, settings)).toBeCloseTo(0.5, 6);
  });

  it('counts a track unseen for a while as near as it could have walked since', () => {
    const unseen = steps(trackMessage('T1', 'ada', 5, 0, { lastSeenTs: 200 }));
    // last step 1000 ms unseen at 2.5 m/s: 2.5 m nearer
    expect(alibiM('ada', unseen, lane, settings)).toBeCloseTo(5 - 2.5, 6);
    const justSeen = steps(trackMessage('T1', 'ada', 5, 0));
    expect(alibiM('ada', justSeen, lane, settings)).toBeCloseTo(5, 6);
  });

  it('counts a partner gone from the steps as near as its person could have walked since last seen', () => {
    const ada = trackMessage('T1', 'ada', 9, 0, doubt('T9'));
    const lost = trackMessage('T9', null, 8, 0, { lastSeenTs: 200 });
    const report = {
      ofTrack: (id: string) => (id === 'T9' ? { ts: 200, track: lost } : undefined),
      ofSession: () => undefined,
    };
    // at the last step (1200 ms) T9's person has been unseen 1 s: 2.5 m nearer than 8 m
    expect(alibiM('ada', steps(ada), lane, settings, report)).toBeCloseTo(8 - 2.5, 6);
    expect(alibiM('ada', steps(ada), lane, settings)).toBeUndefined();
  });

  it('has none when any moment cannot say where the person was', () => {
    const snaps = steps(trackMessage('T1', 'ada', 5, 5));
    const lost = { ...(snaps[1] as TrackSnapshot), tracks: [] };
    expect(alibiM('ada', [snaps[0] as TrackSnapshot, lost], lane, settings)).toBeUndefined();
    expect(alibiM('ada', [], lane, settings)).toBeUndefined();
  });
});
