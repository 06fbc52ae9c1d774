import { describe, expect, it } from 'vitest';
import { disownedHands, handKey } from '../../../../edge/fusion/hand-chains.ts';
import type { TrackSnapshot } from '../../../../edge/fusion/track-history.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { trackMessage } from '../../../support/track-message.ts';

type Hand = TrackMessage['hands'][number];
/** Steps 100 ms apart from 1000 ms: ines at (4.5, 3.1) and kira at (5, 3.1), with the hands each step gives. */
const steps = (perStep: Array<{ ines?: Hand[]; kira?: Hand[] }>): TrackSnapshot[] =>
  perStep.map((hands, i) => {
    const ts = 1000 + 100 * i;
    return {
      ts,
      cameras: ['CAM1'],
      tracks: [
        trackMessage('T1', 'ines', 4.5, 3.1, { lastSeenTs: ts, hands: hands.ines ?? [] }),
        trackMessage('T2', 'kira', 5, 3.1, { lastSeenTs: ts, hands: hands.kira ?? [] }),
      ],
    };
  });
const usable = () => true;
const at = (x: number, ownerConfidence?: number): Hand => ({
  x,
  y: 3.6,
  ...(ownerConfidence === undefined ? {} : { ownerConfidence }),
});

describe('disownedHands', () => {
  it('gives a hand one step put on a neighbour, unsure, back to whose it was before and after', () => {
    // ines's arm reaches across in front of kira: one frame's owner point landed on nobody, and the nearest
    // person (kira) got the hand with confidence 0
    const snapshots = steps([
      { ines: [at(4.9, 0.9)] },
      { ines: [at(4.95, 0.85)] },
      { kira: [at(4.98, 0)] },
      { ines: [at(5, 0.9)] },
    ]);
    expect(disownedHands(snapshots, usable)).toEqual(new Set([handKey(2, 'T2', 0)]));
  });

  it('skips a copy of one hand fusion gave to two, and links across a step the hand was missed in', () => {
    const snapshots = steps([
      { ines: [at(4.95, 0.9)] },
      {},
      { ines: [at(5, 0.2)], kira: [at(5, 0)] },
      { ines: [at(5, 0.8)] },
    ]);
    expect(disownedHands(snapshots, usable)).toEqual(new Set([handKey(2, 'T2', 0)]));
  });

  it('leaves two hands alone when another hand was near enough to be mistaken for them', () => {
    // two people's hands in one lane at once, 0.12 m apart: which is which from step to step is unsure
    const snapshots = steps([
      { ines: [at(4.94, 0.9)], kira: [at(5.06, 0.9)] },
      { ines: [at(4.95, 0.9)], kira: [at(5.06, 0)] },
      { ines: [at(4.94, 0.9)], kira: [at(5.07, 0.9)] },
    ]);
    expect(disownedHands(snapshots, usable).size).toBe(0);
  });

  it('never disowns a holder that held the hand surely once, nor on an owner with too few sure looks', () => {
    const once = steps([{ ines: [at(4.9, 0.9)] }, { ines: [at(4.95, 0.9)] }, { kira: [at(5, 0.6)] }]);
    expect(disownedHands(once, usable).size).toBe(0);
    const unsure = steps([{ ines: [at(4.9, 0.6)] }, { kira: [at(4.95, 0)] }, { ines: [at(5, 0.6)] }]);
    expect(disownedHands(unsure, usable).size).toBe(0);
  });

  it('says nothing of hands without owner confidence (an older edge), nor of tracks the caller cannot use', () => {
    const old = steps([{ ines: [at(4.9)] }, { kira: [at(4.95)] }, { ines: [at(5)] }]);
    expect(disownedHands(old, usable).size).toBe(0);
    const snapshots = steps([
      { ines: [at(4.9, 0.9)] },
      { ines: [at(4.95, 0.85)] },
      { kira: [at(4.98, 0)] },
      { ines: [at(5, 0.9)] },
    ]);
    expect(disownedHands(snapshots, (t) => t.id !== 'T1').size).toBe(0);
  });
});
