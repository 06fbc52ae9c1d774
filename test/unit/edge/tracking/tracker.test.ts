import { describe, expect, it } from 'vitest';
import type { FloorDetection } from '../../../../edge/tracking/camera-fusion.ts';
import { fuseDetections } from '../../../../edge/tracking/camera-fusion.ts';
import { DEFAULT_TRACKER } from '../../../../edge/tracking/tracker.ts';
import { oneCameraFloor } from '../../../support/tracking-floor.ts';

// One 10 m × 10 m camera view from (0, 2) to (10, 12); entry gate just below it at (2, 1), exit at (8, 1).
const { setup } = oneCameraFloor(2, 1);
const emb = (a: number, b: number) => {
  const e = new Float32Array(16);
  e[0] = a;
  e[1] = b;
  return e;
};
const red = emb(1, 0);
const blue = emb(0, 1);
const det = (x: number, y: number, embedding: Float32Array, camera = 'C'): FloorDetection => ({
  camera,
  x,
  y,
  score: 0.9,
  embedding,
  hands: [],
});

describe('tracker', () => {
  it('keeps both identities when two people cross head-on through the same spot', () => {
    const { tracker } = setup();
    const observed = new Set(['C']);
    const ids = new Map<string, Set<string>>([
      ['red', new Set()],
      ['blue', new Set()],
    ]);
    for (let k = 0; k <= 60; k++) {
      const ts = 1000 + k * 100; // 10 fps, 1.2 m/s each, meeting at x = 5 after 3 s
      const xr = 1.4 + 0.12 * k;
      const xb = 8.6 - 0.12 * k;
      // while they overlap the camera sees one blob (the detector cannot split them)
      const dets =
        Math.abs(xr - xb) < 0.35
          ? [det((xr + xb) / 2, 6, emb(0.7, 0.7))]
          : [det(xr, 6, red), det(xb, 6, blue)];
      tracker.update(ts, dets, observed);
      for (const t of tracker.all().filter((t) => t.state === 'confirmed')) {
        if (Math.abs(t.x.p - xr) < 0.3 && Math.abs(xr - xb) > 1) ids.get('red')?.add(t.id);
        if (Math.abs(t.x.p - xb) < 0.3 && Math.abs(xr - xb) > 1) ids.get('blue')?.add(t.id);
      }
    }
    expect(ids.get('red')?.size).toBe(1);
    expect(ids.get('blue')?.size).toBe(1);
    expect([...(ids.get('red') ?? [])]).not.toEqual([...(ids.get('blue') ?? [])]);
    const final = tracker.all().filter((t) => t.state === 'confirmed');
    expect(final).toHaveLength(2);
    const redTrack = final.find((t) => ids.get('red')?.has(t.id));
    expect(redTrack?.x.p).toBeCloseTo(1.4 + 0.12 * 60, 0);
    expect(redTrack?.x.v).toBeGreaterThan(0.9);
  });

  it('keeps a person hidden in a merged blob next to them, and ignores a second peak on one person', () => {
    const { tracker } = setup();
    const observed = new Set(['C']);
    let hiddenFurthest = 0;
    for (let k = 0; k <= 60; k++) {
      const ts = 1000 + k * 100;
      // two people walk side by side along y = 6 and 6.35 at 1.2 m/s; from 1.5 s to 3.5 s the detector sees
      // one blob between them; the first one also shows a second peak 0.25 m ahead (a trolley)
      const x = 1 + 0.12 * k;
      const merged = k >= 15 && k <= 35;
      const dets = merged
        ? [det(x, 6.17, emb(0.7, 0.7))]
        : [det(x, 6, red), det(x, 6.35, blue), { ...det(x + 0.25, 6, emb(0.9, 0.1)), score: 0.5 }];
      tracker.update(ts, dets, observed);
      if (merged) {
        const nearest = Math.min(...tracker.all().map((t) => Math.hypot(t.x.p - x, t.y.p - 6.35)));
        hiddenFurthest = Math.max(hiddenFurthest, nearest);
      }
    }
    // the hidden one's track moved with the blob instead of coasting off
    expect(hiddenFurthest).toBeLessThan(0.4);
    const confirmed = tracker.all().filter((t) => t.state === 'confirmed');
    expect(confirmed).toHaveLength(2);
    expect(confirmed.map((t) => t.id).sort()).toEqual(['T1', 'T2']);
    const lower = confirmed.find((t) => t.y.p < 6.17);
    expect(lower?.id).toBe('T1');
    expect(lower?.x.p).toBeCloseTo(1 + 0.12 * 60, 0);
  });

  it('fuses one person seen by two overlapping cameras into one track', () => {
    const fused = fuseDetections([det(5, 5, red, 'A'), det(5.1, 5.05, red, 'B'), det(7, 5, blue, 'A')]);
    expect(fused).toHaveLength(2);
    expect(fused.find((f) => f.cameras.length === 2)?.x).toBeCloseTo(5.05, 6);
    // two people close together in the same camera are never merged
    expect(fuseDetections([det(5, 5, red, 'A'), det(5.3, 5, blue, 'A')])).toHaveLength(2);
  });

  it('pairs two people shoulder to shoulder across two cameras by least total distance, never crossed over', () => {
    // B sees the second person more surely than the first: taken one by one, B's view of the second person
    // would join the first (0.34 m away, within the merge radius) and each fused person be half of each
    const a1 = { ...det(5, 5, red, 'A'), score: 0.9 };
    const a2 = { ...det(5.35, 5, blue, 'A'), score: 0.6 };
    const b1 = { ...det(5.02, 5.01, red, 'B'), score: 0.5 };
    const b2 = { ...det(5.34, 4.99, blue, 'B'), score: 0.95 };
    const fused = fuseDetections([a1, a2, b1, b2]);
    expect(fused).toHaveLength(2);
    const left = fused.find((f) => f.x < 5.2);
    const right = fused.find((f) => f.x > 5.2);
    expect(left?.x).toBeLessThan(5.03);
    expect(right?.x).toBeGreaterThan(5.33);
    expect(left?.embedding?.[0]).toBeCloseTo(1, 6);
    expect(right?.embedding?.[1]).toBeCloseTo(1, 6);
  });

  it('binds the party coming through the entry gate to the scan, and ends tracks leaving by the exit', () => {
    const { binder, tracker } = setup();
    const observed = new Set(['C']);
    binder.entered('session-1', 'IN', 2, 1000);
    // two people come in through the gate, then walk to the exit and leave the camera's view
    const path = (k: number, lag: number) => {
      const s = Math.max(0, k - lag);
      return s < 30
        ? { x: 2, y: 2.1 + s * 0.1 }
        : { x: Math.min(8, 2 + (s - 30) * 0.12), y: 5.1 - Math.max(0, s - 80) * 0.1 };
    };
    const ended: string[] = [];
    for (let k = 0; k < 160; k++) {
      const ts = 2000 + k * 100;
      const dets = [path(k, 0), path(k, 8)]
        .filter((p, i) => (i === 0 || k >= 8) && p.y >= 2)
        .map((p, i) => det(p.x + (i === 1 ? 0.6 : 0), p.y, i === 0 ? red : blue));
      for (const t of tracker.update(ts, dets, observed)) ended.push(`${t.id}:${t.sessionId}:${t.exitGate}`);
      if (k === 60) {
        const live = tracker.all().filter((t) => t.state === 'confirmed');
        expect(live.map((t) => t.sessionId)).toEqual(['session-1', 'session-1']);
      }
    }
    expect(ended).toHaveLength(2);
    expect(ended.every((e) => e.endsWith(':session-1:OUT'))).toBe(true);
    // a third person after the party gets no session: the scan admitted two
    expect(binder.bindNewTrack(2, 2.2, 5000)?.sessionId).toBeUndefined();
  });

  it('leaves a newcomer at the entry to their scan, not to a track on no session lost 2 m away', () => {
    const { binder, tracker } = setup();
    const observed = new Set(['C']);
    // someone on no scan stands at (3.5, 3.5) for 3 s and is lost from view there (the camera reports)
    for (let k = 0; k <= 30; k++) tracker.update(1000 + k * 100, [det(3.5, 3.5, red)], observed);
    for (let k = 31; k <= 45; k++) tracker.update(1000 + k * 100, [], observed);
    const stranger = tracker.all().find((t) => t.state === 'confirmed');
    expect(stranger).toMatchObject({ sessionId: null, lost: true });
    // 1.5 s after they were last seen a shopper scans in and steps through the gate, 2 m from that spot, looking
    // alike (the same coat)
    binder.entered('A', 'IN', 1, 1000 + 45 * 100);
    for (let k = 46; k <= 60; k++)
      tracker.update(1000 + k * 100, [det(2, 2.1 + (k - 46) * 0.1, red)], observed);
    const newcomer = tracker.all().find((t) => t.state === 'confirmed' && t.lastSeenTs === 1000 + 60 * 100);
    expect(newcomer).toMatchObject({ sessionId: 'A', identityConfidence: 1 });
    expect(newcomer?.id).not.toBe(stranger?.id);
  });

  it('ends as walked out only a track a camera last saw near the exit, not one that coasted there unseen', () => {
    const { binder, tracker } = setup();
    const observed = new Set(['C']);
    binder.entered('session-1', 'IN', 1, 1000);
    let ts = 1000;
    // in through the gate and up the floor to (8, 8)
    for (let k = 0; k < 60; k++) {
      ts = 1200 + k * 100;
      tracker.update(ts, [det(Math.min(8, 2 + k * 0.15), 2.1 + Math.min(k, 40) * 0.15, red)], observed);
    }
    // walking towards the exit at 1.5 m/s, lost mid-floor 3.2 m from it (merged, occluded)
    for (let k = 1; k <= 25; k++) tracker.update(ts + k * 100, [det(8, 8.1 - k * 0.15, red)], observed);
    ts += 2500;
    const ended: string[] = [];
    // unseen for 3 s while its estimate coasts on into the exit's radius, at the edge of the camera's view
    let coastedTo = Number.POSITIVE_INFINITY;
    for (let k = 1; k <= 30; k++) {
      for (const t of tracker.update(ts + k * 100, [], observed)) ended.push(t.id);
      coastedTo = Math.min(
        coastedTo,
        tracker.all().find((t) => t.sessionId === 'session-1')?.y.p ?? coastedTo,
      );
    }
    expect(coastedTo).toBeLessThan(3);
    expect(ended).toEqual([]);
    expect(tracker.all().find((t) => t.sessionId === 'session-1')?.lost).toBe(true);
  });

  it('doubts for good a newcomer first seen off the gate while someone lost nearby could be them, and that one', () => {
    const run = () => {
      const { binder, tracker } = setup();
      binder.entered('session-1', 'IN', 1, 1000);
      let ts = 1000;
      // the first shopper comes in and walks up to (2, 3.5)
      for (let k = 0; k < 20; k++) {
        ts = 1200 + k * 100;
        tracker.update(ts, [det(2, Math.min(3.5, 2.1 + k * 0.1), red)], new Set(['C']));
      }
      binder.entered('session-2', 'IN', 1, ts);
      // the camera over the entry goes dark for 1 s
      for (let k = 1; k <= 10; k++) tracker.update(ts + k * 100, [], new Set());
      ts += 1000;
      // someone is first seen 2 m from the gate: the second shopper, or the first one found again
      for (let k = 1; k <= 5; k++) tracker.update(ts + k * 100, [det(3.4, 2.5, blue)], new Set(['C']));
      return tracker.all().filter((t) => t.state === 'confirmed');
    };
    const tracks = run();
    const newcomer = tracks.find((t) => t.sessionId === 'session-2');
    expect(newcomer).toBeDefined();
    expect(newcomer?.identityConfidence).toBeLessThanOrEqual(DEFAULT_TRACKER.identity.gateCap);
    const first = tracks.find((t) => t.sessionId === 'session-1');
    expect(first?.identityConfidence ?? 0).toBeLessThanOrEqual(DEFAULT_TRACKER.identity.gateCap);
    // nobody lost nearby when the newcomer appeared (first seen at the gate itself): no doubt
    const { binder, tracker } = setup();
    binder.entered('session-1', 'IN', 1, 1000);
    for (let k = 0; k < 10; k++) tracker.update(1200 + k * 100, [det(2, 2.1 + k * 0.1, red)], new Set(['C']));
    expect(tracker.all().find((t) => t.sessionId === 'session-1')?.identityConfidence).toBe(1);
  });

  it('binds someone seen waiting on the gate before their scan to that scan once they step in', () => {
    const run = (scans: boolean) => {
      const { binder, tracker } = setup();
      const observed = new Set(['C']);
      binder.entered('session-1', 'IN', 1, 1000);
      for (let k = 0; k < 70; k++) {
        const ts = 1000 + k * 100;
        const s = k / 10;
        // the first shopper walks in off the gate from 0.3 s
        const first = det(2, Math.min(6, 0.6 + 1.2 * Math.max(0, s - 0.3)), red);
        // the next in line is seen standing on the gate from 1.5 s, scans at 4 s and walks in from 4.3 s
        if (scans && k === 40) binder.entered('session-2', 'IN', 1, ts);
        const next = det(2.3, s < 4.3 ? 0.4 : 0.4 + 1.2 * (s - 4.3), blue);
        tracker.update(ts, s >= 1.5 ? [first, next] : [first], observed);
      }
      const sessions = tracker
        .all()
        .filter((t) => t.state === 'confirmed')
        .map((t) => t.sessionId);
      return { sessions, tailgaters: tracker.takeTailgating().length };
    };
    // before: first seen 1.5 s before the scan, on no scan — a tailgater on no session, and the scan unused
    expect(run(true)).toEqual({ sessions: ['session-1', 'session-2'], tailgaters: 0 });
    // nobody scanned for them: flagged once they come in
    expect(run(false)).toEqual({ sessions: ['session-1', null], tailgaters: 1 });
  });

  it('gives a shopper back the detection a ghost peak beside them took over, and drops the ghost', () => {
    const run = (ghostM: number, someoneToCome = true) => {
      const { binder, tracker } = setup({ ...DEFAULT_TRACKER, ghostM });
      const observed = new Set(['C']);
      binder.entered('session-1', 'IN', 1, 1000);
      const mixed = emb(0.7, 0.7);
      let shopperSeenAtEnd = false;
      for (let k = 0; k < 90; k++) {
        const ts = 2000 + k * 100;
        // a second scan pending when the peak appears: it could be that person, so it is no phantom
        if (someoneToCome && k === 48) binder.entered('session-2', 'IN', 1, ts);
        // in through the gate, up to the shelf at (2, 6), then standing there
        const at = { x: 2, y: Math.min(6, 2.1 + k * 0.1) };
        const dets =
          k >= 50 && k < 55
            ? // a second peak beside them (a bag, an arm): a track of its own on no session
              [det(at.x, at.y, red), det(at.x + 0.4, at.y, mixed)]
            : k >= 55 && k < 70
              ? // the two peaks run together: one detection between them that looks like the ghost's crop
                [det(at.x + 0.15, at.y, mixed)]
              : [det(at.x, at.y, red)];
        tracker.update(ts, dets, observed);
        const shopper = tracker.all().find((t) => t.sessionId === 'session-1');
        if (k === 69) shopperSeenAtEnd = shopper?.lastSeenTs === ts;
      }
      const confirmed = tracker.all().filter((t) => t.state === 'confirmed');
      return { shopperSeenAtEnd, confirmed: confirmed.length };
    };
    // before: the ghost holds the detection and the shopper's track coasts beside it, unseen
    expect(run(0)).toEqual({ shopperSeenAtEnd: false, confirmed: 2 });
    expect(run(DEFAULT_TRACKER.ghostM)).toEqual({ shopperSeenAtEnd: true, confirmed: 1 });
    // with no one to come, the peak is a phantom: it gives way to the shopper's track from the start
    expect(run(0, false)).toEqual({ shopperSeenAtEnd: true, confirmed: 2 });
  });

  it("leaves a phantom unmatched rather than push a shopper onto a neighbour's second peak", () => {
    const run = (phantomMissM: number) => {
      const { binder, tracker } = setup({ ...DEFAULT_TRACKER, phantomMissM });
      const observed = new Set(['C']);
      binder.entered('session-1', 'IN', 1, 1000);
      binder.entered('session-2', 'IN', 1, 1900);
      const a = (k: number) => ({ x: 2, y: Math.min(6, 2.1 + k * 0.1) });
      const b = (k: number) => ({ x: 3, y: Math.min(6, 2.1 + Math.max(0, k - 9) * 0.1) });
      const step = (k: number, dets: FloorDetection[]) => tracker.update(2000 + k * 100, dets, observed);
      for (let k = 0; k < 60; k++) {
        const [pa, pb] = [a(k), b(k)];
        const dets = [det(pa.x, pa.y, red), det(pb.x, pb.y, blue)];
        // a second peak beside b for most of a second: nobody is left to come in, so it is a phantom
        if (k >= 50 && k < 59) dets.push(det(pb.x + 0.4, pb.y, blue));
        step(k, dets);
      }
      const phantom = tracker.all().find((t) => t.phantom);
      // a camera comes back and sees a second peak of a, 0.15 m beside them (within b's reach, out of the
      // phantom's), with both shoppers
      step(60, [det(2, 6, red), det(2.15, 6, red), det(3, 6, blue)]);
      const shopper = tracker.all().find((t) => t.sessionId === 'session-2');
      return {
        phantom: phantom !== undefined,
        shopperX: Math.round((shopper?.x.p ?? 0) * 10) / 10,
        phantomMatched: phantom?.lastSeenTs === 2000 + 60 * 100,
      };
    };
    // before: every track matched at any price — the phantom took b's detection, and b's track was pulled
    // most of a metre towards a's second peak
    expect(run(Number.POSITIVE_INFINITY)).toEqual({ phantom: true, shopperX: 2.6, phantomMatched: true });
    expect(run(DEFAULT_TRACKER.phantomMissM)).toEqual({ phantom: true, shopperX: 3, phantomMatched: false });
  });

  it("does not pull a shopper's unseen track onto a phantom's peak", () => {
    const { binder, tracker } = setup();
    const observed = new Set(['C']);
    binder.entered('session-1', 'IN', 1, 1000);
    binder.entered('session-2', 'IN', 1, 1900);
    const a = (k: number) => ({ x: 2, y: Math.min(6, 2.1 + k * 0.1) });
    const b = (k: number) => ({
      x: 3 + Math.min(1.8, Math.max(0, k - 20) * 0.1),
      y: Math.min(6, 2.1 + Math.max(0, k - 9) * 0.2),
    });
    const ts = (k: number) => 2000 + k * 100;
    for (let k = 0; k < 80; k++) {
      const dets = [det(a(k).x, a(k).y, red)];
      // b stands at the shelf and goes unseen from k = 50 (their track's reach widens while unseen)
      if (k < 50) dets.push(det(b(k).x, b(k).y, blue));
      // a second peak of a, 2.4 m from b, while b is still seen (so it is nobody: a phantom); within b's
      // widened reach from k = 68
      if (k >= 40) dets.push(det(a(k).x + 0.4, a(k).y, red));
      tracker.update(ts(k), dets, observed);
    }
    const phantom = tracker.all().find((t) => t.phantom);
    const shopper = tracker.all().find((t) => t.sessionId === 'session-2');
    expect(phantom?.lastSeenTs).toBe(ts(79));
    expect(shopper?.lastSeenTs).toBe(ts(49));
  });

  it('leaves a phantom its own peak where no one else wants it, however unlike it that peak looks', () => {
    const { binder, tracker } = setup();
    const observed = new Set(['C']);
    binder.entered('session-1', 'IN', 1, 1000);
    const at = (k: number) => ({ x: 2, y: Math.min(6, 2.1 + k * 0.1) });
    for (let k = 0; k < 60; k++) {
      const p = at(k);
      const dets = [det(p.x, p.y, red)];
      if (k >= 50) dets.push(det(p.x + 0.5, p.y, red));
      tracker.update(2000 + k * 100, dets, observed);
    }
    // the peak now looks nothing like it (a cost well over phantomMissM): nobody else wants it, so it is its
    tracker.update(2000 + 60 * 100, [det(2, 6, red), det(2.5, 6, blue)], observed);
    const phantom = tracker.all().find((t) => t.phantom);
    expect(phantom?.lastSeenTs).toBe(2000 + 60 * 100);
    expect(tracker.all().filter((t) => t.state !== 'confirmed')).toEqual([]);
  });

  it('finds a hurrying shopper again where they could have got from where they were last seen', () => {
    const run = (walkMps: number) => {
      const { binder, tracker } = setup({ ...DEFAULT_TRACKER, walkMps });
      const observed = new Set(['C']);
      binder.entered('session-1', 'IN', 1, 1000);
      // in through the gate and up the aisle at 3 m/s, to (2, 6)
      for (let k = 0; k <= 13; k++) tracker.update(2000 + k * 100, [det(2, 2.1 + k * 0.3, red)], observed);
      // hidden for 1.5 s while turning off the way the track coasts on, then seen 5 m from (2, 6)
      for (let k = 14; k < 29; k++) tracker.update(2000 + k * 100, [], observed);
      for (let k = 29; k < 35; k++) tracker.update(2000 + k * 100, [det(7, 6.5, red)], observed);
      return tracker.all().filter((t) => t.state === 'confirmed' && !t.lost);
    };
    // at 1.5 m/s from where the track coasted to, they could not be the one seen there: a stranger, unpaid
    expect(run(1.5).map((t) => t.sessionId)).toEqual([null]);
    const [found] = run(DEFAULT_TRACKER.walkMps);
    expect(found?.sessionId).toBe('session-1');
    expect(found?.x.p).toBeCloseTo(7, 0);
  });
});
