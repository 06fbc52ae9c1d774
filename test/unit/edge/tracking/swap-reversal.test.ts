import { describe, expect, it } from 'vitest';
import type { FloorDetection } from '../../../../edge/tracking/camera-fusion.ts';
import {
  CERTAIN_IDENTITY,
  DEFAULT_IDENTITY,
  doubtIdentity,
} from '../../../../edge/tracking/identity-confidence.ts';
import {
  type SessionCarrier,
  swapBackIfShown,
  watchForSwap,
} from '../../../../edge/tracking/swap-reversal.ts';
import { oneCameraFloor } from '../../../support/tracking-floor.ts';

/** A look along one axis of the embedding: two such looks are nothing alike. */
const look = (axis: number, blend?: { axis: number; share: number }) => {
  const v = new Float32Array(16);
  v[axis] = 1;
  if (blend !== undefined) {
    v[axis] = Math.sqrt(1 - blend.share ** 2);
    v[blend.axis] = blend.share;
  }
  return v;
};
const red = look(0);
const blue = look(1);

/** Two shoppers' tracks after a close encounter at 5000 ms: each in doubt of the other, as the tracker leaves them. */
function afterEncounter(): { a: SessionCarrier; b: SessionCarrier } {
  now = 5000;
  const a: SessionCarrier = { id: 'T1', sessionId: 'session-a', ...CERTAIN_IDENTITY };
  const b: SessionCarrier = { id: 'T2', sessionId: 'session-b', ...CERTAIN_IDENTITY };
  doubtIdentity(a, DEFAULT_IDENTITY.encounterCap, red, 5000, 'T2', blue, 4800);
  doubtIdentity(b, DEFAULT_IDENTITY.encounterCap, blue, 5000, 'T1', red, 4800);
  return { a, b };
}

/** Capture time of the latest look (ms), shared by one test's looks. */
let now = 5000;

/** `steps` looks 100 ms apart: `a` sees `lookA`, `b` sees `lookB`; true once the sessions were exchanged. */
function watch(
  a: SessionCarrier,
  b: SessionCarrier,
  lookA: Float32Array | undefined,
  lookB: Float32Array | undefined,
  steps: number,
): boolean {
  let swapped = false;
  for (let k = 1; k <= steps && !swapped; k++) {
    now += 100;
    watchForSwap(a, lookA, 100, DEFAULT_IDENTITY);
    watchForSwap(b, lookB, 100, DEFAULT_IDENTITY);
    swapped = swapBackIfShown(a, b, now, DEFAULT_IDENTITY);
  }
  return swapped;
}

describe('swaps the looks undo', () => {
  it('gives each track the other one’s session once both have looked like the other person for 1.5 s', () => {
    const { a, b } = afterEncounter();
    expect(watch(a, b, blue, red, 14)).toBe(false);
    expect(a.sessionId).toBe('session-a');
    expect(watch(a, b, blue, red, 1)).toBe(true);
    expect(a.sessionId).toBe('session-b');
    expect(b.sessionId).toBe('session-a');
    // the encounter is a swap shown, no longer a doubt; each now judges its person by the other's look before
    expect(a.swapDoubts).toEqual([]);
    expect(a.swapsShown).toEqual([{ with: 'T2', since: 4800, ts: 5000, shownTs: 6500 }]);
    expect(b.swapsShown).toEqual([{ with: 'T1', since: 4800, ts: 5000, shownTs: 6500 }]);
    expect(a.identityReference).toEqual(blue);
    expect(a.identityConfidence).toBe(DEFAULT_IDENTITY.encounterCap);
  });

  it('keeps the sessions while only one of the two looks like the other person', () => {
    const { a, b } = afterEncounter();
    // b is out of sight (no look) the whole time
    expect(watch(a, b, blue, undefined, 40)).toBe(false);
    expect(a.sessionId).toBe('session-a');
  });

  it('counts again from nothing after a look of the track’s own person', () => {
    const { a, b } = afterEncounter();
    watch(a, b, blue, red, 10);
    watch(a, b, red, red, 1);
    expect(watch(a, b, blue, red, 14)).toBe(false);
    expect(watch(a, b, blue, red, 1)).toBe(true);
  });

  it('shows nothing for two who looked alike before the encounter', () => {
    const a: SessionCarrier = { id: 'T1', sessionId: 'session-a', ...CERTAIN_IDENTITY };
    const b: SessionCarrier = { id: 'T2', sessionId: 'session-b', ...CERTAIN_IDENTITY };
    // cosine 0.6 between their looks: above the 0.5 below which a look counts as someone else's
    const bluish = look(0, { axis: 1, share: 0.8 });
    doubtIdentity(a, 0.5, red, 5000, 'T2', bluish, 4800);
    doubtIdentity(b, 0.5, bluish, 5000, 'T1', red, 4800);
    expect(watch(a, b, bluish, red, 40)).toBe(false);
  });

  it('leaves a track in doubt of a second encounter as it is: whose person came to it is not known', () => {
    const { a, b } = afterEncounter();
    doubtIdentity(a, 0.5, red, 5200, 'T3', look(2), 5100);
    expect(watch(a, b, blue, red, 40)).toBe(false);
    expect(a.sessionId).toBe('session-a');
  });

  it('exchanges nothing between two of one session', () => {
    const { a, b } = afterEncounter();
    b.sessionId = 'session-a';
    expect(watch(a, b, blue, red, 40)).toBe(false);
  });
});

describe('newcomers merged at the gate', () => {
  // the camera sees from y = 2 on; the entry gate is at (2, 1.5), so a newcomer is first seen 0.6 m from it
  const { setup } = oneCameraFloor(2, 1.5);
  const det = (x: number, y: number, embedding: Float32Array): FloorDetection => ({
    camera: 'C',
    x,
    y,
    score: 0.9,
    embedding,
    hands: [],
  });

  /** A comes in on scan a, slowly; B on scan b, first seen at 2.7 s at `bAt`; the two tracks at 5 s. */
  function comeIn(bAt: { x: number; y: number }) {
    const { binder, tracker } = setup();
    binder.entered('session-a', 'IN', 1, 1000);
    binder.entered('session-b', 'IN', 1, 1500);
    for (let ts = 1200; ts <= 5000; ts += 100) {
      const k = (ts - 1200) / 100;
      const a = det(2, 2.1 + 0.05 * k, red);
      const b = ts < 2700 ? [] : [det(bAt.x, bAt.y + 0.05 * ((ts - 2700) / 100), blue)];
      tracker.update(ts, [a, ...b], new Set(['C']));
    }
    const of = (session: string) => tracker.all().find((t) => t.sessionId === session);
    return { a: of('session-a'), b: of('session-b') };
  }

  it('doubts both bindings when the second is first seen right beside the first, out of its blob', () => {
    // A is at (2, 2.85) when B appears 0.46 m beside them, 1.5 s after A was first seen
    const { a, b } = comeIn({ x: 2.35, y: 2.55 });
    expect(a?.identityCeiling).toBe(DEFAULT_IDENTITY.gateCap);
    expect(b?.identityCeiling).toBe(DEFAULT_IDENTITY.gateCap);
  });

  it('leaves both sure when the second comes in behind the first, in sight all the way', () => {
    const { a, b } = comeIn({ x: 2, y: 2.1 });
    expect(a?.identityCeiling).toBe(1);
    expect(b?.identityCeiling).toBe(1);
  });
});
