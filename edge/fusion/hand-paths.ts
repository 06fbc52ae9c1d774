// Pure: a hand followed from step to step around a shelf event. A hand resting in a lane stays where it is
// for half a second or more, and its owner does not change while it does; but at one step its views may give
// it to a neighbour instead (a camera's owner point on the wrong body for a frame, or two views disagreeing
// while another arm passes over it). Taken step by step, that one frame made the neighbour's hand "in the lane,
// surely theirs" beside the real owner's (#13: 05-two-shoppers-crossing-hands, a sure hand on gus's track for
// six steps and on fay's for one). Followed as one hand, a brief hold by someone else between two of one
// person's is that person's hand; and one sure look at a resting hand only one person held, among their mostly
// doubting looks, makes it no surer theirs than their second surest look (one sure frame is not a sure hand).
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
  const paths = followHands(sightingsOf(snapshots, targets, settings.nearM), settings).filter(
    (p) => !p.tangled,
  );
  const moves = paths.flatMap((p) => reassignments(p.sightings, settings));
  const caps = paths.flatMap((p) => corroborationCaps(p.sightings));
  return moves.length === 0 && caps.length === 0 ? [...snapshots] : capped(applied(snapshots, moves), caps);
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
 * Along one path: of the people who held the hand alone surely at some step (owner confidence ≥ `sureMin`),
 * the one who held it alone most often (`owner`) keeps it wherever someone else held it — alone or with them — between two steps the
 * owner held it alone, when that stretch was brief (within `briefMs`) or the others held it there only unsure
 * (every owner confidence below `unsureMax`: an arm across the picture of someone's resting hand, or the
 * owner point on nobody and the hand given to the nearest body). A stretch at the path's start or end stays as
 * it is; and when someone else's kept hold was surely theirs at some step, nothing moves: two hands, or a hand
 * that really was someone else's there.
 */
function reassignments(path: readonly Sighting[], settings: HandPathSettings): Reassignment[] {
  // of those who held it alone and surely at some step, the one who held it alone most often
  const sure = new Set<string>();
  const soleCounts = new Map<string, number>();
  for (const s of path) {
    const sole = soleHolder(s);
    if (sole === undefined) continue;
    soleCounts.set(sole.trackId, (soleCounts.get(sole.trackId) ?? 0) + 1);
    if ((sole.ownerConfidence ?? 0) >= settings.sureMin) sure.add(sole.trackId);
  }
  const ranked = [...soleCounts.entries()].filter(([id]) => sure.has(id)).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (first === undefined || (second !== undefined && second[1] === first[1])) return [];
  const owner = first[0];
  // a hand goes back only to someone standing there (not a phantom peak, not a track still tentative)
  if (path.some((s) => s.holders.some((h) => h.trackId === owner && !h.person))) return [];
  const stretches = othersStretches(path, owner);
  if (stretches.length === 0) return [];
  const given = stretches.filter((run) => givenBack(run, path, owner, settings));
  const kept = stretches.filter((run) => !given.includes(run));
  const othersSure = (s: Sighting) =>
    s.holders.some((h) => h.trackId !== owner && (h.ownerConfidence ?? 0) >= settings.sureMin);
  if (kept.some((run) => run.some(othersSure))) return [];
  return given.flatMap((run) => {
    // a stretch given back is flanked: the steps just before and after it are the owner's holds alone
    const before = path[path.indexOf(run[0] as Sighting) - 1];
    const after = path[path.indexOf(run.at(-1) as Sighting) + 1];
    const flanks = Math.min(
      (before && soleHolder(before)?.ownerConfidence) ?? 0,
      (after && soleHolder(after)?.ownerConfidence) ?? 0,
    );
    return run.map((s) => reassignment(s, owner, flanks));
  });
}

/** The maximal runs of steps at which the owner did not hold the hand alone (someone else held it). */
function othersStretches(path: readonly Sighting[], owner: string): Sighting[][] {
  const runs: Sighting[][] = [];
  let run: Sighting[] = [];
  for (const s of path) {
    if (soleHolder(s)?.trackId === owner) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push(s);
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** A stretch between two of the owner's holds, brief or held by the others only unsure. */
function givenBack(
  run: readonly Sighting[],
  path: readonly Sighting[],
  owner: string,
  settings: HandPathSettings,
): boolean {
  const start = run[0] as Sighting;
  const end = run.at(-1) as Sighting;
  const flanked = path[0] !== start && path.at(-1) !== end;
  if (!flanked) return false;
  const others = run.flatMap((s) => s.holders.filter((h) => h.trackId !== owner));
  const unsure = others.every(
    (h) => h.ownerConfidence !== undefined && h.ownerConfidence < settings.unsureMax,
  );
  return end.ts - start.ts <= settings.briefMs || unsure;
}

/** The hand at `s` given to the owner, as sure as their holds on either side (or as they were given it there). */
function reassignment(s: Sighting, owner: string, flanks: number): Reassignment {
  const own = s.holders.find((h) => h.trackId === owner)?.ownerConfidence ?? 0;
  const from = s.holders.map((h) => h.trackId).filter((id) => id !== owner);
  return { step: s.step, at: s.at, from, owner, ownerConfidence: Math.max(flanks, own) };
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

/** At `step`, `trackId`'s hold of the hand at `at` is no surer than `max`. */
interface Cap {
  step: number;
  at: FloorPoint;
  trackId: string;
  max: number;
}

/**
 * How sure a hand resting in a lane is its holder's, along a path only they held alone. It has one owner
 * throughout, so when most of their looks at it doubt it is theirs (their median look below ½), one sure look
 * was lucky or wrong: an arm across the picture of a neighbour standing under it (crossing-arms-02 of generated
 * seed 50505: ada's hand in the lane given to gia at every step, surely at the first of seven and at 0.22–0.73
 * at the others, and billed to gia). The hand is then no surer theirs than their second surest look. A hand
 * most looks give them (steadily at 0.7–0.8, one look at 0.81) keeps its looks; so does a path someone else
 * also held alone at some step: two hands at one place, one after the other (07-same-product-same-moment: jo's
 * hand in the lane, then kim's, doubted while jo's arm was over it and sure as it left).
 */
function corroborationCaps(path: readonly Sighting[]): Cap[] {
  const holders = new Set<string>();
  const looks: number[] = [];
  for (const s of path) {
    const sole = soleHolder(s);
    if (sole === undefined) continue;
    holders.add(sole.trackId);
    if (sole.ownerConfidence !== undefined) looks.push(sole.ownerConfidence);
  }
  const [trackId] = holders;
  if (holders.size !== 1 || trackId === undefined) return [];
  const sorted = looks.sort((a, b) => b - a);
  const second = sorted[1];
  // the lower middle look of an even count
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  if (second === undefined || median >= 0.5) return [];
  return path.flatMap((s) =>
    s.holders.some((h) => h.trackId === trackId && (h.ownerConfidence ?? 0) > second)
      ? [{ step: s.step, at: s.at, trackId, max: second }]
      : [],
  );
}

/** The snapshots with every capped hold lowered to its cap (moved hands included: they are where they were). */
function capped(snapshots: readonly TrackSnapshot[], caps: readonly Cap[]): TrackSnapshot[] {
  if (caps.length === 0) return [...snapshots];
  return snapshots.map((snapshot, step) => {
    const here = caps.filter((c) => c.step === step);
    if (here.length === 0) return snapshot;
    const tracks = snapshot.tracks.map((track) => {
      const mine = here.filter((c) => c.trackId === track.id);
      if (mine.length === 0) return track;
      const hands = track.hands.map((h) => {
        const cap = mine.find((c) => sameHand(c.at, h));
        return cap === undefined || h.ownerConfidence === undefined || h.ownerConfidence <= cap.max
          ? h
          : { ...h, ownerConfidence: cap.max };
      });
      return { ...track, hands };
    });
    return { ...snapshot, tracks };
  });
}
