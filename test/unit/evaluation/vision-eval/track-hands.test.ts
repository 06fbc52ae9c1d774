import { describe, expect, it } from 'vitest';
import { emptyTrackHands, scoreTrackHands } from '../../../../evaluation/vision-eval/track-hands.ts';

const ann = { id: 'ann', x: 2.2, y: 3, hand: { x: 2.7, y: 2.4 } };
const bob = { id: 'bob', x: 2.7, y: 3, hand: undefined };

describe('scoreTrackHands: whose hand on the fused tracks', () => {
  it("Ann's hand on Ann's track is right; on Bob's track surely it is surely wrong; on both, contested", () => {
    const counts = emptyTrackHands();
    const hand = { x: 2.72, y: 2.41, ownerConfidence: 1 };
    scoreTrackHands(
      [ann, bob],
      [
        { id: 'T1', x: 2.21, y: 3, hands: [hand] },
        { id: 'T2', x: 2.7, y: 3, hands: [] },
      ],
      counts,
    );
    scoreTrackHands(
      [ann, bob],
      [
        { id: 'T1', x: 2.21, y: 3, hands: [] },
        { id: 'T2', x: 2.7, y: 3, hands: [hand] },
      ],
      counts,
    );
    const contested = { ...hand, ownerConfidence: 0 };
    scoreTrackHands(
      [ann, bob],
      [
        { id: 'T1', x: 2.21, y: 3, hands: [contested] },
        { id: 'T2', x: 2.7, y: 3, hands: [{ ...contested }] },
      ],
      counts,
    );
    expect(counts).toEqual({ found: 3, right: 2, contested: 1, sure: 2, sureWrong: 1 });
  });

  it('a hand far from the true one is not found; a person with no track is never right', () => {
    const counts = emptyTrackHands();
    scoreTrackHands(
      [ann],
      [{ id: 'T2', x: 3.5, y: 3, hands: [{ x: 3.2, y: 2.4, ownerConfidence: 1 }] }],
      counts,
    );
    scoreTrackHands(
      [ann],
      [{ id: 'T2', x: 3.5, y: 3, hands: [{ x: 2.7, y: 2.4, ownerConfidence: 1 }] }],
      counts,
    );
    expect(counts).toEqual({ found: 1, right: 0, contested: 0, sure: 1, sureWrong: 1 });
  });
});
