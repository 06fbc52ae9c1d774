// Who scanned out when more people stood at the exit scanner than the scan let out (#13, lost-at-gate-03 of the
// suite: two shoppers waiting side by side in the exit lobby, one scanning 1.5 s before the other; the first
// receipt waited 6 s for the walk through the gate).
import { describe, expect, it } from 'vitest';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import type { ExitMatch } from '../../../../edge/fusion/fusion-stage.ts';
import {
  otherScansPeople,
  type ScannerSighting,
  tellByElimination,
} from '../../../../edge/fusion/scanner-elimination.ts';
import { steppedFusion } from '../../../support/fusion-stage.ts';
import { trackMessage } from '../../../support/track-message.ts';

const WITHIN = 4500;
const sighting = (
  sessionId: string,
  ts: number,
  standing: Array<[string, number?]>,
  party = 1,
): ScannerSighting => ({
  scan: { sessionId, gate: 'G-OUT', ts, party },
  standing: standing.map(([trackId, doubtTs]) => ({ trackId, doubtTs })),
  told: standing.length <= party,
});

describe('tellByElimination', () => {
  it('gives the earlier scan the one left once the other stood alone at the next scan', () => {
    const ada = sighting('ada', 22_700, [['T1'], ['T3']]);
    const leo = sighting('leo', 24_200, [['T3']]);
    expect(tellByElimination([ada], WITHIN)).toEqual([]);
    const told = tellByElimination([ada, leo], WITHIN);
    expect(told).toEqual([ada]);
    expect(ada.standing.map((p) => p.trackId)).toEqual(['T1']);
  });

  it('works the other way round: someone still waiting after their own scan did not make the next one', () => {
    const leo = sighting('leo', 20_000, [['T3']]);
    const ada = sighting('ada', 21_000, [['T1'], ['T3']]);
    expect(tellByElimination([leo, ada], WITHIN)).toEqual([ada]);
  });

  it('chains: a scan told by elimination tells the next', () => {
    const a = sighting('a', 10_000, [['T1'], ['T2'], ['T3']]);
    const b = sighting('b', 11_000, [['T2'], ['T3']]);
    const c = sighting('c', 12_000, [['T3']]);
    expect(tellByElimination([a, b, c], WITHIN).map((s) => s.scan.sessionId)).toEqual(['b', 'a']);
    expect(a.standing.map((p) => p.trackId)).toEqual(['T1']);
  });

  it('tells nothing through a track that may have changed person between the two scans', () => {
    const ada = sighting('ada', 22_700, [['T1'], ['T3']]);
    const leo = sighting('leo', 24_200, [['T3', 23_500]]);
    expect(tellByElimination([ada, leo], WITHIN)).toEqual([]);
    // a doubt before both scans: the same person stood there at both
    const leo2 = sighting('leo', 24_200, [['T3', 20_000]]);
    expect(tellByElimination([sighting('ada', 22_700, [['T1'], ['T3']]), leo2], WITHIN)).toHaveLength(1);
  });

  it('tells nothing from scans too far apart, or while more are left than the scan lets out', () => {
    expect(
      tellByElimination([sighting('ada', 0, [['T1'], ['T3']]), sighting('leo', 5000, [['T3']])], WITHIN),
    ).toEqual([]);
    const family = sighting('fam', 0, [['T1'], ['T2'], ['T3'], ['T4']], 2);
    const leo = sighting('leo', 1000, [['T4']]);
    expect(tellByElimination([family, leo], WITHIN)).toEqual([]);
    expect(tellByElimination([family, leo, sighting('zoe', 1500, [['T3']])], WITHIN)).toEqual([family]);
    expect(family.standing.map((p) => p.trackId)).toEqual(['T1', 'T2']);
  });
});

describe('otherScansPeople', () => {
  const eva = { sessionId: 'eva', gate: 'G-OUT', ts: 25_000, party: 1 };
  const none = () => undefined;

  it('names who stood at a told scan within the window, with no doubt since before the earlier scan', () => {
    const ada = sighting('ada', 22_700, [['T1']]);
    const queue = sighting('leo', 23_000, [['T3'], ['T4']]);
    expect([...otherScansPeople([ada, queue], eva, WITHIN, none)]).toEqual(['T1']);
    // too long before: says nothing
    expect(otherScansPeople([sighting('ada', 20_000, [['T1']])], eva, WITHIN, none).size).toBe(0);
    // eva's own earlier sighting is not another scan's
    expect(otherScansPeople([sighting('eva', 24_000, [['T1']])], eva, WITHIN, none).size).toBe(0);
  });

  it('leaves out a track in doubt since before its scan, then or now', () => {
    expect(otherScansPeople([sighting('ada', 22_700, [['T1', 22_800]])], eva, WITHIN, none).size).toBe(0);
    const since = (ts: number) => () => ts;
    const ada = () => [sighting('ada', 22_700, [['T1']])];
    expect(otherScansPeople(ada(), eva, WITHIN, since(24_000)).size).toBe(0);
    // a doubt begun before both scans: the same person stood at hers
    expect(otherScansPeople(ada(), eva, WITHIN, since(21_000)).size).toBe(1);
  });
});

describe('FusionStage: a queue at the exit scanner', () => {
  const T = 1_767_600_000_000;
  /** ada (T1) and leo (T3) wait side by side in the exit lobby; ada scans, walks out, then leo scans */
  function play(leoScans: boolean, kimScannedBefore = false) {
    const matches: ExitMatch[] = [];
    const { fusion, time } = steppedFusion(T, {
      exitMatched: (m) => {
        matches.push(m);
        return false;
      },
      hasDoubtsWithEvidence: (sessionId) => sessionId === 'ada',
    });
    const adaScan = T + 9000;
    const leoScan = T + 10_500;
    for (let ts = T; ts <= T + 12_000; ts += 100) {
      time.advanceTo(ts);
      // T1 stands until 0.8 s after her scan, then walks to the gate (5, 0.5) at 1.2 m/s
      const walked = Math.max(0, ts - adaScan - 800) / 1000;
      const f = Math.min(1, (walked * 1.2) / Math.hypot(0.6, 1.8));
      const t1 = trackMessage('T1', null, 4.4 + 0.6 * f, 2.3 - 1.8 * f, { lastSeenTs: ts });
      const t3 = trackMessage('T3', null, 5.5, 2.3, { lastSeenTs: ts });
      fusion.observe({ ts, tracks: [t1, t3], cameras: ['CAM1'] });
      if (ts === adaScan - 1300 && kimScannedBefore) fusion.sessionExited('kim', 'G-OUT', ts);
      if (ts === adaScan) fusion.sessionExited('ada', 'G-OUT', adaScan);
      if (ts === leoScan && leoScans) fusion.sessionExited('leo', 'G-OUT', leoScan);
    }
    return matches.filter((m) => m.how === 'at-scanner' && m.sessionId !== 'kim');
  }

  it('tells who scanned first as she walks off while the other stays, then the other at his own scan', () => {
    const matches = play(true);
    expect(matches.map((m) => [m.sessionId, m.trackId])).toEqual([
      ['ada', 'T1'],
      // leo's own match is made too, though nothing of his waits on it
      ['leo', 'T3'],
    ]);
  });

  it('tells who walked off through the gate though the other one never scans', () => {
    expect(play(false).map((m) => [m.sessionId, m.trackId])).toEqual([['ada', 'T1']]);
  });

  it('tells nothing by who walked off when someone else scanned just before', () => {
    // the one walking off may be leaving on that scan (a party's second member following the first out)
    expect(play(false, true)).toEqual([]);
  });
});

describe('FusionStage: a queue told once a doubt between the scans is settled', () => {
  const T = 1_767_600_000_000;
  const adaScan = T + 9000;
  const leoScan = T + 10_500;
  /**
   * As above, but ada brushes past leo on her way out: his track is in a swap doubt with hers from 0.9 s after
   * her scan (before his own), settled by looks at `settledTs` (never when undefined).
   */
  function play(settledTs: number | undefined) {
    const matches: Array<ExitMatch & { atTs: number }> = [];
    const { fusion, time } = steppedFusion(T, {
      exitMatched: (m) => {
        matches.push({ ...m, atTs: time.now() });
        return false;
      },
      hasDoubtsWithEvidence: (sessionId) => sessionId === 'ada',
    });
    const doubt = { ts: adaScan + 1000, with: 'T1', since: adaScan + 900 };
    for (let ts = T; ts <= T + 13_000; ts += 100) {
      time.advanceTo(ts);
      const walked = Math.max(0, ts - adaScan - 800) / 1000;
      const f = Math.min(1, (walked * 1.2) / Math.hypot(0.6, 1.8));
      const t1 = trackMessage('T1', null, 4.4 + 0.6 * f, 2.3 - 1.8 * f, { lastSeenTs: ts });
      const open = ts >= doubt.ts && (settledTs === undefined || ts < settledTs);
      const t3 = trackMessage('T3', null, 5.5, 2.3, {
        lastSeenTs: ts,
        ...(open ? { identityDoubts: [doubt], identityDoubtTs: doubt.ts } : {}),
      });
      fusion.observe({ ts, tracks: [t1, t3], cameras: ['CAM1'] });
      if (ts === adaScan) fusion.sessionExited('ada', 'G-OUT', adaScan);
      if (ts === leoScan) fusion.sessionExited('leo', 'G-OUT', leoScan);
    }
    return matches.filter((m) => m.how === 'at-scanner' && m.sessionId === 'ada');
  }

  it('tells nothing through the other track while its doubt is open', () => {
    expect(play(undefined)).toEqual([]);
  });

  it('tells who scanned first once looks settle the doubt, with the doubts as they stand then', () => {
    const told = play(leoScan + 1000);
    expect(told.map((m) => [m.trackId, m.atTs, m.doubtTs])).toEqual([['T1', leoScan + 1000, undefined]]);
  });
});

describe('FusionStage: the one ahead walking out, out of sight by the gate, at the next scan', () => {
  const T = 1_767_600_000_000;
  const adaScan = T + 9000;
  const leoScan = T + 12_500;
  /**
   * ada (T1) scans alone at the scanner, walks out through the gate and is last seen 0.4 s before leo's scan,
   * 0.9 m past the gate (not yet reported gone); leo (T3) walked up to the scanner behind her and scans.
   */
  function play(adaScans: boolean) {
    const matches: Array<ExitMatch & { atTs: number }> = [];
    const { fusion, time } = steppedFusion(T, {
      exitMatched: (m) => {
        matches.push({ ...m, atTs: time.now() });
        return false;
      },
      hasDoubtsWithEvidence: () => true,
    });
    for (let ts = T; ts <= T + 14_000; ts += 100) {
      time.advanceTo(ts);
      const seen = Math.min(ts, leoScan - 400);
      const walked = (Math.max(0, seen - adaScan - 800) / 1000) * 1.2;
      const t1 = trackMessage('T1', null, 5, Math.max(-0.8, 2.3 - walked), { lastSeenTs: seen });
      const t3y = Math.max(2.3, 8 - (Math.max(0, ts - (T + 6250)) / 1000) * 1.2);
      const t3 = trackMessage('T3', null, 5.3, t3y, { lastSeenTs: ts });
      fusion.observe({ ts, tracks: [t1, t3], cameras: ['CAM1'] });
      if (ts === adaScan && adaScans) fusion.sessionExited('ada', 'G-OUT', adaScan);
      if (ts === leoScan) fusion.sessionExited('leo', 'G-OUT', leoScan);
    }
    return matches.filter((m) => m.how === 'at-scanner').map((m) => [m.sessionId, m.trackId, m.atTs]);
  }

  it('tells who stood at the scanner at once: the one out of sight made her own scan', () => {
    expect(play(true)).toEqual([
      ['ada', 'T1', adaScan + DEFAULT_FUSION.exit.scanLagMs],
      ['leo', 'T3', leoScan + DEFAULT_FUSION.exit.scanLagMs],
    ]);
  });

  it('says nothing while the one out of sight by the gate is nobody told at a scan', () => {
    expect(play(false)).toEqual([]);
  });
});
