import { describe, expect, it } from 'vitest';
import { attributeEvent } from '../../../../edge/fusion/attributor.ts';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import { handsFollowed } from '../../../../edge/fusion/hand-paths.ts';
import { gatherEvidence } from '../../../../edge/fusion/reach-evidence.ts';
import type { TrackSnapshot } from '../../../../edge/fusion/track-history.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { trackMessage } from '../../../support/track-message.ts';

const settings = DEFAULT_FUSION.reach.handPath;
const lane = { x: 5, y: 3.6 };
type Hands = TrackMessage['hands'];

/**
 * Two shoppers side by side at a shelf, ten steps a second from 1000 ms: gus (T2) stands in front of the lane
 * beside and reaches into `lane`; fay (T1) stands in front of `lane`. `hands(step)` says who holds which hand.
 */
function scene(hands: (step: number) => { fay?: Hands; gus?: Hands }, steps = 8): TrackSnapshot[] {
  return Array.from({ length: steps }, (_, i) => {
    const ts = 1000 + i * 100;
    const held = hands(i);
    return {
      ts,
      cameras: ['CAM1'],
      tracks: [
        trackMessage('T1', 'fay', 5, 3.1, { lastSeenTs: ts, hands: held.fay ?? [], identityConfidence: 1 }),
        trackMessage('T2', 'gus', 5.5, 3.1, { lastSeenTs: ts, hands: held.gus ?? [], identityConfidence: 1 }),
      ],
    };
  });
}
/** A hand resting in the lane, moving a centimetre a step. */
const resting = (step: number, ownerConfidence?: number) => [
  { x: 5.02 + step * 0.01, y: 3.6, ...(ownerConfidence === undefined ? {} : { ownerConfidence }) },
];
const handsOf = (snapshots: readonly TrackSnapshot[], track: string) =>
  snapshots.map((s) => s.tracks.find((t) => t.id === track)?.hands ?? []);
/** Who holds which hand where at every step, however sure: what a hand given back changes. */
const holds = (snapshots: readonly TrackSnapshot[]) =>
  snapshots.map((s) => s.tracks.map((t) => [t.id, t.hands.map((h) => [h.x, h.y])]));

describe('handsFollowed', () => {
  it('gives a hand one step put on a neighbour back to the one who held it before and after', () => {
    // 05-two-shoppers-crossing-hands: six steps gus's and sure, one step fay's and "sure"
    const steps = scene((i) =>
      i === 4 ? { fay: resting(i, 1) } : { gus: resting(i, i === 5 ? 0.82 : 0.97) },
    );
    const followed = handsFollowed(steps, [lane], settings);
    expect(handsOf(followed, 'T1').flat()).toEqual([]);
    expect(handsOf(followed, 'T2')[4]).toEqual([{ x: 5.06, y: 3.6, ownerConfidence: 0.82 }]);
    // every other step as it was
    expect(handsOf(followed, 'T2').filter((_, i) => i !== 4)).toEqual(
      handsOf(steps, 'T2').filter((_, i) => i !== 4),
    );

    // so the pick is gus's by the cameras, where fay's one step made it a close call
    const decide = (snapshots: TrackSnapshot[]) =>
      attributeEvent(
        ['fay', 'gus'],
        gatherEvidence({
          sessions: ['fay', 'gus'],
          targets: [lane],
          laneCameras: new Set(['CAM1']),
          snapshots,
          change: { fromTs: 1250, toTs: 1650 },
        }),
      );
    const decided = decide(steps);
    expect(decided).toMatchObject({ sessionId: 'gus', attribution: 'vision' });
    const unfollowed = { ...settings, briefMs: -1 };
    const stepByStep = attributeEvent(
      ['fay', 'gus'],
      gatherEvidence(
        {
          sessions: ['fay', 'gus'],
          targets: [lane],
          laneCameras: new Set(['CAM1']),
          snapshots: steps,
          change: { fromTs: 1250, toTs: 1650 },
        },
        { ...DEFAULT_FUSION.reach, handPath: unfollowed },
      ),
    );
    expect(stepByStep).toMatchObject({ sessionId: null, attribution: 'unattributed' });
  });

  it('gives back a hand left to both while another arm passed over it', () => {
    // crossing-arms: ada's hand sure, then for three steps contested with eva's passing arm, then ada's again
    const steps = scene((i) =>
      i >= 3 && i <= 5
        ? { fay: resting(i, 0.01), gus: resting(i, 0.01) }
        : { gus: resting(i, i === 1 ? 0.95 : 0.3) },
    );
    const followed = handsOf(handsFollowed(steps, [lane], settings), 'T1');
    expect(followed.flat()).toEqual([]);
  });

  it('gives back a longer hold between two of the owner holds when the neighbour was given it only unsure', () => {
    // crossing-arms-02: eva's arm across the picture of ada's resting hand gave it to eva for half a second,
    // the owner point on nobody (confidence 0) or barely on her; ada held it before and after, once surely
    const steps = scene(
      (i) =>
        i >= 2 && i <= 6
          ? { fay: resting(i, i === 4 ? 0.15 : 0) }
          : { gus: resting(i, i === 1 ? 0.94 : 0.4) },
      9,
    );
    const followed = handsFollowed(steps, [lane], settings);
    expect(handsOf(followed, 'T1').flat()).toEqual([]);
    expect(handsOf(followed, 'T2').every((h) => h.length === 1)).toBe(true);
    // one step of it surely fay's: that may be her hand, nothing moves
    const once = scene(
      (i) =>
        i >= 2 && i <= 6 ? { fay: resting(i, i === 4 ? 0.9 : 0) } : { gus: resting(i, i === 1 ? 0.94 : 0.4) },
      9,
    );
    expect(holds(handsFollowed(once, [lane], settings))).toEqual(holds(once));
  });

  it('keeps an unsure hold at the end of the path where it was, and gives back the flanked one before it', () => {
    const steps = scene(
      (i) => (i === 2 || i >= 5 ? { fay: resting(i, 0.05) } : { gus: resting(i, i === 1 ? 0.95 : 0.5) }),
      8,
    );
    const followed = handsFollowed(steps, [lane], settings);
    expect(handsOf(followed, 'T1').map((h) => h.length)).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    expect(handsOf(followed, 'T2').map((h) => h.length)).toEqual([1, 1, 1, 1, 1, 0, 0, 0]);
  });

  it('leaves a hand that went to someone else for good: two hands, or the other one really reached in', () => {
    // 07-same-product-same-moment: jo's hand in the lane, then kim's at the same place, staying
    const steps = scene((i) => (i < 5 ? { gus: resting(i, 1) } : { fay: resting(i, i === 7 ? 0.93 : 0.02) }));
    expect(holds(handsFollowed(steps, [lane], settings))).toEqual(holds(steps));
  });

  it('leaves a hold longer than a glance, and one at the start or end of the path', () => {
    const long = scene((i) => (i >= 2 && i <= 5 ? { fay: resting(i, 1) } : { gus: resting(i, 1) }));
    expect(handsFollowed(long, [lane], settings)).toEqual(long);
    const atStart = scene((i) => (i === 0 ? { fay: resting(i, 1) } : { gus: resting(i, 1) }));
    expect(handsFollowed(atStart, [lane], settings)).toEqual(atStart);
  });

  it('needs the owner surely theirs at some step, and owner confidences at all', () => {
    const unsure = scene((i) => (i === 4 ? { fay: resting(i, 1) } : { gus: resting(i, 0.6) }));
    expect(handsFollowed(unsure, [lane], settings)).toEqual(unsure);
    const noOwners = scene((i) => (i === 4 ? { fay: resting(i) } : { gus: resting(i) }));
    expect(handsFollowed(noOwners, [lane], settings)).toEqual(noOwners);
  });

  it('concludes nothing where two hands could be taken for each other', () => {
    // at step 4 fay's hand is 8 cm from gus's: either could be the one that went on
    const steps = scene((i) =>
      i === 4
        ? { fay: resting(i, 1), gus: [{ x: 5.14, y: 3.6, ownerConfidence: 1 }] }
        : { gus: resting(i, 1) },
    );
    expect(handsFollowed(steps, [lane], settings)).toEqual(steps);
  });

  it('does not follow hands far from the lane, nor hands that jump', () => {
    const far = scene((i) =>
      i === 4
        ? { fay: [{ x: 5.9, y: 3.6, ownerConfidence: 1 }] }
        : { gus: [{ x: 5.9, y: 3.6, ownerConfidence: 1 }] },
    );
    expect(handsFollowed(far, [lane], settings)).toEqual(far);
    // fay's hand 0.2 m from where gus's rests is another hand, not his found elsewhere
    const jump = scene((i) =>
      i === 4 ? { fay: [{ x: 5.26, y: 3.6, ownerConfidence: 1 }] } : { gus: resting(i, 1) },
    );
    expect(handsFollowed(jump, [lane], settings)).toEqual(jump);
  });

  it("makes one sure look among a holder's mostly doubting ones, while the hand rests, no surer than their second", () => {
    // crossing-arms-02 (generated seed 50505): ada's arm across gia's front into the lane, her hand given to gia
    // at every step, surely at one of eight; gia's hand was in the lane "surely hers" and the pick billed to her
    const looks = [0.27, 1, 0.29, 0.51, 0.48, 0.73, 0.49, 0.22];
    const steps = scene((i) => ({ fay: resting(i, looks[i]) }));
    const followed = handsFollowed(steps, [lane], settings);
    expect(handsOf(followed, 'T1').map((h) => h[0]?.ownerConfidence)).toEqual([
      0.27, 0.73, 0.29, 0.51, 0.48, 0.73, 0.49, 0.22,
    ]);
    expect(holds(followed)).toEqual(holds(steps));
    const decide = (snapshots: TrackSnapshot[]) =>
      gatherEvidence({
        sessions: ['fay', 'gus'],
        targets: [lane],
        laneCameras: new Set(['CAM1']),
        snapshots,
        change: { fromTs: 1050, toTs: 1450 },
      }).candidates.find((c) => c.sessionId === 'fay')?.atChange?.handOwner;
    expect(decide(steps)).toBe(0.73);
    // two sure looks are the owner's, and a hold seen once keeps its look
    const twice = scene((i) => ({ fay: resting(i, i === 1 || i === 5 ? 0.95 : 0.3) }));
    expect(handsOf(handsFollowed(twice, [lane], settings), 'T1')[1]).toEqual(handsOf(twice, 'T1')[1]);
    const glimpse = scene((i) => (i === 3 ? { fay: resting(i, 0.95) } : {}));
    expect(handsFollowed(glimpse, [lane], settings)).toEqual(glimpse);
    // family-03 (seed 1): ines's hand given to her at 0.68–0.76 at every step, 0.81 at one: hers, as it was
    const steady = [0.68, 0.81, 0.76, 0.74, 0.76, 0.73, 0.7, 0.75];
    const hers = scene((i) => ({ fay: resting(i, steady[i]) }));
    expect(handsFollowed(hers, [lane], settings)).toEqual(hers);
    // 07-same-product-same-moment (seed 2): jo's hand in the lane, then kim's at the same place, doubted while
    // jo's arm was over it and sure as it left: two hands, each keeps its looks
    const leaving = [0.07, 0.1, 0.45, 0.94];
    const two = scene((i) => (i < 4 ? { gus: resting(i, 1) } : { fay: resting(i, leaving[i - 4]) }));
    expect(handsFollowed(two, [lane], settings)).toEqual(two);
    // the same looks on a path only she held: as sure as her second look
    const one = scene((i) => ({ fay: resting(i, leaving[i]) }), 4);
    expect(handsOf(handsFollowed(one, [lane], settings), 'T1')[3]?.[0]?.ownerConfidence).toBe(0.45);
  });

  it('gives a hand back only to a person: not to a phantom peak', () => {
    const steps = scene((i) => (i === 4 ? { fay: resting(i, 1) } : { gus: resting(i, 1) })).map((s) => ({
      ...s,
      tracks: s.tracks.map((t) => (t.id === 'T2' ? { ...t, phantom: true as const } : t)),
    }));
    expect(handsFollowed(steps, [lane], settings)).toEqual(steps);
  });
});
