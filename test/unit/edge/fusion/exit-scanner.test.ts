// Who stood at the exit scanner when a session scanned out (#13): the exit's answer at the scan, given only
// when the cameras leave nobody else who could have been there.
import { describe, expect, it } from 'vitest';
import { standingAtScanner } from '../../../../edge/fusion/exit-scanner.ts';
import type { ExitScan } from '../../../../edge/fusion/exit-sequence.ts';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import type { TrackSnapshot } from '../../../../edge/fusion/track-history.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { trackMessage } from '../../../support/track-message.ts';

const gate = { x: 5, y: 0.5 };
const settings = DEFAULT_FUSION.exit;
const SCAN_TS = 20_000;
const scan = (sessionId: string, party = 1): ExitScan => ({ sessionId, gate: 'G-OUT', ts: SCAN_TS, party });

/** A person at (x, y) in every step from `from` to `to` (ms), seen at each. */
type Person = (ts: number) => TrackMessage | undefined;
const standing =
  (id: string, sessionId: string | null, x: number, y: number, over: Partial<TrackMessage> = {}): Person =>
  (ts) =>
    trackMessage(id, sessionId, x, y, { lastSeenTs: ts, ...over });
/** Seen until `lastTs` at (x, y), then coasting unseen (the tracker keeps reporting where it was). */
const unseenSince =
  (id: string, sessionId: string | null, x: number, y: number, lastTs: number): Person =>
  (ts) =>
    trackMessage(id, sessionId, x, y, { lastSeenTs: Math.min(ts, lastTs) });
/** Ten steps a second from 9 s before the scan to `scanLagMs` after it. */
function steps(...people: Person[]): TrackSnapshot[] {
  const out: TrackSnapshot[] = [];
  for (let ts = SCAN_TS - 9000; ts <= SCAN_TS + settings.scanLagMs; ts += 100)
    out.push({ ts, tracks: people.flatMap((p) => p(ts) ?? []), cameras: ['CAM1'] });
  return out;
}
const atScanner = (s: TrackSnapshot[], sc = scan('eva')) => standingAtScanner(s, gate, sc, settings);

describe('standingAtScanner', () => {
  it('names the one person at the scanner when everyone else is far from it', () => {
    // T1 lost its binding on the way in (no session); mia shops 10 m away
    const found = atScanner(steps(standing('T1', null, 5, 2.3), standing('T2', 'mia', 12, 8)));
    expect(found).toEqual([{ trackId: 'T1', doubtTs: undefined }]);
  });

  it('says nothing when more people stood there than the scan lets out', () => {
    const two = steps(standing('T1', null, 5, 2.3), standing('T2', 'eva', 6, 1.8));
    expect(atScanner(two)).toBeUndefined();
    // a party of two leaves on one scan: both are the session's
    expect(atScanner(two, scan('eva', 2))?.map((a) => a.trackId)).toEqual(['T1', 'T2']);
  });

  it('does not take someone walking past the scanner for the one who scanned', () => {
    // leo steps up to the scanner behind eva (1 m/s towards the gate) while she scans: he did not scan
    const walking: Person = (ts) =>
      trackMessage('T2', 'leo', 5, 3.5 - (ts - SCAN_TS + 1000) / 1000, { lastSeenTs: ts });
    const found = atScanner(steps(standing('T1', null, 5, 2.3), walking));
    expect(found).toEqual([{ trackId: 'T1', doubtTs: undefined }]);
    // …but someone standing at the scanner while another walks by is not alone there if both stood still
    expect(atScanner(steps(standing('T1', null, 5, 2.3), standing('T2', null, 5.5, 1.5)))).toBeUndefined();
  });

  it('says nothing when someone out of sight could have walked to the scanner since last seen', () => {
    // mia was last seen 2 s before the scan 5 m from the scanner: at 2.5 m/s she could have been there
    const found = atScanner(
      steps(standing('T1', null, 5, 2.3), unseenSince('T2', 'mia', 5, 7.5, SCAN_TS - 2000)),
    );
    expect(found).toBeUndefined();
    // last seen just before the scan that far off, she could not
    const seen = atScanner(steps(standing('T1', null, 5, 2.3), standing('T2', 'mia', 5, 7.5)));
    expect(seen).toEqual([{ trackId: 'T1', doubtTs: undefined }]);
  });

  it('does not count someone out of sight who is known to be the person of another scan', () => {
    // ada scanned before eva and is walking out through the gate, last seen 0.4 s before eva's scan 1.3 m
    // from it (busy hour of the suite): she could have been at the scanner, but she made her own scan
    const walkingOut = steps(standing('T1', null, 5, 2.3), unseenSince('T2', 'ada', 5, -0.8, SCAN_TS - 400));
    expect(atScanner(walkingOut)).toBeUndefined();
    const found = standingAtScanner(walkingOut, gate, scan('eva'), settings, new Set(['T2']));
    expect(found).toEqual([{ trackId: 'T1', doubtTs: undefined }]);
  });

  it('does not count someone who walked out before the scan, nor a phantom beside the shopper', () => {
    const leftBefore: Person = (ts) =>
      ts < SCAN_TS - 1000
        ? trackMessage('T3', 'leo', 5, 1.2, { lastSeenTs: ts })
        : trackMessage('T3', 'leo', 5, 1.2, {
            lastSeenTs: SCAN_TS - 1500,
            state: 'exited',
            exitGate: 'G-OUT',
          });
    const phantom = standing('T4', null, 5.4, 2.3, { phantom: true });
    const found = atScanner(steps(standing('T1', 'eva', 5, 2.3), leftBefore, phantom));
    expect(found).toEqual([{ trackId: 'T1', doubtTs: undefined }]);
  });

  it('says nothing when the one there is someone else whose identity was never in doubt', () => {
    // mia stood at the scanner for sure; eva, who scanned, must have been beside her unseen
    expect(atScanner(steps(standing('T2', 'mia', 5, 2.3)))).toBeUndefined();
    // a track in doubt since passing someone may carry eva now: it is hers since that doubt
    const swapped = standing('T2', 'mia', 5, 2.3, { identityDoubts: [{ ts: 15_000, with: 'T9' }] });
    expect(atScanner(steps(swapped))).toEqual([{ trackId: 'T2', doubtTs: 15_000 }]);
    // a track whose binding at the entry is in doubt (two let in together, lost at the gate) is who the exit
    // scan says: the scan settles which of the two it is
    const bindingInDoubt = standing('T2', 'mia', 5, 2.3, { identityCeiling: 0.5, identityConfidence: 0.5 });
    expect(atScanner(steps(bindingInDoubt))).toEqual([{ trackId: 'T2', doubtTs: undefined }]);
  });

  it('needs the person at the scanner seen at the scan, not just before or after', () => {
    // T1 was at the scanner until a second before the scan, then unseen: it may be anyone's now
    const found = atScanner(steps(unseenSince('T1', null, 5, 2.3, SCAN_TS - 1000)));
    expect(found).toBeUndefined();
  });

  it('takes no fresh encounter at the scanner for a swap with someone who was not standing there', () => {
    // lost-at-gate of the suite: leo walks past eva at the scanner (1.5 m/s along the queue) 0.1 s before her
    // scan; the tracker doubts the two from then on. Had they swapped, the one at the scanner now would be leo,
    // who was never there before the encounter — and nobody scans without standing there a moment first.
    const since = SCAN_TS - 100;
    const doubt = (ts: number) => (ts >= since ? { identityDoubts: [{ ts, with: 'T2', since }] } : {});
    const eva: Person = (ts) => trackMessage('T1', null, 5, 2.3, { lastSeenTs: ts, ...doubt(ts) });
    const leo =
      (startX: number, seen: (ts: number) => number = (ts) => ts): Person =>
      (ts) =>
        trackMessage('T2', 'leo', startX - (1.5 * (ts - SCAN_TS + 1000)) / 1000, 2.3, {
          lastSeenTs: seen(ts),
          ...doubt(ts),
        });
    // leo 0.5 m from her at the scan, walking up from behind: he was never where she stood
    expect(atScanner(steps(eva, leo(7)))).toEqual([{ trackId: 'T1', doubtTs: undefined }]);
    // an encounter that began before anyone could have stood at the scanner long enough still counts
    const older = SCAN_TS - settings.scanStandMs - 100;
    const evaOlder: Person = (ts) =>
      trackMessage('T1', null, 5, 2.3, {
        lastSeenTs: ts,
        ...(ts >= older ? { identityDoubts: [{ ts: Math.min(ts, SCAN_TS), with: 'T2', since: older }] } : {}),
      });
    expect(atScanner(steps(evaOlder, leo(7)))).toEqual([{ trackId: 'T1', doubtTs: SCAN_TS }]);
    // leo where she stood just before the encounter (he may have been the one standing there), or not seen
    // then (coasting: he may have been anywhere near)
    const lagged = SCAN_TS + settings.seenAtScanMs;
    expect(atScanner(steps(eva, leo(6.4)))?.[0]?.doubtTs).toBe(lagged);
    const coasting = (ts: number) => (ts < since ? Math.min(ts, SCAN_TS - 400) : ts);
    expect(atScanner(steps(eva, leo(7, coasting)))?.[0]?.doubtTs).toBe(lagged);
  });
});
