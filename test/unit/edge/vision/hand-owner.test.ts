// Whose hand: with the detector's owner point the hand goes to the person it lands on, however near the hand
// is to a neighbour; without one (older models) the nearest person takes it, both of two about as near.
import { describe, expect, it } from 'vitest';
import { assignHands, HAND_OWNER_DEFAULTS } from '../../../../edge/vision/hand-owner.ts';

// two shoppers shoulder to shoulder at a shelf (0.5 m apart), facing it (the shelf is at smaller y)
const ann = { x: 4.0, y: 4.3 };
const bob = { x: 4.5, y: 4.3 };
/** Ann reaching into Bob's lane: the hand is in front of Bob, 0.42 m from him, 0.65 m from her. */
const annHandInBobsLane = { x: 4.5, y: 3.88 };

describe('assignHands with the owner output', () => {
  it('gives a hand reaching in front of a neighbour to the owner the model names, sure', () => {
    const [owners] = assignHands([ann, bob], [{ ...annHandInBobsLane, owner: { x: 4.03, y: 4.28 } }]);
    expect(owners?.people).toEqual([0]);
    // owner point 0.036 m from Ann, 0.47 m from Bob: margin above sureMarginM (0.25 m)
    expect(owners?.confidence).toBe(1);
  });

  it("is no surer than the model is of its owner point (the arm-owner model's ownerSure)", () => {
    const hand = { ...annHandInBobsLane, owner: { x: 4.03, y: 4.28 } };
    const [unsure] = assignHands([ann, bob], [{ ...hand, ownerSure: 0.4 }]);
    expect(unsure).toEqual({ people: [0], confidence: 0.4 });
    const [sure] = assignHands([ann, bob], [{ ...hand, ownerSure: 1 }]);
    expect(sure?.confidence).toBe(1);
  });

  it('leaves a hand moved out along its arm open between the people its two looks named', () => {
    // seen first from in front of Bob (the model said Bob's), then at the arm's end (the model says Ann's)
    const hand = { ...annHandInBobsLane, owner: { x: 4.03, y: 4.28 }, ownerSure: 1 };
    const [split] = assignHands([ann, bob], [{ ...hand, ownerBeforeMove: { x: 4.49, y: 4.31 } }]);
    expect(split).toEqual({ people: [0, 1], confidence: 0 });
    const [agreed] = assignHands([ann, bob], [{ ...hand, ownerBeforeMove: { x: 3.98, y: 4.32 } }]);
    expect(agreed).toEqual({ people: [0], confidence: 1 });
    // a first look that landed on nobody does not contradict the second
    const [alone] = assignHands([ann, bob], [{ ...hand, ownerBeforeMove: { x: 4.25, y: 5.2 } }]);
    expect(alone).toEqual({ people: [0], confidence: 1 });
  });

  it('gives crossed arms each to its own body', () => {
    const annHand = { x: 4.45, y: 3.9, owner: { x: 3.98, y: 4.31 } };
    const bobHand = { x: 4.05, y: 3.9, owner: { x: 4.52, y: 4.3 } };
    const owners = assignHands([ann, bob], [annHand, bobHand]);
    expect(owners.map((o) => o.people)).toEqual([[0], [1]]);
  });

  it('scales confidence with the margin between the nearest and the next person to the owner point', () => {
    // two people merged into one blob, 0.3 m apart; the owner point 0.1 m from the first, 0.2 m from the second
    const [owners] = assignHands(
      [
        { x: 0, y: 0 },
        { x: 0.3, y: 0 },
      ],
      [{ x: 0.1, y: -0.45, owner: { x: 0.1, y: 0 } }],
    );
    expect(owners?.people).toEqual([0]);
    expect(owners?.confidence).toBeCloseTo(0.1 / HAND_OWNER_DEFAULTS.sureMarginM, 6);
  });

  it('gives a hand whose owner point lies halfway between two people to both, with low confidence', () => {
    // 0.23 m from Bob, 0.27 m from Ann
    const [owners] = assignHands([ann, bob], [{ x: 4.25, y: 3.9, owner: { x: 4.27, y: 4.3 } }]);
    expect(owners?.people).toEqual([1, 0]);
    expect(owners?.confidence).toBeCloseTo(0.04 / 0.25, 6);
  });

  it('falls back to the nearest person, confidence 0, when the owner point lands on nobody detected', () => {
    // the owner is out of the picture (or missed): the point is 0.6 m from anyone
    const [owners] = assignHands([ann, bob], [{ ...annHandInBobsLane, owner: { x: 5.1, y: 4.1 } }]);
    expect(owners?.people).toEqual([1]);
    expect(owners?.confidence).toBe(0);
  });

  it('gives a hand nobody could reach to nobody', () => {
    const [owners] = assignHands([ann], [{ x: 8, y: 8, owner: { x: 8, y: 8.4 } }]);
    expect(owners?.people).toEqual([]);
  });
});

describe('assignHands without the owner output (older models)', () => {
  it('gives a hand in front of a neighbour to that neighbour: the nearest person', () => {
    const [owners] = assignHands([ann, bob], [annHandInBobsLane]);
    expect(owners?.people).toEqual([1]);
    expect(owners?.confidence).toBeUndefined();
  });

  it('gives a hand about as near two people (within 0.2 m) to both', () => {
    const [owners] = assignHands([ann, bob], [{ x: 4.3, y: 3.9 }]);
    expect(owners?.people).toEqual([1, 0]);
  });
});
