import { describe, expect, it } from 'vitest';
import type { FloorDetection } from '../../../../edge/tracking/camera-fusion.ts';
import {
  CERTAIN_IDENTITY,
  clearestLook,
  doubtIdentity,
  forgetSwapDoubt,
  type Identity,
  lastSwapDoubtTs,
  observeIdentity,
  settleSwapDoubts,
} from '../../../../edge/tracking/identity-confidence.ts';
import type { Track, Tracker } from '../../../../edge/tracking/tracker.ts';
import { toTrackMessage } from '../../../../edge/vision/vision-stage.ts';
import { oneCameraFloor } from '../../../support/tracking-floor.ts';

// One 10 m × 10 m camera view over the floor from (0, 0); entry gate at (2, 0.5), exit at (8, 0.5).
const { setup } = oneCameraFloor(0, 0.5);
const emb = (a: number, b: number) => {
  const e = new Float32Array(16);
  e[0] = a;
  e[1] = b;
  const n = Math.hypot(a, b);
  e[0] /= n;
  e[1] /= n;
  return e;
};
const red = emb(1, 0);
const blue = emb(0, 1);
const det = (p: { x: number; y: number }, embedding: Float32Array): FloorDetection => ({
  camera: 'C',
  x: p.x,
  y: p.y,
  score: 0.9,
  embedding,
  hands: [],
});

/** Position on a piecewise-linear walk: [t (s), x, y] keyframes, holding before the first and after the last. */
function walk(keys: Array<[number, number, number]>, t: number): { x: number; y: number } {
  const first = keys[0] as [number, number, number];
  if (t <= first[0]) return { x: first[1], y: first[2] };
  for (let i = 1; i < keys.length; i++) {
    const [t0, x0, y0] = keys[i - 1] as [number, number, number];
    const [t1, x1, y1] = keys[i] as [number, number, number];
    if (t <= t1) {
      const f = (t - t0) / (t1 - t0);
      return { x: x0 + (x1 - x0) * f, y: y0 + (y1 - y0) * f };
    }
  }
  const last = keys[keys.length - 1] as [number, number, number];
  return { x: last[1], y: last[2] };
}

const observed = new Set(['C']);
const T0 = 1_000_000;
const bySession = (tracker: Tracker, session: string): Track | undefined =>
  tracker.all().find((t) => t.state === 'confirmed' && t.sessionId === session);

describe('identity confidence', () => {
  it('drops to 0.5 when two shoppers merge into one blob while crossing, and recovers on 3 s of clear looks', () => {
    const { binder, tracker } = setup();
    binder.entered('A', 'IN', 1, T0);
    binder.entered('B', 'IN', 1, T0 + 3000);
    const redPath: Array<[number, number, number]> = [
      [0, 2, 0.6],
      [5, 1, 6],
      [10, 1, 6],
      [16.67, 9, 6],
    ];
    const bluePath: Array<[number, number, number]> = [
      [3, 2, 0.6],
      [9, 9, 6],
      [10, 9, 6],
      [16.67, 1, 6],
    ];
    const lowest = { A: 1, B: 1 };
    const at = new Map<number, { A: number; B: number }>();
    for (let k = 0; k <= 220; k++) {
      const s = k / 10;
      const r = walk(redPath, s);
      const b = walk(bluePath, s);
      const dets =
        s < 3
          ? [det(r, red)]
          : Math.hypot(r.x - b.x, r.y - b.y) < 0.35
            ? [det({ x: (r.x + b.x) / 2, y: r.y }, emb(1, 1))]
            : [det(r, red), det(b, blue)];
      tracker.update(T0 + k * 100, dets, observed);
      const a = bySession(tracker, 'A')?.identityConfidence ?? Number.NaN;
      const bb = bySession(tracker, 'B')?.identityConfidence ?? Number.NaN;
      if (s > 1) lowest.A = Math.min(lowest.A, a);
      if (s > 4) lowest.B = Math.min(lowest.B, bb);
      at.set(k, { A: a, B: bb });
    }
    // before they meet (x = 5 at 13.33 s) nothing is in doubt
    expect(at.get(130)).toEqual({ A: 1, B: 1 });
    expect(lowest).toEqual({ A: 0.5, B: 0.5 });
    // each still follows its own person: the red look comes back on A, at 1/6 a second once apart
    const redTrack = bySession(tracker, 'A');
    expect(redTrack?.x.p).toBeCloseTo(9, 0);
    expect(at.get(150)?.A).toBeGreaterThan(0.6);
    expect(at.get(150)?.A).toBeLessThan(0.85);
    expect(at.get(175)).toEqual({ A: 1, B: 1 });
    // sure again by their looks, but the tracks say they were in doubt: the exit does not take them as sure
    const a = bySession(tracker, 'A');
    expect(a?.everInDoubt).toBe(true);
    expect(a === undefined ? undefined : toTrackMessage(a).identityEverDoubted).toBe(true);
  });

  it('leaves two companions on one session at 1 when they merge (a swap cannot move a pick to anyone else)', () => {
    const { binder, tracker } = setup();
    binder.entered('A', 'IN', 2, T0);
    const lead: Array<[number, number, number]> = [
      [0, 2, 0.6],
      [4, 2, 5],
      [6, 8, 5],
    ];
    const companion: Array<[number, number, number]> = [
      [1.5, 2.6, 0.6],
      [5.5, 2.6, 5],
      [6, 4, 5],
      [9, 6, 5],
    ];
    for (let k = 0; k <= 100; k++) {
      const s = k / 10;
      const a = walk(lead, s);
      const b = walk(companion, s);
      const dets =
        s < 1.5
          ? [det(a, red)]
          : Math.hypot(a.x - b.x, a.y - b.y) < 0.4
            ? [det(a, emb(1, 1))]
            : [det(a, red), det(b, blue)];
      tracker.update(T0 + k * 100, dets, observed);
    }
    const party = tracker.all().filter((t) => t.state === 'confirmed');
    expect(party.map((t) => t.sessionId)).toEqual(['A', 'A']);
    expect(party.map((t) => t.identityConfidence)).toEqual([1, 1]);
    expect(party.map((t) => toTrackMessage(t).identityEverDoubted)).toEqual([undefined, undefined]);
  });

  it('caps at 0.4 when a lost shopper is found again while someone else was lost nearby, rising on matching looks and falling on other looks', () => {
    for (const [look, expected] of [
      [red, 'up'],
      [emb(0.3, 0.954), 'down'],
    ] as const) {
      const { binder, tracker } = setup();
      binder.entered('A', 'IN', 1, T0);
      const path: Array<[number, number, number]> = [
        [0, 2, 0.6],
        [4, 2, 5],
        [8, 5, 5],
      ];
      const trace: number[] = [];
      for (let k = 0; k <= 100; k++) {
        const s = k / 10;
        // unseen from 4.5 s to 6.5 s (the camera reports, the detector misses): lost, then found 2.4 m on
        const dets = s > 4.5 && s < 6.5 ? [] : [det(walk(path, s), s < 6.5 ? red : look)];
        // someone who came in on no scan stands 4.3 m from where A is found again, unseen from 4.5 s too
        if (s <= 4.5) dets.push(det({ x: 7, y: 8 }, blue));
        tracker.update(T0 + k * 100, dets, observed);
        trace.push(bySession(tracker, 'A')?.identityConfidence ?? Number.NaN);
      }
      expect(trace[60]).toBe(1);
      expect(trace[65]).toBeCloseTo(0.4, 6);
      // 1.5 s later: 0.4 ± 1.5/6
      expect(trace[80]).toBeCloseTo(expected === 'up' ? 0.65 : 0.15, 1);
      expect(trace[100]).toBeCloseTo(expected === 'up' ? 0.983 : 0, 1);
    }
  });

  it('doubts two neighbours at a shelf only when one went unseen long enough to have changed places', () => {
    for (const [missedSteps, doubted] of [
      [1, false],
      [8, true],
    ] as const) {
      const { binder, tracker } = setup();
      binder.entered('A', 'IN', 1, T0);
      binder.entered('B', 'IN', 1, T0 + 1500);
      // A walks in to (3, 5); B follows 1.5 s later and stops 0.5 m beside A; A is hidden for a while at 7 s
      const a: Array<[number, number, number]> = [
        [1, 2, 0.6],
        [4, 3, 5],
      ];
      const b: Array<[number, number, number]> = [
        [2.5, 2, 0.6],
        [5.5, 3.5, 5],
      ];
      for (let k = 0; k <= 100; k++) {
        const s = k / 10;
        const hidden = k >= 70 && k < 70 + missedSteps;
        const dets = [
          ...(s < 1 || hidden ? [] : [det(walk(a, s), red)]),
          ...(s < 2.5 ? [] : [det(walk(b, s), blue)]),
        ];
        tracker.update(T0 + k * 100, dets, observed);
      }
      const sure = (session: string) => bySession(tracker, session)?.swapDoubts.length === 0;
      expect(sure('A')).toBe(!doubted);
      expect(sure('B')).toBe(!doubted);
    }
  });

  it('casts no doubt from a second peak beside a shopper that nobody could be (a phantom), only from one somebody could', () => {
    for (const [someoneUnseen, doubted] of [
      [false, false],
      [true, true],
    ] as const) {
      const { binder, tracker } = setup();
      binder.entered('A', 'IN', 1, T0);
      // someone let in and not seen yet (a dark entrance) could be anyone appearing on the floor
      if (someoneUnseen) binder.entered('B', 'IN', 1, T0 + 2000);
      const a: Array<[number, number, number]> = [
        [1, 2, 0.6],
        [4, 3, 5],
      ];
      for (let k = 0; k <= 100; k++) {
        const s = k / 10;
        const hidden = k >= 70 && k < 78;
        const dets = [
          ...(s < 1 || hidden ? [] : [det(walk(a, s), red)]),
          // from 6 s a second peak 0.5 m beside A (a bag, an arm), in the middle of the floor
          ...(s < 6 ? [] : [det({ x: 3.5, y: 5 }, emb(0.3, -1))]),
        ];
        tracker.update(T0 + k * 100, dets, observed);
      }
      const peak = tracker.all().find((t) => t.state === 'confirmed' && t.sessionId === null);
      expect(peak?.phantom).toBe(!someoneUnseen);
      expect((bySession(tracker, 'A')?.swapDoubts.length ?? 0) > 0).toBe(doubted);
    }
  });

  it('takes a lost phantom for nobody a later second peak could be: that peak is a phantom too', () => {
    const { binder, tracker } = setup();
    binder.entered('A', 'IN', 1, T0);
    const a: Array<[number, number, number]> = [
      [1, 2, 0.6],
      [4, 3, 5],
    ];
    const peaks = new Map<string, boolean>();
    for (let k = 0; k <= 120; k++) {
      const s = k / 10;
      const dets = [
        ...(s < 1 ? [] : [det(walk(a, s), red)]),
        // a second peak 0.5 m beside A from 6 s to 7 s, lost from view then; another 1.2 m from it from 9 s
        ...(s >= 6 && s < 7 ? [det({ x: 3.5, y: 5 }, emb(0.3, -1))] : []),
        ...(s >= 9 ? [det({ x: 4.5, y: 4.7 }, emb(-0.3, -1))] : []),
      ];
      tracker.update(T0 + k * 100, dets, observed);
      for (const t of tracker.all())
        if (t.state === 'confirmed' && t.sessionId === null) peaks.set(t.id, t.phantom);
    }
    // two tracks (the lost one took nothing 1.2 m off), neither anyone
    expect([...peaks.values()]).toEqual([true, true]);
  });

  it('stays sure when a lost shopper is found again and nobody else was lost who could have got there', () => {
    const { binder, tracker } = setup();
    binder.entered('A', 'IN', 1, T0);
    const path: Array<[number, number, number]> = [
      [0, 2, 0.6],
      [4, 2, 5],
      [8, 5, 5],
    ];
    for (let k = 0; k <= 100; k++) {
      const s = k / 10;
      const dets = s > 4.5 && s < 6.5 ? [] : [det(walk(path, s), red)];
      tracker.update(T0 + k * 100, dets, observed);
      expect(bySession(tracker, 'A')?.identityConfidence ?? 1).toBe(1);
    }
    expect(bySession(tracker, 'A')?.swapDoubts).toEqual([]);
  });

  it('doubts a lost shopper found again while someone let in at the gate was not seen yet (a dark entrance)', () => {
    const { binder, tracker } = setup();
    binder.entered('A', 'IN', 1, T0);
    const path: Array<[number, number, number]> = [
      [0, 2, 0.6],
      [4, 2, 5],
      [8, 5, 5],
    ];
    for (let k = 0; k <= 70; k++) {
      const s = k / 10;
      // B scans in at 5 s and is never seen: the one found again at 6.5 s may be B
      if (k === 50) binder.entered('B', 'IN', 1, T0 + 5000);
      const dets = s > 4.5 && s < 6.5 ? [] : [det(walk(path, s), red)];
      tracker.update(T0 + k * 100, dets, observed);
    }
    // capped at 0.4 when found, half a second of matching looks since
    expect(bySession(tracker, 'A')?.identityConfidence).toBeCloseTo(0.4 + 0.5 / 6, 6);
  });

  it('caps two newcomers of different scans coming in side by side at 0.5 for good', () => {
    const { binder, tracker } = setup();
    binder.entered('A', 'IN', 1, T0);
    binder.entered('B', 'IN', 1, T0 + 200);
    const left: Array<[number, number, number]> = [
      [0.5, 1.75, 0.6],
      [4, 1.75, 4],
      [8, 1, 9],
    ];
    const right: Array<[number, number, number]> = [
      [0.5, 2.3, 0.6],
      [4, 2.3, 4],
      [8, 6, 9],
    ];
    for (let k = 0; k <= 100; k++) {
      const s = k / 10;
      const dets = s < 0.5 ? [] : [det(walk(left, s), red), det(walk(right, s), blue)];
      tracker.update(T0 + k * 100, dets, observed);
    }
    // which of them scanned first cannot be told: both bindings stay in doubt, however clearly they are seen
    expect(bySession(tracker, 'A')?.identityConfidence).toBe(0.5);
    expect(bySession(tracker, 'B')?.identityConfidence).toBe(0.5);
  });

  it('leaves two newcomers passing the gate one after the other in the order of their scans sure', () => {
    const { binder, tracker } = setup();
    binder.entered('A', 'IN', 1, T0);
    binder.entered('B', 'IN', 1, T0 + 1000);
    // A steps in at 1 s, B a second later right behind, then they walk side by side
    const first: Array<[number, number, number]> = [
      [1, 2, 0.6],
      [3, 1.75, 2.5],
      [8, 1, 9],
    ];
    const second: Array<[number, number, number]> = [
      [2, 2, 0.6],
      [3, 2.3, 2],
      [8, 6, 9],
    ];
    for (let k = 0; k <= 100; k++) {
      const s = k / 10;
      const dets = [
        ...(s < 1 ? [] : [det(walk(first, s), red)]),
        ...(s < 2 ? [] : [det(walk(second, s), blue)]),
      ];
      tracker.update(T0 + k * 100, dets, observed);
    }
    expect(bySession(tracker, 'A')?.identityConfidence).toBe(1);
    expect(bySession(tracker, 'B')?.identityConfidence).toBe(1);
  });
});

describe('identity evidence', () => {
  const doubted = (): Identity => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    doubtIdentity(id, 0.5, red, 1000);
    return id;
  };

  it('counts only uncrowded looks, at most 250 ms of evidence per look', () => {
    const id = doubted();
    expect(observeIdentity(id, red, [undefined], 100)).toBe(0);
    expect(id.identityConfidence).toBe(0.5);
    observeIdentity(id, red, [], 100);
    expect(id.identityConfidence).toBeCloseTo(0.5 + 0.1 / 6, 9);
    observeIdentity(id, red, [], 5000);
    expect(id.identityConfidence).toBeCloseTo(0.5 + 0.35 / 6, 9);
    // a look in between (cosine 0.71) is no evidence either way
    expect(observeIdentity(id, emb(1, 1), [], 100)).toBe(0);
  });

  it('keeps the look from before the first doubt, and forgets it once confidence is back to 1', () => {
    const id = doubted();
    doubtIdentity(id, 0.4, blue, 2000);
    expect(id.identityConfidence).toBe(0.4);
    expect(id.identityReference?.[0]).toBe(1);
    for (let i = 0; i < 40; i++) observeIdentity(id, red, [], 100);
    expect(id.identityConfidence).toBe(1);
    expect(id.identityReference).toBeUndefined();
    expect(observeIdentity(id, blue, [], 100)).toBe(0);
  });

  it('counts a crowded look only when it is clearly the person and nobody beside looks like them, at half weight, never against', () => {
    const green = emb(0.3, -1);
    // beside someone of another look: evidence at half the weight
    const id = doubted();
    expect(observeIdentity(id, red, [blue], 100)).toBeCloseTo(0.05 / 6, 9);
    // beside someone who looks like the person (a swap would look the same), or of no look yet: nothing
    expect(observeIdentity(id, red, [blue, emb(1, 0.1)], 100)).toBe(0);
    expect(observeIdentity(id, red, [undefined], 100)).toBe(0);
    // a crowded look of someone else (a neighbour filling the crop) is no evidence against
    expect(observeIdentity(id, green, [blue], 100)).toBe(0);
    expect(id.identityConfidence).toBeCloseTo(0.5 + 0.05 / 6, 9);
  });

  it("judges a crowded person by the view that shows them clearest (a neighbour in one camera's crop)", () => {
    const bled = emb(1, 1);
    expect(clearestLook(red, [bled, red, blue])).toBe(red);
    expect(clearestLook(red, [])).toBeUndefined();
    expect(clearestLook(undefined, [red])).toBeUndefined();
  });

  it('gains nothing from a look as like someone it may have been swapped with (it cannot tell which of the two it follows)', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    // an encounter with someone dressed almost alike (cosine 0.995 to the person)
    const alike = emb(1, 0.1);
    doubtIdentity(id, 0.5, red, 1000, 'T2', alike);
    expect(observeIdentity(id, red, [], 100)).toBe(0);
    expect(observeIdentity(id, red, [blue], 100)).toBe(0);
    // a look unlike the person still counts against
    expect(observeIdentity(id, blue, [], 100)).toBeLessThan(0);
    // someone of another look: the person's looks count again
    const other: Identity = { ...CERTAIN_IDENTITY };
    doubtIdentity(other, 0.5, red, 1000, 'T3', blue);
    expect(observeIdentity(other, red, [], 100)).toBeCloseTo(0.1 / 6, 9);
    // once the encounter is settled, so do this one's
    forgetSwapDoubt(id, 'T2', 1000);
    expect(observeIdentity(id, red, [], 100)).toBeCloseTo(0.1 / 6, 9);
  });

  it('cannot recover without a learned look (no embedder)', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    doubtIdentity(id, 0.5, undefined, 1000);
    expect(observeIdentity(id, red, [], 100)).toBe(0);
    expect(id.identityConfidence).toBe(0.5);
  });
});

describe('swap doubts', () => {
  it('settles a possible swap after 1.5 s of uncrowded looks like the person before it, and names the other', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    doubtIdentity(id, 0.5, red, 1000, 'T2');
    doubtIdentity(id, 0.5, red, 3000, 'T3');
    expect(lastSwapDoubtTs(id)).toBe(3000);
    // crowded looks, and looks of someone else, settle nothing (and the latter start the count again)
    for (let i = 0; i < 10; i++) expect(settleSwapDoubts(id, red, [undefined], 200)).toEqual([]);
    for (let i = 0; i < 5; i++) settleSwapDoubts(id, red, [], 200);
    expect(settleSwapDoubts(id, blue, [], 200)).toEqual([]);
    let settled: ReturnType<typeof settleSwapDoubts> = [];
    for (let i = 0; i < 6 && settled.length === 0; i++) settled = settleSwapDoubts(id, red, [], 400);
    expect(settled).toEqual([
      { ts: 1000, with: 'T2', since: 1000 },
      { ts: 3000, with: 'T3', since: 3000 },
    ]);
    expect(lastSwapDoubtTs(id)).toBeUndefined();
  });

  it('a new encounter starts its own count and leaves an older doubt the looks it has had', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    doubtIdentity(id, 0.5, red, 1000, 'T2');
    for (let i = 0; i < 5; i++) expect(settleSwapDoubts(id, red, [], 200)).toEqual([]);
    doubtIdentity(id, 0.5, red, 2000, 'T3');
    // 1.0 s for the doubt with T2 before T3 came close, and 0.6 s more since: it settles, T3's waits
    for (let i = 0; i < 2; i++) expect(settleSwapDoubts(id, red, [], 200)).toEqual([]);
    expect(settleSwapDoubts(id, red, [], 200)).toEqual([{ ts: 1000, with: 'T2', since: 1000 }]);
    expect(id.swapDoubts.map((d) => d.with)).toEqual(['T3']);
    // a look of someone else starts every count again
    expect(settleSwapDoubts(id, blue, [], 200)).toEqual([]);
    for (let i = 0; i < 7; i++) expect(settleSwapDoubts(id, red, [], 200)).toEqual([]);
    expect(settleSwapDoubts(id, red, [], 200)).toEqual([{ ts: 2000, with: 'T3', since: 2000 }]);
    expect(id.doubtReference).toBeUndefined();
  });

  it('two coming close again after looks began to settle their first encounter: a second doubt, the first keeps its count', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    doubtIdentity(id, 0.5, red, 1000, 'T2', blue);
    doubtIdentity(id, 0.5, red, 1200, 'T2', blue);
    for (let i = 0; i < 4; i++) settleSwapDoubts(id, red, [], 200);
    doubtIdentity(id, 0.5, red, 3000, 'T2', blue);
    doubtIdentity(id, 0.5, red, 3100, 'T2', blue);
    expect(id.swapDoubts.map(({ ts, since, evidenceMs }) => ({ ts, since, evidenceMs }))).toEqual([
      { ts: 1200, since: 1000, evidenceMs: 800 },
      { ts: 3100, since: 3000, evidenceMs: undefined },
    ]);
    // 0.8 s + 0.8 s settle the first encounter (a pick at 2 s is no longer in doubt); the second waits
    for (let i = 0; i < 3; i++) expect(settleSwapDoubts(id, red, [], 200)).toEqual([]);
    expect(settleSwapDoubts(id, red, [], 200)).toEqual([
      { ts: 1200, with: 'T2', since: 1000, otherLook: blue },
    ]);
    expect(lastSwapDoubtTs(id)).toBe(3100);
  });

  it('settles a possible swap in a crowd after 3 s of decisive crowded looks; an undecided one keeps the count', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    const green = emb(0.3, -1);
    doubtIdentity(id, 0.5, red, 1000, 'T2', blue);
    for (let i = 0; i < 14; i++) expect(settleSwapDoubts(id, red, [blue], 200)).toEqual([]);
    // a neighbour's colours filling the crop, or a neighbour of no look: neither evidence nor a reset
    expect(settleSwapDoubts(id, green, [blue], 200)).toEqual([]);
    expect(settleSwapDoubts(id, red, [undefined], 200)).toEqual([]);
    expect(id.swapDoubts[0]?.evidenceMs).toBe(1400);
    expect(settleSwapDoubts(id, red, [blue], 200)).toEqual([
      { ts: 1000, with: 'T2', since: 1000, otherLook: blue },
    ]);
  });

  it('settles nothing by crowded looks that are somewhat like the one it may have been swapped with', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    // the other looked 0.71 alike: too alike for a crowded look (which may carry their colours) to tell
    doubtIdentity(id, 0.5, red, 1000, 'T2', emb(1, 1));
    for (let i = 0; i < 40; i++) expect(settleSwapDoubts(id, red, [blue], 250)).toEqual([]);
    expect(lastSwapDoubtTs(id)).toBe(1000);
  });

  it("forgets an encounter the other track settled, keeping the track's other doubts", () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    doubtIdentity(id, 0.5, red, 1000);
    doubtIdentity(id, 0.5, red, 3000, 'T3');
    forgetSwapDoubt(id, 'T3', 3000);
    expect(lastSwapDoubtTs(id)).toBe(1000);
    expect(id.doubtReference).toBeDefined();
  });

  it('an encounter going on step after step stays one doubt, even with looks between its steps', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    for (let t = 1000; t <= 3000; t += 100) {
      doubtIdentity(id, 0.5, red, t, 'T2', blue);
      settleSwapDoubts(id, red, [], 100);
    }
    expect(id.swapDoubts.map(({ ts, since }) => ({ ts, since }))).toEqual([{ ts: 3000, since: 1000 }]);
  });

  it('an encounter taken over from another track (a ghost merged back) keeps its first moment', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    doubtIdentity(id, 0.5, red, 3000, 'T3', blue, 1200);
    doubtIdentity(id, 0.5, red, 3500, 'T3', blue);
    expect(id.swapDoubts.map(({ ts, since }) => ({ ts, since }))).toEqual([{ ts: 3500, since: 1200 }]);
  });

  it('forgets every encounter with the other track up to the moment it settled, not a later one', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    doubtIdentity(id, 0.5, red, 1000, 'T3');
    settleSwapDoubts(id, red, [], 200);
    doubtIdentity(id, 0.5, red, 2000, 'T3');
    settleSwapDoubts(id, red, [], 200);
    doubtIdentity(id, 0.5, red, 4000, 'T3');
    expect(id.swapDoubts.map((d) => d.ts)).toEqual([1000, 2000, 4000]);
    forgetSwapDoubt(id, 'T3', 2500);
    expect(id.swapDoubts.map((d) => d.ts)).toEqual([4000]);
  });

  it('settles nothing by looks when the one it may have been swapped with looked the same', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    doubtIdentity(id, 0.5, red, 1000, 'T2', red);
    for (let i = 0; i < 20; i++) expect(settleSwapDoubts(id, red, [], 250)).toEqual([]);
    expect(lastSwapDoubtTs(id)).toBe(1000);
    // the same encounter going on is one doubt, at its latest moment
    doubtIdentity(id, 0.5, red, 1100, 'T2', red);
    expect(id.swapDoubts.map((d) => d.ts)).toEqual([1100]);
  });

  it('keeps one doubt per other track across interleaved encounters, from its first moment to its latest', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    for (let t = 1000; t < 5000; t += 100) doubtIdentity(id, 0.5, red, t, t % 200 === 0 ? 'T2' : 'T3');
    doubtIdentity(id, 0.4, red, 5000);
    doubtIdentity(id, 0.4, red, 6000);
    expect(id.swapDoubts).toEqual([
      { ts: 4800, with: 'T2', since: 1000 },
      { ts: 4900, with: 'T3', since: 1100 },
      { ts: 6000, since: 5000 },
    ]);
  });

  it('folds encounters beyond the bound into one doubt with nobody named, from the first dropped moment to the latest', () => {
    const id: Identity = { ...CERTAIN_IDENTITY };
    for (let k = 0; k < 40; k++) doubtIdentity(id, 0.5, red, 1000 + k * 10, `T${k}`);
    expect(id.swapDoubts.length).toBeLessThanOrEqual(32);
    const anyone = id.swapDoubts.filter((d) => d.with === undefined);
    expect(anyone).toEqual([{ ts: 1080, since: 1000 }]);
    expect(lastSwapDoubtTs(id)).toBe(1390);
  });
});
