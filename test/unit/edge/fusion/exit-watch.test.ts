// Fusion's exit watch (#13): a shopper with doubtful picks scans out, and who walks out on that scan settles
// them. The receipt waits for it — but only while there is something to settle, and only until nobody else
// could still walk out on the scan: the whole window only when someone else is near the gate. When the shopper
// alone stood at the scanner, the exit answers at the scan already.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import { DEFAULT_GATE_TUNING } from '../../../../edge/tracking/gate-binder.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { steppedFusion, sampleStore as store } from '../../../support/fusion-stage.ts';
import { trackMessage } from '../../../support/track-message.ts';

const foundGate = store.config.gates.find((g) => g.kind === 'exit');
if (foundGate === undefined) throw new Error('the sample store has an exit gate');
const exitGate = foundGate;
const gate = exitGate.position;

const person = (id: string, sessionId: string, x: number, y: number, ts: number): TrackMessage =>
  trackMessage(id, sessionId, x, y, { confidence: 0.9, lastSeenTs: ts });
const gone = (t: TrackMessage): TrackMessage => ({ ...t, state: 'exited', exitGate: exitGate.id });

/**
 * Ada scans out at 10 s and walks out at 12 s; `other` is where someone else stands meanwhile. `settles`:
 * what settling at the exit says of each match (true: it settled all a match of ada can).
 */
function watch(other: { x: number; y: number }, settles = false) {
  const matched: Array<{ sessionId: string; trackId: string; atTs: number; how: string }> = [];
  let doubts = true;
  const { fusion, time } = steppedFusion(10_000, {
    hasDoubtsWithEvidence: () => doubts,
    exitMatched: ({ sessionId, trackId, how }) => {
      matched.push({ sessionId, trackId, atTs: time.now(), how });
      return settles;
    },
  });
  const step = (ts: number, tracks: TrackMessage[]) => {
    time.advanceTo(ts);
    fusion.observe({ ts, tracks, cameras: ['CAM1'] });
  };
  const ada = (ts: number) => person('T1', 'ada', gate.x, gate.y + 1, ts);
  const bo = (ts: number) => person('T2', 'bo', other.x, other.y, ts);
  step(10_000, [ada(10_000), bo(10_000)]);
  fusion.sessionExited('ada', exitGate.id, 10_000);
  for (let ts = 10_100; ts < 12_000; ts += 100) step(ts, [ada(ts), bo(ts)]);
  step(12_000, [gone(ada(11_200)), bo(12_000)]);
  return {
    fusion,
    matched,
    step,
    bo,
    settleDoubts: () => {
      doubts = false;
    },
  };
}

describe('the exit watch', () => {
  it('counts as near the gate everyone the tracker could report gone through it', () => {
    // the tracker ends a track that vanishes within its exit radius: anyone that close may be gone any moment
    expect(DEFAULT_FUSION.exit.gateReachM).toBeGreaterThanOrEqual(DEFAULT_GATE_TUNING.exitRadiusM);
  });

  it('tells who stood alone at the scanner as soon as the tracks show the scan, and who walked out later', () => {
    // bo is 15 m into the shop: nowhere near the scanner at the scan, and 2.5 s left of the 4.5 s window is
    // not enough to reach the gate
    const { fusion, matched } = watch({ x: gate.x + 10, y: gate.y + 12 });
    expect(matched).toEqual([
      { sessionId: 'ada', trackId: 'T1', atTs: 10_000 + DEFAULT_FUSION.exit.scanLagMs, how: 'at-scanner' },
      { sessionId: 'ada', trackId: 'T1', atTs: 12_000, how: 'walked-out' },
    ]);
    expect(fusion.isAwaitingExit('ada')).toBe(false);
  });

  it('waits out the window while someone else stands by the gate', () => {
    const { fusion, matched, step, bo } = watch({ x: gate.x + 1, y: gate.y + 1.5 });
    expect(matched).toEqual([]);
    expect(fusion.isAwaitingExit('ada')).toBe(true);
    for (let ts = 12_100; ts <= 14_500; ts += 100) step(ts, [bo(ts)]);
    // bo stood by the scanner too: who scanned was not told by the scan
    expect(matched).toEqual([{ sessionId: 'ada', trackId: 'T1', atTs: 14_500, how: 'walked-out' }]);
  });

  it('lets the receipt go once who stood at the scanner settled all a match of theirs can', () => {
    // bo is 5 m from the gate, out of the scanner's reach but near enough to walk out within the window: the
    // watch waits it out for whoever it may still tell; ada's receipt need not
    const near = { x: gate.x + 3, y: gate.y + 4 };
    const passedOver = watch(near, false);
    expect(passedOver.matched.map((m) => m.how)).toEqual(['at-scanner']);
    expect(passedOver.fusion.isAwaitingExit('ada')).toBe(true);
    const settled = watch(near, true);
    expect(settled.matched.map((m) => m.how)).toEqual(['at-scanner']);
    expect(settled.fusion.isAwaitingExit('ada')).toBe(false);
    // the watch still runs: ada is seen walking out once bo can no longer have left on her scan
    for (let ts = 12_100; ts <= 14_500; ts += 100) settled.step(ts, [settled.bo(ts)]);
    expect(settled.matched.map((m) => m.how)).toEqual(['at-scanner', 'walked-out']);
  });

  it('stops holding the receipt once no doubtful pick is left for the exit to settle', () => {
    const { fusion, matched, settleDoubts } = watch({ x: gate.x + 1, y: gate.y + 1.5 });
    expect(fusion.isAwaitingExit('ada')).toBe(true);
    settleDoubts();
    expect(fusion.isAwaitingExit('ada')).toBe(false);
    expect(matched).toEqual([]);
  });
});

describe('a doubt settled after the scan', () => {
  /**
   * Ada scans out at 10 s, alone at the scanner, her track in a swap doubt with bo's since 8.5 s; bo is 15 m
   * into the shop. `later`: her track's doubts as reported from 10.5 s on. Every match leaves something
   * unsettled while it names a doubt (as settling at the exit does for a doubt after the pick).
   */
  function doubtful(later: TrackMessage['identityDoubts']) {
    const matched: Array<{ atTs: number; doubtTs: number | undefined; how: string }> = [];
    const { fusion, time } = steppedFusion(10_000, {
      hasDoubtsWithEvidence: () => true,
      exitMatched: ({ doubtTs, how }) => {
        matched.push({ atTs: time.now(), doubtTs, how });
        return doubtTs === undefined;
      },
    });
    const open = [{ ts: 9_000, with: 'T2', since: 8_500 }];
    const ada = (ts: number) => doubting('T1', 'ada', gate.x, gate.y + 1, ts, ts < 10_500 ? open : later);
    const bo = (ts: number) => doubting('T2', 'bo', gate.x + 10, gate.y + 12, ts);
    const step = (ts: number) => {
      time.advanceTo(ts);
      fusion.observe({ ts, tracks: [ada(ts), bo(ts)], cameras: ['CAM1'] });
    };
    step(10_000);
    fusion.sessionExited('ada', exitGate.id, 10_000);
    for (let ts = 10_100; ts <= 11_000; ts += 100) step(ts);
    return { fusion, matched };
  }

  function doubting(
    id: string,
    sessionId: string,
    x: number,
    y: number,
    ts: number,
    identityDoubts?: TrackMessage['identityDoubts'],
  ): TrackMessage {
    const last = identityDoubts?.at(-1)?.ts;
    return trackMessage(id, sessionId, x, y, {
      confidence: 0.9,
      lastSeenTs: ts,
      ...(identityDoubts === undefined || last === undefined
        ? {}
        : { identityDoubts, identityDoubtTs: last }),
    });
  }

  it('tells who stood at the scanner again, without the doubt, once their looks settle it', () => {
    const { fusion, matched } = doubtful(undefined);
    expect(matched).toEqual([
      { atTs: 10_000 + DEFAULT_FUSION.exit.scanLagMs, doubtTs: 9_000, how: 'at-scanner' },
      { atTs: 10_500, doubtTs: undefined, how: 'at-scanner' },
    ]);
    expect(fusion.isAwaitingExit('ada')).toBe(false);
  });

  it('keeps the doubt while it is open, and counts only doubts begun after the moment told as new', () => {
    // still open: told once, with the doubt
    expect(doubtful([{ ts: 10_600, with: 'T2', since: 8_500 }]).matched).toHaveLength(1);
    // folded by the tracker into one with nobody named: it keeps the first moment, so it is still that doubt
    expect(doubtful([{ ts: 10_600, since: 8_500 }]).matched).toHaveLength(1);
    // the old doubt settled, a new encounter begun after the scan: says nothing of who stood at the scanner
    const settled = doubtful([{ ts: 10_700, with: 'T2', since: 10_550 }]).matched;
    expect(settled.map((m) => m.doubtTs)).toEqual([9_000, undefined]);
  });
});
