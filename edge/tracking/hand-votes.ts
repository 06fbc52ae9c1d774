// Whose hand, from every camera that saw it (#13): each camera's detector says where a hand's owner stands
// (its owner point); one camera alone can be wrong — its owner point lands on a neighbour, or on nobody of
// its own picture when the owner is merged or outside it. After the views are fused into people, each
// physical hand (the same hand seen by several cameras) goes to the fused person the views' owner points
// agree on, each view voting with how sure it is. Views that disagree make the hand contested. Pure.
import {
  type FloorXY,
  HAND_OWNER_DEFAULTS,
  type HandOwnerSettings,
  nearestToHand,
  ownerOf,
} from '../vision/hand-owner.ts';

/** One camera's sighting of a hand, as its frame's owner rule gave it to that camera's detections. */
export interface HandSighting extends FloorXY {
  camera: string;
  /** The detector's owner point on the floor (absent: a model without the owner output). */
  owner?: FloorXY;
  /** How sure the model is of its owner point (the arm-owner model's; absent: as its margin says). */
  ownerSure?: number;
  /** For a hand moved out along its arm: the owner point seen from its first place (`SeenHand`). */
  ownerBeforeMove?: FloorXY;
  /** The camera's own owner confidence (absent without the owner output). */
  ownerConfidence?: number;
  /** The fused people this camera's owner rule gave the hand to (indices into the fused people). */
  givenTo: readonly number[];
}

/** A hand as fused people carry it. */
export interface VotedHand extends FloorXY {
  ownerConfidence?: number;
}

export interface HandVoteSettings extends HandOwnerSettings {
  /** Two cameras' sightings closer than this (m) are one hand. */
  sameHandM: number;
  /** The runner-up gets the hand too when its votes are at least this share of the winner's. */
  contestedShare: number;
}

export const HAND_VOTE_DEFAULTS: HandVoteSettings = {
  ...HAND_OWNER_DEFAULTS,
  sameHandM: 0.2,
  contestedShare: 0.75,
};

/** Hands per fused person (same order as `people`). */
export function voteHands(
  people: readonly FloorXY[],
  sightings: readonly HandSighting[],
  settings: HandVoteSettings = HAND_VOTE_DEFAULTS,
): VotedHand[][] {
  const out: VotedHand[][] = people.map(() => []);
  for (const group of groupSightings(sightings, settings.sameHandM)) {
    for (const { person, hand } of ownersOf(people, group, settings)) out[person]?.push(hand);
  }
  return out;
}

/**
 * The same hand seen by several cameras: sightings within `sameHandM` of a group's first, one per camera
 * (two hands in one picture are two hands). A sighting a camera gave to two of its people is one sighting.
 */
export function groupSightings(sightings: readonly HandSighting[], sameHandM: number): HandSighting[][] {
  const groups: HandSighting[][] = [];
  for (const s of sightings) {
    const fit = groups.find((g) => {
      const [first] = g;
      return (
        first !== undefined &&
        !g.some((o) => o.camera === s.camera) &&
        Math.hypot(first.x - s.x, first.y - s.y) < sameHandM
      );
    });
    if (fit === undefined) groups.push([s]);
    else fit.push(s);
  }
  return groups;
}

interface Owned {
  person: number;
  hand: VotedHand;
}

/** Who a physical hand goes to, with what confidence. */
function ownersOf(people: readonly FloorXY[], group: readonly HandSighting[], s: HandVoteSettings): Owned[] {
  const at = meanOf(group);
  const voting = group.filter((g) => g.owner !== undefined);
  if (voting.length === 0) return asGiven(group, at);
  const votes = new Map<number, number>();
  let counted = 0;
  for (const g of voting) {
    const ballot = ballotOf(people, g, s);
    if (ballot === undefined) continue;
    counted++;
    for (const person of ballot.people) votes.set(person, (votes.get(person) ?? 0) + ballot.weight);
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const [first, second] = ranked;
  if (first === undefined) {
    // no view's owner point lands on anyone fused: the hand is the nearest person's, unsure
    return nearestToHand(people, at, s).map((person) => ({ person, hand: { ...at, ownerConfidence: 0 } }));
  }
  const runnerUp = second?.[1] ?? 0;
  const confidence = Math.min(1, Math.max(0, (first[1] - runnerUp) / counted));
  // views that could not tell (owner points between people) leave it to all they named
  const owners = ranked.filter(([, v], i) => i === 0 || v >= first[1] * s.contestedShare);
  return owners.map(([person]) => ({ person, hand: { ...at, ownerConfidence: confidence } }));
}

/**
 * One view's vote: the camera's owner rule over the fused people, weighted by how sure it is. Undefined: the
 * owner point lands on nobody fused (an abstention).
 */
function ballotOf(
  people: readonly FloorXY[],
  g: HandSighting,
  s: HandVoteSettings,
): { people: number[]; weight: number } | undefined {
  const owned = ownerOf(people, g, g.owner as FloorXY, s);
  return owned === undefined ? undefined : { people: owned.people, weight: owned.confidence };
}

/** Without owner points (a model without the owner output): to whoever the cameras gave it, as they did. */
function asGiven(group: readonly HandSighting[], at: FloorXY): Owned[] {
  const owners = new Map<number, number | undefined>();
  for (const g of group) {
    for (const person of g.givenTo) {
      const had = owners.get(person);
      owners.set(person, g.ownerConfidence === undefined ? had : Math.max(had ?? 0, g.ownerConfidence));
    }
  }
  return [...owners.entries()].map(([person, c]) => ({
    person,
    hand: c === undefined ? { ...at } : { ...at, ownerConfidence: c },
  }));
}

function meanOf(group: readonly FloorXY[]): FloorXY {
  const n = group.length || 1;
  return {
    x: group.reduce((sum, g) => sum + g.x, 0) / n,
    y: group.reduce((sum, g) => sum + g.y, 0) / n,
  };
}
