import { describe, expect, it } from 'vitest';
import type { FloorDetection } from '../../../../edge/tracking/camera-fusion.ts';
import { assignmentMarginM, type StepMatch } from '../../../../edge/tracking/identity-doubts.ts';
import { oneCameraFloor } from '../../../support/tracking-floor.ts';

const p = (x: number, y: number) => ({ x, y });

describe('assignmentMarginM', () => {
  it('is about twice the distance between two people each standing in their own place', () => {
    const a: StepMatch = { before: p(3, 6), predicted: p(3, 6), detection: p(3.01, 6) };
    const b: StepMatch = { before: p(3.55, 6), predicted: p(3.55, 6), detection: p(3.54, 6) };
    expect(assignmentMarginM(a, b)).toBeCloseTo(1.06, 2);
  });

  it('comes down to nothing as two people pass each other on one line', () => {
    const a: StepMatch = { before: p(4.88, 6), predicted: p(5, 6), detection: p(5, 6) };
    const b: StepMatch = { before: p(5.12, 6), predicted: p(5, 6), detection: p(5, 6) };
    expect(assignmentMarginM(a, b)).toBeCloseTo(0, 5);
  });

  it('takes the smaller sum: two who turn back look clear from where they were, not from where they were heading', () => {
    // 0.2 m apart walking towards each other; the motion model puts each past the other, they step back instead
    const a: StepMatch = { before: p(4.9, 6), predicted: p(5.02, 6), detection: p(4.85, 6) };
    const b: StepMatch = { before: p(5.1, 6), predicted: p(4.98, 6), detection: p(5.15, 6) };
    expect(assignmentMarginM(a, b)).toBeCloseTo(-0.08, 5);
  });
});

// One 10 m × 10 m camera view from (0, 2) to (10, 12); entry gate just below it at (2, 1), exit at (8, 1).
const { setup } = oneCameraFloor(2, 1);
/** Both shoppers wear the same coat: the embedder cannot tell them apart. */
const coat = new Float32Array(16);
coat[0] = 1;
const det = (at: { x: number; y: number }): FloorDetection => ({
  camera: 'C',
  x: at.x,
  y: at.y,
  score: 0.9,
  embedding: coat,
  hands: [],
});

/** Along `path` (corners) at 0.12 m a step (1.2 m/s at 10 fps), then standing at its end. */
function walk(path: readonly { x: number; y: number }[], step: number) {
  let left = step * 0.12;
  for (let i = 1; i < path.length; i++) {
    const from = path[i - 1] as { x: number; y: number };
    const to = path[i] as { x: number; y: number };
    const leg = Math.hypot(to.x - from.x, to.y - from.y);
    if (left <= leg)
      return p(from.x + ((to.x - from.x) * left) / leg, from.y + ((to.y - from.y) * left) / leg);
    left -= leg;
  }
  return path.at(-1) as { x: number; y: number };
}

/** Two look-alikes of two scans come in 2.5 s apart and go where `paths` take them; the tracks at the end. */
function twoLookAlikes(paths: (ts: number) => { x: number; y: number }[], untilMs: number) {
  const { binder, tracker } = setup();
  binder.entered('session-a', 'IN', 1, 1000);
  binder.entered('session-b', 'IN', 1, 3500);
  for (let ts = 1200; ts <= untilMs; ts += 100) tracker.update(ts, paths(ts).map(det), new Set(['C']));
  const of = (session: string) => tracker.all().find((t) => t.sessionId === session);
  return { a: of('session-a'), b: of('session-b') };
}

describe('look-alikes both seen close together', () => {
  it('leaves no doubt while each stands in their own place, 0.55 m apart, for seconds', () => {
    const { a, b } = twoLookAlikes((ts) => {
      const first = walk([p(2, 2.1), p(2, 6), p(3, 6)], Math.round((ts - 1200) / 100));
      if (ts < 3700) return [first];
      return [first, walk([p(2, 2.1), p(2, 6), p(2.45, 6)], Math.round((ts - 3700) / 100))];
    }, 12_000);
    expect(a?.identityConfidence).toBe(1);
    expect(b?.identityConfidence).toBe(1);
    expect(a?.swapDoubts).toEqual([]);
    expect(b?.swapDoubts).toEqual([]);
  });

  it('doubts both once they pass each other shoulder to shoulder, 0.3 m apart', () => {
    const { a, b } = twoLookAlikes((ts) => {
      // the first walks up and along the floor to the right; the second, in after them, comes back the other
      // way 0.3 m beside their line
      const first = walk([p(2, 2.1), p(2, 6), p(9, 6)], Math.round((ts - 1200) / 100));
      if (ts < 3700) return [first];
      return [
        first,
        walk([p(2, 2.1), p(2, 4), p(9, 4), p(9, 6.3), p(2, 6.3)], Math.round((ts - 3700) / 100)),
      ];
    }, 16_000);
    expect(a?.swapDoubts.map((d) => d.with)).toEqual([b?.id]);
    expect(b?.swapDoubts.map((d) => d.with)).toEqual([a?.id]);
  });
});
