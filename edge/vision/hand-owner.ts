// Whose hand is it: gives each detected hand to the person detections it belongs to, on the floor of one
// camera's frame. With the detector's owner output (where the hand's body centre is), the hand goes to the
// person nearest that owner point, with a confidence from how much nearer than the next person it is; without
// it, to the nearest person (and to both of two about as near). Pure.

export interface FloorXY {
  x: number;
  y: number;
}

export interface SeenHand extends FloorXY {
  /** Where the detector says the hand's owner stands (floor metres); absent when the model has no owner output. */
  owner?: FloorXY;
  /** 0–1: how sure the model is of the owner point (the arm-owner model's); absent: as sure as its margin. */
  ownerSure?: number;
  /**
   * For a hand the arm-owner model moved out to where its arm ends (edge/vision/arm-owner.ts): the owner point
   * it saw from the hand's first place. Two looks naming different people leave the owner unsure.
   */
  ownerBeforeMove?: FloorXY;
}

export interface HandOwners {
  /** Indices into the people, best first; empty: nobody within reach. */
  people: number[];
  /**
   * 0–1: how sure the owner is `people[0]` (owner point nearer them than anyone else by `sureMarginM` or more
   * is 1; given to several people it is below 1 − contestedM / sureMarginM). 0 when the owner point lands on
   * nobody detected (the hand went to the nearest person instead). Absent without the owner output.
   */
  confidence?: number;
}

export interface HandOwnerSettings {
  /** Arm's reach (m): a hand further than this from a person's centre is not theirs. */
  reachM: number;
  /**
   * Nearest-person rule (no owner output): a hand about as near another person as the nearest (within this,
   * m) could be either's — two people side by side at a shelf — and is given to both.
   */
  contestedM: number;
  /**
   * The owner point must land this close (m) to a detected person to name them; further, the owner is not
   * among the detections (missed, cut by the border, merged) and the nearest-person rule decides, with
   * confidence 0. Chosen from the owner points' error on fresh renders (median ~5 cm, 95th percentile
   * under 0.2 m) and people's centres ≥ 0.28 m apart even when merged.
   */
  ownerMatchM: number;
  /** Owner rule: another person at most this much (m) further from the owner point than the best also gets it. */
  ownerContestedM: number;
  /** Owner rule: the margin (m, second-nearest minus nearest to the owner point) at which confidence is 1. */
  sureMarginM: number;
}

export const HAND_OWNER_DEFAULTS: HandOwnerSettings = {
  reachM: 1.1,
  contestedM: 0.2,
  ownerMatchM: 0.35,
  ownerContestedM: 0.08,
  sureMarginM: 0.25,
};

const nearestWithin = (people: readonly FloorXY[], at: FloorXY, from: FloorXY, reachM: number) =>
  people
    .map((p, i) => ({
      i,
      d: Math.hypot(p.x - at.x, p.y - at.y),
      reach: Math.hypot(p.x - from.x, p.y - from.y),
    }))
    .filter((n) => n.reach < reachM)
    .sort((a, b) => a.d - b.d);

/** Nearest-person rule: the person nearest the hand within reach, and anyone else about as near (indices). */
export function nearestToHand(
  people: readonly FloorXY[],
  hand: FloorXY,
  settings: Pick<HandOwnerSettings, 'reachM' | 'contestedM'>,
): number[] {
  const byHand = nearestWithin(people, hand, hand, settings.reachM);
  const first = byHand[0]?.d ?? 0;
  return byHand.filter((n) => n.d - first <= settings.contestedM).map((n) => n.i);
}

/**
 * Owner rule: the people within reach of the hand nearest its owner point (anyone about as near shares it), with
 * how sure that is (no surer than the model is of its owner point, `ownerSure`); undefined when the owner point lands on nobody of `people`.
 */
export function ownerOf(
  people: readonly FloorXY[],
  hand: FloorXY & { ownerSure?: number; ownerBeforeMove?: FloorXY },
  owner: FloorXY,
  settings: HandOwnerSettings,
): Required<HandOwners> | undefined {
  const byOwner = nearestWithin(people, owner, hand, settings.reachM);
  const best = byOwner[0];
  if (best === undefined || best.d > settings.ownerMatchM) return undefined;
  const second = byOwner[1]?.d ?? Number.POSITIVE_INFINITY;
  const named = byOwner.filter((n) => n.d - best.d <= settings.ownerContestedM).map((n) => n.i);
  const before =
    hand.ownerBeforeMove === undefined
      ? undefined
      : ownerOf(people, { x: hand.x, y: hand.y }, hand.ownerBeforeMove, settings);
  // the first look named someone the second does not: whose it is stays open between them
  if (before !== undefined && !before.people.some((i) => named.includes(i)))
    return { people: [...named, ...before.people], confidence: 0 };
  return {
    people: named,
    confidence: Math.min(hand.ownerSure ?? 1, Math.max(0, (second - best.d) / settings.sureMarginM)),
  };
}

/** The owners of each hand (same order as `hands`). */
export function assignHands(
  people: readonly FloorXY[],
  hands: readonly SeenHand[],
  settings: HandOwnerSettings = HAND_OWNER_DEFAULTS,
): HandOwners[] {
  return hands.map((h) => {
    if (h.owner === undefined) return { people: nearestToHand(people, h, settings) };
    // an owner point on nobody (or nobody within reach): the nearest-person rule, unsure
    return (
      ownerOf(people, h, h.owner, settings) ?? { people: nearestToHand(people, h, settings), confidence: 0 }
    );
  });
}
