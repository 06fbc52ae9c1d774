// Two people who walked past each other: their encounter is settled by how they moved, and nothing else is.
import { describe, expect, it } from 'vitest';
import { CERTAIN_IDENTITY, DEFAULT_IDENTITY } from '../../../../edge/tracking/identity-confidence.ts';
import { doubtCloseEncounters, settlePassingDoubts } from '../../../../edge/tracking/identity-doubts.ts';
import type { Track } from '../../../../edge/tracking/track.ts';

const T0 = 1_000_000;
const tuning = DEFAULT_IDENTITY;

/** A confirmed shopper's track at (x, y) walking (vx, vy) m/s, seen at `ts`. */
function walker(
  id: string,
  sessionId: string,
  x: number,
  y: number,
  vx: number,
  vy: number,
  ts: number,
): Track {
  return {
    id,
    sessionId,
    state: 'confirmed',
    x: { p: x, v: vx, cov: [0.01, 0, 0.1] },
    y: { p: y, v: vy, cov: [0.01, 0, 0.1] },
    embedding: undefined,
    hands: [],
    bornTs: T0 - 10_000,
    bornX: 0,
    bornY: 0,
    bornBeside: [],
    lastSeenTs: ts,
    lastSeenX: x,
    lastSeenY: y,
    lastTs: ts,
    hits: 50,
    missedMs: 0,
    lost: false,
    phantom: false,
    ...CERTAIN_IDENTITY,
    swapDoubts: [],
  };
}

/** Moves a track to (x, y) walking (vx, vy), seen at `ts`. */
function moveTo(t: Track, x: number, y: number, vx: number, vy: number, ts: number): void {
  t.x = { ...t.x, p: x, v: vx };
  t.y = { ...t.y, p: y, v: vy };
  t.lastSeenTs = ts;
  t.lastSeenX = x;
  t.lastSeenY = y;
  t.lastTs = ts;
}

/**
 * A and B meet at (5, 5), A walking +x and B walking −x at `speed` m/s; B is hidden in A's blob for the
 * moment they meet: both are doubted then.
 */
function meeting(speed = 1.2) {
  const a = walker('T1', 'sa', 4.8, 5, speed, 0, T0);
  const b = walker('T2', 'sb', 5.2, 5, -speed, 0, T0 - 300);
  const tracks = new Map([
    [a.id, a],
    [b.id, b],
  ]);
  doubtCloseEncounters(tracks.values(), new Set([b]), tuning, T0);
  return { a, b, tracks };
}

describe('passing encounters settled by motion', () => {
  it('settles two people walking past each other once each is past the other and still walking on', () => {
    const { a, b, tracks } = meeting();
    expect(a.identityConfidence).toBe(tuning.encounterCap);
    expect(a.swapDoubts.map((d) => d.with)).toEqual(['T2']);
    expect(b.swapDoubts.map((d) => d.with)).toEqual(['T1']);
    // 0.3 s later, apart but the walk after is not measured yet: still in doubt
    moveTo(a, 5.3, 5, 1.2, 0, T0 + 300);
    moveTo(b, 4.7, 5, -1.2, 0, T0 + 300);
    settlePassingDoubts(tracks, T0 + 300, tuning);
    expect(a.swapDoubts).toHaveLength(1);
    // 0.7 s later: each 0.8 m on along its own way, moving apart
    moveTo(a, 5.7, 5, 1.2, 0, T0 + 700);
    moveTo(b, 4.3, 5, -1.2, 0, T0 + 700);
    settlePassingDoubts(tracks, T0 + 700, tuning);
    expect(a.swapDoubts).toEqual([]);
    expect(b.swapDoubts).toEqual([]);
    // as sure as before they met
    expect(a.identityConfidence).toBe(1);
    expect(b.identityConfidence).toBe(1);
    expect(a.identityReference).toBeUndefined();
  });

  it('settles nothing when the tracks say both turned back at the moment they met (a swap reads so)', () => {
    const { a, b, tracks } = meeting();
    // the tracks took each other's person: T1 is now where B walks on, T2 where A walks on
    moveTo(a, 4.3, 5, -1.2, 0, T0 + 700);
    moveTo(b, 5.7, 5, 1.2, 0, T0 + 700);
    settlePassingDoubts(tracks, T0 + 700, tuning);
    expect(a.swapDoubts).toHaveLength(1);
    expect(b.swapDoubts).toHaveLength(1);
    expect(a.identityConfidence).toBe(tuning.encounterCap);
  });

  it('settles nothing when one of them stood still (a walker reaching someone at a shelf may have turned back)', () => {
    const a = walker('T1', 'sa', 4.8, 5, 1.2, 0, T0);
    const b = walker('T2', 'sb', 5.2, 5, 0, 0, T0 - 300);
    const tracks = new Map([
      [a.id, a],
      [b.id, b],
    ]);
    doubtCloseEncounters(tracks.values(), new Set([b]), tuning, T0);
    expect(a.swapDoubts).toHaveLength(1);
    moveTo(a, 5.9, 5, 1.2, 0, T0 + 900);
    moveTo(b, 5.2, 5, 0, 0, T0 + 900);
    settlePassingDoubts(tracks, T0 + 900, tuning);
    expect(a.swapDoubts).toHaveLength(1);
    expect(b.swapDoubts).toHaveLength(1);
  });

  it('settles nothing for two walking alongside (no way they came together tells them apart)', () => {
    const a = walker('T1', 'sa', 5, 5, 1.0, 0, T0);
    const b = walker('T2', 'sb', 5, 5.5, 1.1, 0, T0 - 300);
    const tracks = new Map([
      [a.id, a],
      [b.id, b],
    ]);
    doubtCloseEncounters(tracks.values(), new Set([b]), tuning, T0);
    expect(a.swapDoubts).toHaveLength(1);
    moveTo(a, 6, 5, 1.0, 0, T0 + 1000);
    moveTo(b, 6.1, 6.5, 1.1, 0.3, T0 + 1000);
    settlePassingDoubts(tracks, T0 + 1000, tuning);
    expect(a.swapDoubts).toHaveLength(1);
  });

  it('settles nothing after a long meeting (people who stopped together may part either way)', () => {
    const { a, b, tracks } = meeting();
    // still close 4 s on (the encounter goes on), then walking apart
    for (let k = 1; k <= 40; k++) {
      const ts = T0 + k * 100;
      moveTo(a, 5, 5, 0, 0, ts);
      moveTo(b, 5.3, 5, 0, 0, ts - 300);
      doubtCloseEncounters(tracks.values(), new Set([b]), tuning, ts);
    }
    moveTo(a, 6, 5, 1.2, 0, T0 + 4900);
    moveTo(b, 4.3, 5, -1.2, 0, T0 + 4900);
    settlePassingDoubts(tracks, T0 + 4900, tuning);
    expect(a.swapDoubts).toHaveLength(1);
  });

  it('leaves the doubt to the looks when an uncrowded look since was more like the other one', () => {
    const { a, b, tracks } = meeting();
    const doubt = a.swapDoubts[0];
    if (doubt === undefined) throw new Error('no doubt');
    doubt.lookedLikeOther = true;
    moveTo(a, 5.7, 5, 1.2, 0, T0 + 700);
    moveTo(b, 4.3, 5, -1.2, 0, T0 + 700);
    settlePassingDoubts(tracks, T0 + 700, tuning);
    expect(a.swapDoubts).toHaveLength(1);
    expect(b.swapDoubts).toHaveLength(1);
  });

  it('keeps the cap while another doubt of the track is open, and settles only the passing one', () => {
    const { a, b, tracks } = meeting();
    a.swapDoubts.push({ ts: T0 - 5000, since: T0 - 5000 });
    moveTo(a, 5.7, 5, 1.2, 0, T0 + 700);
    moveTo(b, 4.3, 5, -1.2, 0, T0 + 700);
    settlePassingDoubts(tracks, T0 + 700, tuning);
    expect(a.swapDoubts.map((d) => d.with)).toEqual([undefined]);
    expect(a.identityConfidence).toBe(tuning.encounterCap);
    expect(b.swapDoubts).toEqual([]);
    expect(b.identityConfidence).toBe(1);
  });

  it('settles nothing while either is unseen', () => {
    const { a, b, tracks } = meeting();
    moveTo(a, 5.7, 5, 1.2, 0, T0 + 700);
    moveTo(b, 4.3, 5, -1.2, 0, T0 + 600);
    settlePassingDoubts(tracks, T0 + 700, tuning);
    expect(a.swapDoubts).toHaveLength(1);
  });
  it('settles nothing from walks long after the meeting (other walks have taken over by then)', () => {
    const { a, b, tracks } = meeting();
    moveTo(a, 7, 5, 1.2, 0, T0 + 2500);
    moveTo(b, 3, 5, -1.2, 0, T0 + 2500);
    settlePassingDoubts(tracks, T0 + 2500, tuning);
    expect(a.swapDoubts).toHaveLength(1);
  });
});
