import { describe, expect, it } from 'vitest';
import { type FloorDetection, fuseDetections } from '../../../../edge/tracking/camera-fusion.ts';
import { groupSightings, type HandSighting, voteHands } from '../../../../edge/tracking/hand-votes.ts';

// Ann and Bob shoulder to shoulder at a shelf, 0.5 m apart; a hand in the lane in front of Bob.
const ann = { x: 2.2, y: 3 };
const bob = { x: 2.7, y: 3 };
const hand = { x: 2.7, y: 2.4 };
const sighting = (camera: string, owner: { x: number; y: number } | undefined, at = hand): HandSighting => ({
  camera,
  ...at,
  ...(owner === undefined ? {} : { owner, ownerConfidence: 1 }),
  givenTo: [],
});

describe('voteHands: whose hand, from every camera that saw it', () => {
  it('one camera: the person its owner point lands on, as sure as the margin to the next', () => {
    const [a, b] = voteHands([ann, bob], [sighting('C1', { x: 2.23, y: 3 })]);
    expect(a).toEqual([{ ...hand, ownerConfidence: 1 }]);
    expect(b).toEqual([]);
  });

  it('a view the arm-owner model is unsure of weighs only as much as it is sure (ownerSure)', () => {
    // C1 sure it is Ann's, C2 places the owner on Bob but is barely sure: Ann, less than sure
    const [a, b] = voteHands(
      [ann, bob],
      [
        sighting('C1', { x: 2.2, y: 3 }),
        { ...sighting('C2', { x: 2.7, y: 3 }, { x: 2.72, y: 2.4 }), ownerSure: 0.2 },
      ],
    );
    expect(a).toHaveLength(1);
    expect(a?.[0]?.ownerConfidence).toBeCloseTo((1 - 0.2) / 2, 6);
    expect(b).toEqual([]);
  });

  it('two cameras agreeing: one hand, theirs, sure; its place is the views’ mean', () => {
    const [a, b] = voteHands(
      [ann, bob],
      [sighting('C1', { x: 2.2, y: 3 }), sighting('C2', { x: 2.25, y: 3.05 }, { x: 2.8, y: 2.4 })],
    );
    expect(a).toHaveLength(1);
    expect(a?.[0]?.ownerConfidence).toBe(1);
    expect(a?.[0]?.x).toBeCloseTo(2.75, 6);
    expect(b).toEqual([]);
  });

  it('a camera whose owner point lands on nobody abstains: the camera that saw the owner decides', () => {
    const [a, b] = voteHands(
      [ann, bob],
      [sighting('C1', { x: 2.2, y: 3 }), sighting('C2', { x: 1.5, y: 3.6 })],
    );
    expect(a).toEqual([{ ...hand, ownerConfidence: 1 }]);
    expect(b).toEqual([]);
  });

  it('two of three cameras for Ann: Ann, unsure; one against one: both, contested', () => {
    const two = voteHands(
      [ann, bob],
      [sighting('C1', ann), sighting('C2', bob), sighting('C3', { x: 2.21, y: 3.01 })],
    );
    expect(two[0]?.[0]?.ownerConfidence).toBeCloseTo(1 / 3, 6);
    expect(two[1]).toEqual([]);
    const tie = voteHands([ann, bob], [sighting('C1', ann), sighting('C2', bob)]);
    expect(tie.map((h) => h.length)).toEqual([1, 1]);
    expect(tie[0]?.[0]?.ownerConfidence).toBe(0);
  });

  it('owner points on nobody anywhere: the nearest person, with no confidence', () => {
    const close = { x: 2.75, y: 2.6 };
    const [a, b] = voteHands([ann, bob], [sighting('C1', { x: 5, y: 5 }, close)]);
    expect(a).toEqual([]);
    expect(b).toEqual([{ ...close, ownerConfidence: 0 }]);
  });

  it('without owner points (an older model): to whoever the cameras gave it', () => {
    const [a, b] = voteHands([ann, bob], [{ camera: 'C1', ...hand, givenTo: [0, 1] }]);
    expect(a).toEqual([hand]);
    expect(b).toEqual([hand]);
  });

  it('two hands of one picture are two hands however close; two cameras 0.3 m apart see two hands', () => {
    const near = { x: 2.75, y: 2.4 };
    expect(groupSightings([sighting('C1', ann), sighting('C1', bob, near)], 0.2)).toHaveLength(2);
    expect(groupSightings([sighting('C1', ann), sighting('C2', bob, { x: 3, y: 2.4 })], 0.2)).toHaveLength(2);
    expect(groupSightings([sighting('C1', ann), sighting('C2', bob, near)], 0.2)).toHaveLength(1);
  });
});

describe('fuseDetections: hands voted across the views', () => {
  const det = (
    camera: string,
    at: { x: number; y: number },
    hands: FloorDetection['hands'],
  ): FloorDetection => ({
    camera,
    ...at,
    score: 0.9,
    embedding: undefined,
    hands,
  });

  it('a camera that did not see Ann gave her hand to Bob by the nearest-person rule; the camera that saw her wins', () => {
    // C1 sees both and ties the hand to Ann; C2 sees only Bob, so its owner point (on Ann) found nobody there
    const fused = fuseDetections([
      det('C1', ann, [{ ...hand, owner: { x: 2.22, y: 3 }, ownerConfidence: 1 }]),
      det('C1', bob, []),
      det('C2', { x: 2.71, y: 3.01 }, [{ x: 2.68, y: 2.42, owner: { x: 2.2, y: 2.98 }, ownerConfidence: 0 }]),
    ]);
    const annFused = fused.find((f) => Math.abs(f.x - ann.x) < 0.1);
    const bobFused = fused.find((f) => Math.abs(f.x - bob.x) < 0.1);
    expect(annFused?.hands).toHaveLength(1);
    expect(annFused?.hands[0]?.ownerConfidence).toBe(1);
    expect(annFused?.hands[0]).not.toHaveProperty('owner');
    expect(bobFused?.hands).toEqual([]);
  });

  it('a hand one camera gave to both of its people is one hand, not two', () => {
    const shared = { ...hand, owner: { x: 2.45, y: 3 }, ownerConfidence: 0 };
    const fused = fuseDetections([det('C1', ann, [shared]), det('C1', bob, [{ ...shared }])]);
    expect(fused.map((f) => f.hands.length)).toEqual([1, 1]);
  });
});
