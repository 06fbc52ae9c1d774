import { describe, expect, it } from 'vitest';
import { leaverIsShopper, trackLeaving, wasAtLane } from '../../../../edge/fusion/exit-match.ts';
import type { TrackSnapshot } from '../../../../edge/fusion/track-history.ts';
import type { CandidateEvidence } from '../../../../shared/schemas/attribution-evidence.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';

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

describe('trackLeaving', () => {
  it('names the one person who walked out after the scan, whatever session their track carried', () => {
    expect(trackLeaving([leaving('T9', null, 12_600)], 'G-OUT', 10_000)).toEqual({
      id: 'T9',
      sessionId: null,
    });
    expect(trackLeaving([leaving('T4', 'bob', 12_600)], 'G-OUT', 10_000)).toEqual({
      id: 'T4',
      sessionId: 'bob',
    });
  });

  it('says nothing when two left, or when they left too soon, too late or through another gate', () => {
    expect(
      trackLeaving([leaving('T9', null, 12_000), leaving('T8', 'x', 13_900)], 'G-OUT', 10_000),
    ).toBeUndefined();
    expect(trackLeaving([leaving('T9', null, 16_000)], 'G-OUT', 10_000)).toBeUndefined();
    expect(trackLeaving([leaving('T9', null, 10_100)], 'G-OUT', 10_000)).toBeUndefined();
    expect(trackLeaving([leaving('T9', null, 12_000, 'G-OUT2')], 'G-OUT', 10_000)).toBeUndefined();
  });
});

describe('leaverIsShopper', () => {
  const inside = (id: string) => id === 'carol';
  it("takes the shopper's own track, and an unbound or swapped one only when nobody else left then", () => {
    expect(leaverIsShopper({ sessionId: 'alice' }, 'alice', true, inside)).toBe(true);
    expect(leaverIsShopper({ sessionId: null }, 'alice', false, inside)).toBe(true);
    expect(leaverIsShopper({ sessionId: 'carol' }, 'alice', false, inside)).toBe(true);
    expect(leaverIsShopper({ sessionId: null }, 'alice', true, inside)).toBe(false);
    // bob left himself: that was bob walking out, not alice
    expect(leaverIsShopper({ sessionId: 'bob' }, 'alice', false, inside)).toBe(false);
  });
});

describe('wasAtLane', () => {
  const event = (candidates: CandidateEvidence[]) =>
    ({
      evidence: { vision: true, laneSeen: true, candidates, rule: 'identity-doubtful' },
    }) as unknown as ShelfEvent;
  const c = (sessionId: string | null, handM: number | null, bodyM: number | null, tracks: string[]) => ({
    sessionId,
    handM,
    bodyM,
    identity: 0.5,
    tracks,
  });

  it('is true for the one hand in the lane', () => {
    expect(wasAtLane(event([c('alice', 0.05, 0.4, ['T1']), c('bob', null, 1.4, ['T2'])]), 'T1')).toBe(true);
    expect(wasAtLane(event([c('alice', 0.05, 0.4, ['T1']), c('bob', null, 1.4, ['T2'])]), 'T2')).toBe(false);
  });

  it('is false when someone else stood at the lane too, or the refusal was a close call', () => {
    expect(wasAtLane(event([c('alice', null, 0.45, ['T1']), c('bob', null, 0.63, ['T2'])]), 'T1')).toBe(
      false,
    );
    const closeCall = {
      evidence: {
        vision: true,
        laneSeen: true,
        candidates: [c('alice', 0.05, 0.4, ['T1'])],
        rule: 'close-call',
      },
    } as unknown as ShelfEvent;
    expect(wasAtLane(closeCall, 'T1')).toBe(false);
  });

  it('is false for several units with someone else beside the lane', () => {
    const twoUnits = {
      evidence: {
        vision: true,
        laneSeen: true,
        units: 2,
        candidates: [c('alice', 0.05, 0.3, ['T1']), c('bob', null, 0.6, ['T2'])],
        rule: 'identity-doubtful',
      },
    } as unknown as ShelfEvent;
    expect(wasAtLane(twoUnits, 'T1')).toBe(false);
  });

  it('is false when another hand was in the lane too, or the track was not there', () => {
    expect(wasAtLane(event([c('alice', 0.05, 0.4, ['T1']), c(null, 0.1, 0.5, ['T7'])]), 'T1')).toBe(false);
    expect(wasAtLane(event([c('alice', 0.05, 0.4, ['T1'])]), 'T3')).toBe(false);
  });
});
