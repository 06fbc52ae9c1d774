import { describe, expect, it } from 'vitest';
import {
  type ExitScan,
  lastForeignDoubtTs,
  matchExits,
  nobodyElseCanLeave,
  type TrackExit,
  trackExits,
} from '../../../../edge/fusion/exit-sequence.ts';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import type { TrackSnapshot } from '../../../../edge/fusion/track-history.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { trackMessage } from '../../../support/track-message.ts';

const track = (id: string, sessionId: string | null, x: number, y: number, exitGate?: string): TrackMessage =>
  trackMessage(id, sessionId, x, y, {
    confidence: 0.9,
    ...(exitGate === undefined ? {} : { state: 'exited', exitGate }),
  });
const step = (ts: number, tracks: TrackMessage[]): TrackSnapshot => ({ ts, tracks, cameras: ['CAM1'] });
const scan = (sessionId: string, ts: number, party = 1, gate = 'G-OUT'): ExitScan => ({
  sessionId,
  gate,
  ts,
  party,
});
const left = (trackId: string, ts: number, sessionId: string | null = null, gate = 'G-OUT'): TrackExit => ({
  trackId,
  sessionId,
  gate,
  ts,
});

describe('trackExits', () => {
  it('lists each track that left once, at the first step that reported it gone', () => {
    const exits = trackExits([
      step(1000, [track('T1', 'a', 5, 0.5)]),
      step(1100, [track('T1', 'a', 5, 0.5, 'G-OUT')]),
      step(1200, [track('T1', 'a', 5, 0.5, 'G-OUT'), track('T2', null, 5, 0.5, 'G-OUT')]),
    ]);
    expect(exits).toEqual([left('T1', 1100, 'a'), left('T2', 1200)]);
  });
  it('marks a track sure of its session only when it was never in doubt since the gate', () => {
    const out = (over: Partial<TrackMessage>): TrackMessage => ({
      ...track('T1', 'a', 5, 0.5, 'G-OUT'),
      identityConfidence: 1,
      ...over,
    });
    const sureOf = (t: TrackMessage) => trackExits([step(1100, [t])])[0]?.sure === true;
    expect(sureOf(out({}))).toBe(true);
    // a doubt its looks settled since, a binding that could have gone to a newcomer, a track on no session
    expect(sureOf(out({ identityEverDoubted: true }))).toBe(false);
    expect(sureOf(out({ identityCeiling: 0.5 }))).toBe(false);
    expect(sureOf(out({ identityConfidence: 0.9 }))).toBe(false);
    expect(sureOf(out({ sessionId: null }))).toBe(false);
    // an older edge that reports no identity
    expect(sureOf(track('T1', 'a', 5, 0.5, 'G-OUT'))).toBe(false);
  });

  it('does not count a phantom walking out as someone leaving', () => {
    // a second peak beside someone, coasting out through the gate: one leaver more than the scans let out
    // would void every conclusion about them
    const phantom: TrackMessage = { ...track('T4', null, 5, 0.5, 'G-OUT'), phantom: true };
    const exits = trackExits([step(1100, [track('T1', 'a', 5, 0.5, 'G-OUT'), phantom])]);
    expect(exits).toEqual([left('T1', 1100, 'a')]);
    expect(matchExits([scan('a', 0)], exits)).toEqual(new Map([['T1', 'a']]));
  });
});

describe('matchExits', () => {
  it('takes the one person who walked out after a scan for that shopper, whatever session the track had', () => {
    expect(matchExits([scan('eva', 10_000)], [left('T9', 12_500, 'mia')])).toEqual(new Map([['T9', 'eva']]));
  });

  it('settles two shoppers leaving close together when one of them left before the other scanned', () => {
    // T1 left 2.6 s after eva's scan and before mia's scan let anyone out; T2 then can only be mia
    const m = matchExits(
      [scan('eva', 26_500), scan('mia', 28_700)],
      [left('T1', 28_900), left('T2', 31_000)],
    );
    expect(m).toEqual(
      new Map([
        ['T1', 'eva'],
        ['T2', 'mia'],
      ]),
    );
  });

  it('leaves open who is who when both could have left on either scan', () => {
    const m = matchExits(
      [scan('eva', 10_000), scan('mia', 10_500)],
      [left('T1', 12_000), left('T2', 12_400)],
    );
    expect(m.size).toBe(0);
  });

  it('pairs people leaving close together by pace when any other pairing needs one to dawdle 1.5 s more', () => {
    // both could have left on either scan; in scan order each took 3 s from scan to gate, the other way
    // round one would have taken 1.5 s and the other 4.5 s
    expect(
      matchExits([scan('hugo', 26_500), scan('eva', 28_000)], [left('T2', 29_500), left('T1', 31_000)]),
    ).toEqual(
      new Map([
        ['T2', 'hugo'],
        ['T1', 'eva'],
      ]),
    );
    // one more person walking out than the scans let out: no pairing is concluded
    expect(
      matchExits(
        [scan('hugo', 26_500), scan('eva', 28_000)],
        [left('T2', 29_500), left('T1', 31_000), left('T3', 30_200)],
      ).size,
    ).toBe(0);
  });

  it('takes a track never in doubt since the gate as its own session, and tells the others by it', () => {
    const sure = (trackId: string, ts: number, sessionId: string): TrackExit => ({
      ...left(trackId, ts, sessionId),
      sure: true,
    });
    // four scans within a second, four leavers: timing alone tells nobody apart
    const scans = [scan('s22', 89_300), scan('s18', 89_300), scan('s24', 90_100), scan('s21', 90_300)];
    const tracks = [left('T34', 91_600, 's21'), left('T36', 92_300, 's22'), left('T48', 92_500)];
    expect(matchExits(scans, [...tracks, left('T39', 93_300, 's24')]).size).toBe(0);
    // three of them followed without doubt since the gate: the fourth, whose binding was lost, is s18
    const m = matchExits(scans, [
      sure('T34', 91_600, 's21'),
      sure('T36', 92_300, 's22'),
      left('T48', 92_500),
      sure('T39', 93_300, 's24'),
    ]);
    expect(m).toEqual(
      new Map([
        ['T34', 's21'],
        ['T36', 's22'],
        ['T48', 's18'],
        ['T39', 's24'],
      ]),
    );
    // a sure track whose own scan is not in time is someone no scan explains: nothing about those scans holds
    expect(
      matchExits([scan('eva', 10_000), scan('mia', 12_000)], [sure('T1', 13_000, 'ann'), left('T2', 14_000)])
        .size,
    ).toBe(0);
  });

  it('lets a party out on one scan, and no more people than the party', () => {
    expect(matchExits([scan('fam', 10_000, 2)], [left('T1', 11_500), left('T2', 12_300)])).toEqual(
      new Map([
        ['T1', 'fam'],
        ['T2', 'fam'],
      ]),
    );
    // a third person walking out on a party of two: someone left without scanning, nothing is concluded
    expect(
      matchExits([scan('fam', 10_000, 2)], [left('T1', 11_500), left('T2', 12_300), left('T3', 12_600)]).size,
    ).toBe(0);
  });

  it('matches nobody who left too soon, too late, or through another gate', () => {
    const scans = [scan('eva', 10_000)];
    expect(matchExits(scans, [left('T1', 10_100)]).size).toBe(0);
    expect(matchExits(scans, [left('T1', 16_000)]).size).toBe(0);
    expect(matchExits(scans, [left('T1', 12_000, null, 'G-OUT2')]).size).toBe(0);
  });
});

describe('lastForeignDoubtTs', () => {
  const exit = (trackId: string, doubts: Array<{ ts: number; with?: string }>): TrackExit => ({
    trackId,
    sessionId: null,
    gate: 'G-OUT',
    ts: 50_000,
    doubts,
  });
  it('a swap with a track that left on the same session is harmless, with another session it is not', () => {
    const exits = [
      exit('A', [{ ts: 30_000, with: 'B' }]),
      exit('B', [{ ts: 30_000, with: 'A' }]),
      exit('C', []),
    ];
    const family = new Map([
      ['A', 'fam'],
      ['B', 'fam'],
    ]);
    expect(lastForeignDoubtTs('A', family, exits)).toBeUndefined();
    const apart = new Map([
      ['A', 'fam'],
      ['B', 'tia'],
    ]);
    expect(lastForeignDoubtTs('A', apart, exits)).toBe(30_000);
    // the partner's walk-out was not settled: it may have been anyone's
    expect(lastForeignDoubtTs('A', new Map([['A', 'fam']]), exits)).toBe(30_000);
  });

  it("a doubt without a partner, or a partner who later swapped with someone else's person, counts", () => {
    const matched = new Map([
      ['A', 'fam'],
      ['B', 'fam'],
      ['C', 'tia'],
    ]);
    const relinked = [exit('A', [{ ts: 20_000 }]), exit('B', [])];
    expect(lastForeignDoubtTs('A', matched, relinked)).toBe(20_000);
    const chain = [
      exit('A', [{ ts: 20_000, with: 'B' }]),
      exit('B', [
        { ts: 20_000, with: 'A' },
        { ts: 25_000, with: 'C' },
      ]),
      exit('C', [{ ts: 25_000, with: 'B' }]),
    ];
    expect(lastForeignDoubtTs('A', matched, chain)).toBe(20_000);
    expect(lastForeignDoubtTs('B', matched, chain)).toBe(25_000);
  });

  it('an older edge reports only the last doubt, without partners: it counts', () => {
    const old: TrackExit = {
      trackId: 'A',
      sessionId: null,
      gate: 'G-OUT',
      ts: 50_000,
      identityDoubtTs: 12_000,
    };
    expect(lastForeignDoubtTs('A', new Map([['A', 'fam']]), [old])).toBe(12_000);
  });
});

describe('nobodyElseCanLeave', () => {
  const gate = { x: 5, y: 0.5 };
  const seen = (t: TrackMessage, lastSeenTs: number): TrackMessage => ({ ...t, lastSeenTs });
  // nobody is reported gone farther than 3 m from the gate (the default), nobody walks faster than 2.5 m/s
  // (the figures below are worked out for that pace; the shipped one is shared/walking-pace.ts)
  const atPace = { ...DEFAULT_FUSION.exit, walkMps: 2.5 };
  it('is final once everyone still inside is farther than they could walk by the horizon', () => {
    // 2 s left: 3 m + 5 m of walking; the shopper at 9 m cannot make it, the one who left is gone
    const steps = [
      step(1000, [seen(track('T1', 'a', 5, 1.5), 1000), seen(track('T2', 'b', 5, 9.5), 1000)]),
      step(2000, [seen(track('T1', 'a', 5, 0.5, 'G-OUT'), 1200), seen(track('T2', 'b', 5, 9.5), 2000)]),
    ];
    expect(nobodyElseCanLeave(steps, gate, 4000, atPace)).toBe(true);
    // with 3 s left the same shopper could reach the lobby and be gone
    expect(nobodyElseCanLeave(steps, gate, 5000, atPace)).toBe(false);
  });
  it('waits while someone stands in the exit lobby, seen or not', () => {
    const lobby = [
      step(2000, [seen(track('T1', 'a', 5, 0.5, 'G-OUT'), 1200), seen(track('T3', 'c', 6, 2), 2000)]),
    ];
    expect(nobodyElseCanLeave(lobby, gate, 2500, atPace)).toBe(false);
  });
  it('counts an unseen track as walking since it was last seen, and one the tracker dropped too', () => {
    // 10 m off when last seen 4 s ago: 10 m of walking since, it may be at the gate now
    const unseen = [step(5000, [seen(track('T2', 'b', 5, 13.5), 1000)])];
    expect(nobodyElseCanLeave(unseen, gate, 6000, atPace)).toBe(false);
    // a track in an earlier step and gone from the latest without walking out: it may still be about
    const dropped = [step(1000, [seen(track('T2', 'b', 5, 7.5), 1000)]), step(2000, [])];
    expect(nobodyElseCanLeave(dropped, gate, 3000, atPace)).toBe(false);
    expect(
      nobodyElseCanLeave(
        [step(1000, [seen(track('T2', 'b', 5, 12.5), 1000)]), step(2000, [])],
        gate,
        3000,
        atPace,
      ),
    ).toBe(true);
  });
  it('does not count a phantom, and says nothing without steps', () => {
    const phantom: TrackMessage = { ...seen(track('T9', null, 5, 1), 2000), phantom: true };
    expect(nobodyElseCanLeave([step(2000, [phantom])], gate, 3000, atPace)).toBe(true);
    expect(nobodyElseCanLeave([], gate, 3000, atPace)).toBe(false);
  });
});
