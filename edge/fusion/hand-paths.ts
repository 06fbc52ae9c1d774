// Pure: a hand followed from step to step around a shelf event. A hand resting in a lane stays where it is
// for half a second or more, and its owner does not change while it does; but at one step its views may give
// it to a neighbour instead (a camera's owner point on the wrong body for a frame, or two views disagreeing
// while another arm passes over it). Taken step by step, that one frame made the neighbour's hand "in the lane,
// surely theirs" beside the real owner's (#13: 05-two-shoppers-crossing-hands, a sure hand on gus's track for
// six steps and on fay's for one). Followed as one hand, a brief hold by someone else between two of one
// person's is that person's hand.
import type { TrackMessage } from '../../shared/schemas/track.ts';
import { type FloorPoint, nearestM } from '../../shared/store-geometry.ts';
import type { HandPathSettings } from './fusion-settings.ts';
import type { TrackSnapshot } from './track-history.ts';

type Hand = TrackMessage['hands'][number];

/** One hand at one step: every track that step gave it to (several when fusion left it contested). */
interface Sighting {
  step: number;
  ts: number;
  at: FloorPoint;
  holders: Array<{ trackId: string; ownerConfidence: number | undefined; person: boolean }>;
}

interface Path {
  sightings: Sighting[];
  /** Two hands near enough to be taken for each other on the way: nothing is concluded. */
  tangled: boolean;
}

/** A hold to move: at `step`, the hand at `at` is `owner`'s, not `from`'s. */
interface Reassignment {
  step: number;
  at: FloorPoint;
  from: readonly string[];
  owner: string;
  ownerConfidence: number;
}

/**
 * The steps with every brief hold of a hand by someone other than the person who held it before and after
 * given back to that person (`HandPathSettings`); other hands as they were. Hands farther than `nearM` from
 * every target are not followed.
 */
export function handsFollowed(
  snapshots: readonly TrackSnapshot[],
  targets: readonly FloorPoint[],
  settings: HandPathSettings,
): TrackSnapshot[] {
  if (targets.length === 0) return [...snapshots];
  const paths = followHands(sightingsOf(snapshots, targets, settings.nearM), settings);
  const moves = paths.flatMap((p) => (p.tangled ? [] : reassignments(p.sightings, settings)));
  return moves.length === 0 ? [...snapshots] : applied(snapshots, moves);
}

/** Two hands at one place: one hand fusion gave to several tracks. */
export const sameHand = (a: FloorPoint, b: FloorPoint) =>
  Math.abs(a.x - b.x) < 1e-6 && Math.abs(a.y - b.y) < 1e-6;

/** Every hand near the targets at every step; one hand fusion gave to several tracks is one sighting. */
function sightingsOf(snapshots: readonly TrackSnapshot[], targets: readonly FloorPoint[], nearM: number) {
  const steps: Sighting[][] = [];
  snapshots.forEach((snapshot, step) => {
    const here: Sighting[] = [];
    for (const track of snapshot.tracks)
      for (const hand of track.hands) {
        if (nearestM(targets, hand) > nearM) continue;
        const person = track.phantom !== true && track.state !== 'tentative';
        const holder = { trackId: track.id, ownerConfidence: hand.ownerConfidence, person };
        const same = here.find((s) => sameHand(s.at, hand));
        if (same === undefined)
          here.push({ step, ts: snapshot.ts, at: { x: hand.x, y: hand.y }, holders: [holder] });
        else if (!same.holders.some((h) => h.trackId === track.id)) same.holders.push(holder);
      }
    steps.push(here);
  });
  return steps;
}

/**
 * Sightings linked step to step into paths: nearest first, one to one, within `linkM` of the path's last
 * sighting no more than `maxGapMs` before. A sighting two paths could take, or a path two sightings could
 * continue, tangles the paths involved.
 */
function followHands(steps: readonly Sighting[][], settings: HandPathSettings): Path[] {
  const paths: Path[] = [];
  for (const here of steps) {
    const open = paths.filter((p) => {
      const last = p.sightings.at(-1) as Sighting;
      const ts = here[0]?.ts;
      return ts !== undefined && ts - last.ts <= settings.maxGapMs && ts > last.ts;
    });
    const pairs: Array<{ path: Path; sighting: Sighting; m: number }> = [];
    for (const path of open)
      for (const sighting of here) {
        const last = path.sightings.at(-1) as Sighting;
        const m = Math.hypot(last.at.x - sighting.at.x, last.at.y - sighting.at.y);
        if (m <= settings.linkM) pairs.push({ path, sighting, m });
      }
    tangle(pairs);
    pairs.sort((a, b) => a.m - b.m);
    const taken = new Set<Sighting>();
    const continued = new Set<Path>();
    for (const { path, sighting } of pairs) {
      if (taken.has(sighting) || continued.has(path)) continue;
      path.sightings.push(sighting);
      taken.add(sighting);
      continued.add(path);
    }
    for (const sighting of here)
      if (!taken.has(sighting)) paths.push({ sightings: [sighting], tangled: false });
  }
  return paths;
}

/** A path with two sightings it could go on to, or a sighting two paths could take, is tangled. */
function tangle(pairs: ReadonlyArray<{ path: Path; sighting: Sighting }>): void {
  for (const { path, sighting } of pairs) {
    const sameSighting = pairs.filter((p) => p.sighting === sighting);
    const samePath = pairs.filter((p) => p.path === path);
    if (sameSighting.length > 1 || samePath.length > 1)
      for (const p of [...sameSighting, ...samePath]) p.path.tangled = true;
  }
}

const soleHolder = (s: Sighting) => (s.holders.length === 1 ? s.holders[0] : undefined);

/**
 * Along one path: the person who held the hand alone most often (`owner`, surely theirs at some step: owner
 * confidence ≥ `sureMin`) keeps it wherever someone else held it — alone or with them — only briefly (from
 * that one's first hold to their last within `briefMs`) and between two steps the owner held it alone. Anyone
 * else holding it longer, or at the path's start or end, leaves the path as it is: two hands, or a hand that
 * really was someone else's there.
 */
function reassignments(path: readonly Sighting[], settings: HandPathSettings): Reassignment[] {
  const soleCounts = new Map<string, number>();
  for (const s of path) {
    const sole = soleHolder(s);
    if (sole !== undefined) soleCounts.set(sole.trackId, (soleCounts.get(sole.trackId) ?? 0) + 1);
  }
  const ranked = [...soleCounts.entries()].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (first === undefined || (second !== undefined && second[1] === first[1])) return [];
  const owner = first[0];
  // a hand goes back only to someone standing there (not a phantom peak, not a track still tentative)
  if (path.some((s) => s.holders.some((h) => h.trackId === owner && !h.person))) return [];
  const ownersHolds = path.filter((s) => soleHolder(s)?.trackId === owner);
  if (!ownersHolds.some((s) => (soleHolder(s)?.ownerConfidence ?? 0) >= settings.sureMin)) return [];
  const others = new Set(path.flatMap((s) => s.holders.map((h) => h.trackId)).filter((id) => id !== owner));
  if (others.size === 0) return [];
  const firstOwned = ownersHolds[0] as Sighting;
  const lastOwned = ownersHolds.at(-1) as Sighting;
  for (const other of others) {
    const held = path.filter((s) => s.holders.some((h) => h.trackId === other));
    const from = held[0] as Sighting;
    const to = held.at(-1) as Sighting;
    if (to.ts - from.ts > settings.briefMs || from.ts <= firstOwned.ts || to.ts >= lastOwned.ts) return [];
  }
  const moves: Reassignment[] = [];
  for (const s of path) {
    if (soleHolder(s)?.trackId === owner) continue;
    const before = ownersHolds.filter((o) => o.ts < s.ts).at(-1) as Sighting;
    const after = ownersHolds.find((o) => o.ts > s.ts) as Sighting;
    const flanks = Math.min(
      soleHolder(before)?.ownerConfidence ?? 0,
      soleHolder(after)?.ownerConfidence ?? 0,
    );
    const own = s.holders.find((h) => h.trackId === owner)?.ownerConfidence ?? 0;
    const confidence = Math.max(flanks, own);
    const from = s.holders.map((h) => h.trackId).filter((id) => id !== owner);
    moves.push({ step: s.step, at: s.at, from, owner, ownerConfidence: confidence });
  }
  return moves;
}

/** The snapshots with the moves made: the hand off the tracks it was not theirs, on its owner's. */
function applied(snapshots: readonly TrackSnapshot[], moves: readonly Reassignment[]): TrackSnapshot[] {
  return snapshots.map((snapshot, step) => {
    const here = moves.filter((m) => m.step === step);
    if (here.length === 0) return snapshot;
    const tracks = snapshot.tracks.map((track) => {
      let hands: Hand[] = track.hands.filter(
        (h) => !here.some((m) => m.from.includes(track.id) && sameHand(m.at, h)),
      );
      for (const m of here) {
        if (m.owner !== track.id) continue;
        const own = hands.find((h) => sameHand(m.at, h));
        const given = { x: m.at.x, y: m.at.y, ownerConfidence: m.ownerConfidence };
        hands = own === undefined ? [...hands, given] : hands.map((h) => (h === own ? given : h));
      }
      return hands.length === track.hands.length && hands.every((h, i) => h === track.hands[i])
        ? track
        : { ...track, hands };
    });
    return { ...snapshot, tracks };
  });
}
