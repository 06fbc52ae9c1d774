import { describe, expect, it } from 'vitest';
import { unboundTrackLeaving } from '../../../../edge/fusion/exit-match.ts';
import type { TrackSnapshot } from '../../../../edge/fusion/track-history.ts';

const leaving = (id: string, sessionId: string | null, ts: number, gate = 'G-OUT'): TrackSnapshot => ({
  ts,
  cameras: ['CAM1'],
  tracks: [
    {
      id,
      sessionId,
      state: 'exited',
      x: 5,
      y: 0.2,
      vx: 0,
      vy: -1,
      hands: [],
      confidence: 0.8,
      lastSeenTs: ts - 900,
      exitGate: gate,
    },
  ],
});

describe('unboundTrackLeaving', () => {
  it('names the one person on no session who walked out after the scan', () => {
    expect(unboundTrackLeaving([leaving('T9', null, 12_600)], 'alice', 'G-OUT', 10_000)).toBe('T9');
  });

  it('says nothing when the shopper was seen leaving on their own track, or two unknowns left', () => {
    expect(
      unboundTrackLeaving(
        [leaving('T9', null, 13_000), leaving('T2', 'alice', 12_500)],
        'alice',
        'G-OUT',
        10_000,
      ),
    ).toBeUndefined();
    expect(
      unboundTrackLeaving(
        [leaving('T9', null, 12_000), leaving('T8', null, 13_900)],
        'alice',
        'G-OUT',
        10_000,
      ),
    ).toBeUndefined();
  });

  it('ignores people leaving long after the scan or through another gate', () => {
    expect(unboundTrackLeaving([leaving('T9', null, 16_000)], 'alice', 'G-OUT', 10_000)).toBeUndefined();
    expect(unboundTrackLeaving([leaving('T9', null, 10_100)], 'alice', 'G-OUT', 10_000)).toBeUndefined();
    expect(
      unboundTrackLeaving([leaving('T9', null, 12_000, 'G-OUT2')], 'alice', 'G-OUT', 10_000),
    ).toBeUndefined();
  });
});
