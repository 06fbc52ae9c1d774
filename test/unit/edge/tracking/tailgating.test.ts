import { describe, expect, it } from 'vitest';
import type { FloorDetection } from '../../../../edge/tracking/camera-fusion.ts';
import { GateBinder } from '../../../../edge/tracking/gate-binder.ts';
import type { Tracker } from '../../../../edge/tracking/tracker.ts';
import { tailgatingAlert } from '../../../../edge/vision/tailgating-alert.ts';
import { oneCameraFloor } from '../../../support/tracking-floor.ts';

// One 10 m × 10 m camera view over the floor from (0, 0); entry gate at (2, 0.5), exit at (8, 0.5).
const { gates, setup } = oneCameraFloor(0, 0.5);
const T0 = 1_000_000;
const look = (k: number) => {
  const e = new Float32Array(16);
  e[k] = 1;
  return e;
};
const det = (x: number, y: number, k: number): FloorDetection => ({
  camera: 'C',
  x,
  y,
  score: 0.9,
  embedding: look(k),
  hands: [],
});

/** `seconds` of tracker steps at 10 fps, the camera seeing what `at` (seconds in) says. */
function play(tracker: Tracker, seconds: number, at: (s: number) => FloorDetection[]) {
  const observed = new Set(['C']);
  for (let i = 0; i <= seconds * 10; i++) tracker.update(T0 + i * 100, at(i / 10), observed);
}

/** People walking in through the entry gate, the k-th starting at `starts[k]` s, 1.2 m/s straight in. */
function comeIn(tracker: Tracker, starts: number[], seconds: number) {
  play(tracker, seconds, (s) =>
    starts.flatMap((start, k) => (s < start ? [] : [det(2 + 0.1 * k, 0.6 + 1.2 * (s - start), k)])),
  );
}

describe('gate binder: tailgating', () => {
  it('says who came in beyond the party a scan admitted, and on which scan', () => {
    const binder = new GateBinder(gates);
    binder.entered('S1', 'IN', 1, T0);
    expect(binder.bindNewTrack(2, 0.6, T0 + 500)?.sessionId).toBe('S1');
    expect(binder.bindNewTrack(2, 0.6, T0 + 1500)?.sessionId).toBeUndefined();
    expect(binder.unadmitted(2, 0.6, T0 + 1500, 'T2')).toEqual({
      gate: 'IN',
      sessionId: 'S1',
      admitted: 1,
      entered: 2,
      trackId: 'T2',
      ts: T0 + 1500,
    });
    // a third one on the same scan: 3 came in on a scan for 1
    expect(binder.unadmitted(2.3, 0.7, T0 + 2500, 'T3')).toMatchObject({ admitted: 1, entered: 3 });
  });

  it('reports someone coming in on no scan (or long after it), and nobody appearing away from the gate', () => {
    const binder = new GateBinder(gates);
    expect(binder.unadmitted(2, 0.6, T0, 'T1')).toEqual({
      gate: 'IN',
      sessionId: null,
      admitted: 0,
      entered: 1,
      trackId: 'T1',
      ts: T0,
    });
    binder.entered('S1', 'IN', 2, T0);
    expect(binder.unadmitted(2, 0.6, T0 + 13_000, 'T2')).toMatchObject({ sessionId: null, admitted: 0 });
    expect(binder.unadmitted(6, 6, T0 + 1000, 'T3')).toBeUndefined();
  });
});

describe('tracker: tailgating', () => {
  it('flags the second person through the gate on a scan for one, once', () => {
    const { binder, tracker } = setup();
    binder.entered('S1', 'IN', 1, T0);
    comeIn(tracker, [0.2, 1.4], 5);
    const events = tracker.takeTailgating();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ gate: 'IN', sessionId: 'S1', admitted: 1, entered: 2 });
    const follower = tracker.all().find((t) => t.id === events[0]?.trackId);
    expect(follower?.sessionId).toBeNull();
    expect(follower?.bornY).toBeLessThan(1);
    expect(tracker.takeTailgating()).toEqual([]);
  });

  it('takes a second peak beside a shopper just in, off the gate, for nobody: no tailgater, no doubt', () => {
    const { binder, tracker } = setup();
    binder.entered('S1', 'IN', 1, T0);
    // the shopper walks in from the gate; 1.6–1.9 s in, 1.9–2.3 m from the gate, a second peak 0.4 m beside
    // them (a bag, an arm) for a few frames, then it merges back into them
    play(tracker, 4, (s) => {
      const y = 0.6 + 1.2 * s;
      return s >= 1.55 && s <= 1.95 ? [det(2, y, 0), det(2.4, y, 0)] : [det(2, y, 0)];
    });
    expect(tracker.takeTailgating()).toEqual([]);
    const [shopper, peak] = tracker.all();
    expect(shopper).toMatchObject({ sessionId: 'S1', phantom: false, identityConfidence: 1 });
    expect(peak).toMatchObject({ sessionId: null, state: 'confirmed', phantom: true });
  });

  it('still flags someone stepping in on the gate beside a shopper on a scan for one', () => {
    const { binder, tracker } = setup();
    binder.entered('S1', 'IN', 1, T0);
    // a second person steps in 0.5 m beside the shopper, 0.3 s behind: first seen on the gate
    play(tracker, 4, (s) => [
      det(2, 0.6 + 1.2 * s, 0),
      ...(s >= 0.3 ? [det(2.5, 0.6 + 1.2 * (s - 0.3), 1)] : []),
    ]);
    const events = tracker.takeTailgating();
    expect(events).toHaveLength(1);
    expect(tracker.all().find((t) => t.id === events[0]?.trackId)?.phantom).toBe(false);
  });

  it('gives the slot a second peak took back to the person who steps onto the gate for it', () => {
    const { binder, tracker } = setup();
    binder.entered('S1', 'IN', 1, T0);
    binder.entered('S2', 'IN', 1, T0 + 1500);
    // S1 walks in; 2.0–2.4 s in, a second peak 0.5 m beside them (looking like nobody) takes S2's slot and is
    // lost; at 2.9 s S2's person steps onto the gate
    play(tracker, 5, (s) => [
      det(2, 0.6 + 0.6 * s, 0),
      ...(s >= 2 && s <= 2.4 ? [det(2.5, 0.6 + 0.6 * s, 5)] : []),
      ...(s >= 2.9 ? [det(2, 0.6 + 0.6 * (s - 2.9), 1)] : []),
    ]);
    expect(tracker.takeTailgating()).toEqual([]);
    const tracks = tracker.all();
    expect(tracks.map((t) => t.sessionId).sort()).toEqual(['S1', 'S2']);
    const second = tracks.find((t) => t.sessionId === 'S2');
    expect(second?.bornTs).toBeGreaterThanOrEqual(T0 + 2900);
    // had the peak been S2's person after all, this one would have come in on no scan: in doubt till the exit
    expect(second?.identityCeiling).toBeLessThan(1);
  });

  it('keeps the slot of a newcomer seen coming in for longer than a false start: the next one is unadmitted', () => {
    const { binder, tracker } = setup();
    binder.entered('S1', 'IN', 1, T0);
    binder.entered('S2', 'IN', 1, T0 + 1500);
    // the one beside S1 is seen for 1.5 s before it is lost: a person, not a second peak; the one after
    // steps off the gate 3 s later
    play(tracker, 7, (s) => [
      det(2, 0.6 + 0.6 * s, 0),
      ...(s >= 2 && s <= 3.5 ? [det(2.5, 0.6 + 0.6 * s, 5)] : []),
      ...(s >= 4 ? [det(2, 0.6 + 0.6 * (s - 4), 1)] : []),
    ]);
    expect(tracker.takeTailgating()).toHaveLength(1);
    expect(tracker.all().filter((t) => t.sessionId === 'S2')).toHaveLength(1);
  });

  it('flags nobody when the whole party came in on its scan', () => {
    const { binder, tracker } = setup();
    binder.entered('S1', 'IN', 2, T0);
    comeIn(tracker, [0.2, 1.4], 5);
    expect(tracker.takeTailgating()).toEqual([]);
    expect(
      tracker
        .all()
        .map((t) => t.sessionId)
        .sort(),
    ).toEqual(['S1', 'S1']);
  });
});

describe('tailgating alert', () => {
  it('tells staff what happened at which gate and what to do', () => {
    const base = { gate: 'G-IN', trackId: 'T7', ts: T0 };
    expect(tailgatingAlert({ ...base, sessionId: 's1', admitted: 1, entered: 2 }, 5)).toEqual({
      alertId: 'tailgating:G-IN:T7',
      kind: 'tailgating',
      severity: 'warning',
      message:
        '2 people came in through G-IN on a scan for 1 — check the entrance and ask them to scan the app',
      ts: 5,
    });
    expect(tailgatingAlert({ ...base, sessionId: null, admitted: 0, entered: 1 }, 5).message).toBe(
      '1 person came in through G-IN without a scan — check the entrance and ask them to scan the app',
    );
  });
});
