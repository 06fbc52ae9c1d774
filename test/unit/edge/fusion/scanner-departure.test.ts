// A queue at the exit scanner (#13): who scanned is who walks off through the gate the scan opened, while the
// next in line stays standing — told about a second after the scan instead of at the next one's.
import { describe, expect, it } from 'vitest';
import type { ExitScan } from '../../../../edge/fusion/exit-sequence.ts';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import { walkedOffAfterScan } from '../../../../edge/fusion/scanner-departure.ts';
import type { TrackSnapshot } from '../../../../edge/fusion/track-history.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { trackMessage } from '../../../support/track-message.ts';

const gate = { x: 5, y: 0.5 };
const settings = DEFAULT_FUSION.exit;
const SCAN_TS = 20_000;
const scan = (party = 1): ExitScan => ({ sessionId: 'eva', gate: 'G-OUT', ts: SCAN_TS, party });
const queue = [
  { trackId: 'T1', doubtTs: undefined },
  { trackId: 'T2', doubtTs: 19_000 },
];

type Person = (ts: number) => TrackMessage | undefined;
const standing =
  (id: string, x: number, y: number): Person =>
  (ts) =>
    trackMessage(id, null, x, y, { lastSeenTs: ts });
/** Stands at (x, y) until `fromTs`, then walks straight to the gate at 1.3 m/s (reported gone once there). */
const leaving =
  (id: string, x: number, y: number, fromTs: number): Person =>
  (ts) => {
    const walkedM = Math.max(0, (ts - fromTs) / 1000) * 1.3;
    const d = Math.hypot(x - gate.x, y - gate.y);
    if (walkedM >= d) return trackMessage(id, null, gate.x, gate.y, { lastSeenTs: ts, state: 'exited' });
    const f = walkedM / d;
    return trackMessage(id, null, x + (gate.x - x) * f, y + (gate.y - y) * f, { lastSeenTs: ts });
  };
/** Ten steps a second from the scan to `untilMs` after it. */
function steps(untilMs: number, ...people: Person[]): TrackSnapshot[] {
  const out: TrackSnapshot[] = [];
  for (let ts = SCAN_TS; ts <= SCAN_TS + untilMs; ts += 100)
    out.push({ ts, tracks: people.flatMap((p) => p(ts) ?? []), cameras: ['CAM1'] });
  return out;
}
const told = (s: TrackSnapshot[], sc = scan(), later = false) =>
  walkedOffAfterScan(queue, s, gate, sc, later, settings)?.map((p) => p.trackId);

describe('walkedOffAfterScan', () => {
  it('names the one who walked off towards the gate while the next in line stayed', () => {
    const people = [leaving('T1', 5, 2.3, SCAN_TS + 300), standing('T2', 5.6, 2.2)];
    // 0.3 s on they have not moved yet: open
    expect(told(steps(300, ...people))).toBeUndefined();
    // 0.9 s on, T1 is 0.8 m nearer the gate, T2 where it stood
    expect(told(steps(900, ...people))).toEqual(['T1']);
    // gone through the gate counts as walked off
    expect(told(steps(3000, ...people))).toEqual(['T1']);
  });

  it('says nothing once someone else has scanned at the gate since', () => {
    const people = [leaving('T1', 5, 2.3, SCAN_TS + 300), standing('T2', 5.6, 2.2)];
    expect(told(steps(900, ...people), scan(), true)).toBeUndefined();
  });

  it('says nothing when both walked off, or one moved away from the gate, or one is out of sight', () => {
    expect(
      told(steps(900, leaving('T1', 5, 2.3, SCAN_TS + 300), leaving('T2', 5.6, 2.2, SCAN_TS + 200))),
    ).toBeUndefined();
    const backInto: Person = (ts) =>
      trackMessage('T2', null, 5.6, 2.2 + Math.max(0, ts - SCAN_TS - 200) / 1000, { lastSeenTs: ts });
    expect(told(steps(900, leaving('T1', 5, 2.3, SCAN_TS + 300), backInto))).toBeUndefined();
    const lost: Person = (ts) =>
      trackMessage('T2', null, 5.6, 2.2, { lastSeenTs: Math.min(ts, SCAN_TS + 400) });
    expect(told(steps(900, leaving('T1', 5, 2.3, SCAN_TS + 300), lost))).toBeUndefined();
  });

  it('waits for as many as the scan lets out', () => {
    const people = [leaving('T1', 5, 2.3, SCAN_TS + 300), standing('T2', 5.6, 2.2)];
    // a party of two: one walking off is not yet the party
    expect(told(steps(900, ...people), scan(2))).toBeUndefined();
  });
});
