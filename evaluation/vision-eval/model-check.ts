// Measures the vision models against rendered ground truth, the way their model cards state it: person and
// hand detection recall/precision at 0.3 m on the floor, whose hand each found hand was given to (overall and
// among people in a crowd), and re-identification rank-1 over a gallery.

import { cosine } from '../../edge/tracking/camera-fusion.ts';
import type { ArmOwnerModel } from '../../edge/vision/arm-owner.ts';
import { writeCrop, writeNchw } from '../../edge/vision/frame-prep.ts';
import { assignHands, type SeenHand } from '../../edge/vision/hand-owner.ts';
import type { AppearanceEmbedder, HeatmapDetector } from '../../edge/vision/onnx-models.ts';
import { projectToFloor } from '../../shared/homography.ts';
import type { Camera } from '../../shared/store-config.ts';
import type { LabelledFrame } from './labelled-frames.ts';

export const MATCH_RADIUS_M = 0.3;

export interface DetectionScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  recall: number;
  precision: number;
  /** Mean floor error of matched detections, metres. */
  meanErrorM: number;
}

/** How many true people or hands the score was measured on: found or missed. */
export function truthCount(score: Pick<DetectionScore, 'truePositives' | 'falseNegatives'>): number {
  return score.truePositives + score.falseNegatives;
}

/** Greedy nearest-first matching of detections to truths within `radius`. */
export function scoreMatches(
  truths: Array<{ x: number; y: number }>,
  found: Array<{ x: number; y: number }>,
  radius = MATCH_RADIUS_M,
): {
  tp: number;
  fp: number;
  fn: number;
  errorSum: number;
  /** The matched detection of each truth (index into `found`), or -1. */
  foundOf: number[];
} {
  const pairs: Array<{ t: number; f: number; d: number }> = [];
  truths.forEach((t, ti) => {
    found.forEach((f, fi) => {
      const d = Math.hypot(t.x - f.x, t.y - f.y);
      if (d <= radius) pairs.push({ t: ti, f: fi, d });
    });
  });
  pairs.sort((a, b) => a.d - b.d);
  const usedT = new Set<number>();
  const usedF = new Set<number>();
  const foundOf = truths.map(() => -1);
  let errorSum = 0;
  for (const p of pairs) {
    if (usedT.has(p.t) || usedF.has(p.f)) continue;
    usedT.add(p.t);
    usedF.add(p.f);
    foundOf[p.t] = p.f;
    errorSum += p.d;
  }
  return { tp: usedT.size, fp: found.length - usedF.size, fn: truths.length - usedT.size, errorSum, foundOf };
}

export function summarise(tp: number, fp: number, fn: number, errorSum: number): DetectionScore {
  return {
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    meanErrorM: tp === 0 ? 0 : errorSum / tp,
  };
}

/** How the hands found were given to people (`edge/vision/hand-owner.ts`), over true hands that were found. */
export interface AssociationScore {
  /** True hands found (matched within 0.3 m). */
  hands: number;
  /** Of those, the share whose first (best) owner is the detection of the true owner. */
  accuracy: number;
  /** The share given to more than one person (contested: fusion asks staff). */
  contestedShare: number;
  /** The share given first to someone else with owner confidence ≥ 0.75 (a sure mistake). */
  wrongSureShare: number;
  /** The share given to one person with owner confidence ≥ 0.75 (fusion need not ask staff). */
  sureShare: number;
  /**
   * Reliability of the owner confidence: the hands given to one person, by their confidence in
   * OWNER_CONFIDENCE_BINS, and how many of each went to the right person. A confidence p is calibrated when
   * the right share of its bin is at least p; fusion's threshold on it (`ownedHandMin`) is checked against this.
   */
  byConfidence: Array<{ from: number; to: number; hands: number; right: number }>;
}

/** Edges of the owner-confidence bins of `AssociationScore.byConfidence` (the last bin holds 1.0 itself). */
export const OWNER_CONFIDENCE_BINS = [0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1] as const;

export interface DetectorScore {
  people: DetectionScore;
  hands: DetectionScore;
  association: AssociationScore;
  /** The same, over people with someone else within CROWDED_M (and their hands). */
  crowded: { people: DetectionScore; hands: DetectionScore; association: AssociationScore };
  /**
   * Hands at the end of an arm reaching LONG_REACH_M or more from the body (past a neighbour, two lanes
   * along): recall and placement error (found hands are not told apart by reach, so precision is not
   * measured), and whose hand.
   */
  longReach: { hands: DetectionScore; association: AssociationScore };
  /**
   * People with someone else within CLOSE_PAIR_M: a party walking side by side or in single file, seen as one
   * blob. Recall and placement error (found people are not told apart by how close they stood, so precision is
   * not measured).
   */
  closePair: { people: DetectionScore };
}

/**
 * A person with someone else this close (m) is in a close pair. Detectors that had never seen a pair closer
 * than 0.28 m found 76–83 % of the people at 0.25–0.35 m from another against 97–98 % of everyone (2026-12-07).
 */
export const CLOSE_PAIR_M = 0.35;

/** A person is in a crowd when someone else stands within this (m). */
export const CROWDED_M = 1;

/**
 * A hand this far (m) from its owner's centre on the floor is a long reach: past a neighbour into the lane
 * beyond. The detector placed these short and missed them most (2026-12-04: recall 86 % at 0.7–0.85 m,
 * 68 % at 0.85–1 m, against 93 % under 0.7 m).
 */
export const LONG_REACH_M = 0.85;

/** Counts: detection [tp, fp, fn, errorSum] and association [hands, right, contested, wrongSure, sure]. */
class Tally {
  readonly det = { people: [0, 0, 0, 0], hands: [0, 0, 0, 0] };
  readonly assoc = [0, 0, 0, 0, 0];
  /** by owner-confidence bin: [hands given to one person, of those to the right one] */
  readonly bins = OWNER_CONFIDENCE_BINS.slice(1).map(() => [0, 0]);
  addConfidence(confidence: number, right: boolean): void {
    const k = OWNER_CONFIDENCE_BINS.findIndex((edge, i) => i > 0 && confidence < edge);
    const bin = this.bins[k < 0 ? this.bins.length - 1 : k - 1];
    if (bin === undefined) return;
    bin[0] = (bin[0] ?? 0) + 1;
    if (right) bin[1] = (bin[1] ?? 0) + 1;
  }
  add(key: 'people' | 'hands', tp: number, fp: number, fn: number, err: number) {
    const t = this.det[key];
    t[0] = (t[0] ?? 0) + tp;
    t[1] = (t[1] ?? 0) + fp;
    t[2] = (t[2] ?? 0) + fn;
    t[3] = (t[3] ?? 0) + err;
  }
  score(key: 'people' | 'hands'): DetectionScore {
    const [a = 0, b = 0, c = 0, d = 0] = this.det[key];
    return summarise(a, b, c, d);
  }
  association(): AssociationScore {
    const [n = 0, right = 0, contested = 0, wrongSure = 0, sure = 0] = this.assoc;
    const share = (v: number) => (n === 0 ? 1 : v / n);
    return {
      hands: n,
      accuracy: share(right),
      contestedShare: n === 0 ? 0 : contested / n,
      wrongSureShare: n === 0 ? 0 : wrongSure / n,
      sureShare: n === 0 ? 0 : sure / n,
      byConfidence: this.bins.map(([hands = 0, right = 0], i) => ({
        from: OWNER_CONFIDENCE_BINS[i] ?? 0,
        to: OWNER_CONFIDENCE_BINS[i + 1] ?? 1,
        hands,
        right,
      })),
    };
  }
}

/** Owner confidence from which a hand given to one person counts as sure. */
const SURE_CONFIDENCE = 0.75;

/**
 * Person and hand detection, and whose hand each found hand was given to, the way the edge does it: peaks
 * projected to the floor, hands assigned by `assignHands` with the default settings.
 */
export async function measureDetector(
  detector: HeatmapDetector,
  frames: readonly LabelledFrame[],
  cameras: ReadonlyMap<string, Camera>,
  /** When given, every hand's owner point is the arm-owner model's, as the edge does with it loaded. */
  arm?: ArmOwnerModel,
): Promise<DetectorScore> {
  const { width, height } = detector.input;
  const plane = 3 * width * height;
  const batchSize = 16;
  const batch = new Float32Array(batchSize * plane);
  const all = new Tally();
  const crowd = new Tally();
  const long = new Tally();
  const close = new Tally();
  for (let start = 0; start < frames.length; start += batchSize) {
    const chunk = frames.slice(start, start + batchSize);
    chunk.forEach((f, i) => {
      writeNchw(f.rgb, detector.input, batch, i);
    });
    const results = await detector.detect(batch, chunk.length);
    if (arm !== undefined) {
      await arm.ownHands(
        chunk.map((f, i) => ({ jpeg: f.jpeg, hands: results[i]?.hands ?? [] })),
        detector.input,
      );
    }
    chunk.forEach((frame, i) => {
      const camera = cameras.get(frame.camera);
      const result = results[i];
      if (camera === undefined || result === undefined) return;
      const sx = camera.imageWidth / width;
      const sy = camera.imageHeight / height;
      const toFloor = (p: { x: number; y: number }) => projectToFloor(camera.homography, p.x * sx, p.y * sy);
      scoreFrame(
        frame,
        result.people.map(toFloor),
        result.hands.map((h) => ({
          ...toFloor(h),
          ...(h.owner === undefined ? {} : { owner: toFloor(h.owner) }),
          ...(h.ownerSure === undefined ? {} : { ownerSure: h.ownerSure }),
          ...(h.ownerBeforeMove === undefined ? {} : { ownerBeforeMove: toFloor(h.ownerBeforeMove) }),
        })),
        all,
        crowd,
        long,
        close,
      );
    });
  }
  return {
    people: all.score('people'),
    hands: all.score('hands'),
    association: all.association(),
    crowded: { people: crowd.score('people'), hands: crowd.score('hands'), association: crowd.association() },
    longReach: { hands: long.score('hands'), association: long.association() },
    closePair: { people: close.score('people') },
  };
}

function scoreFrame(
  frame: LabelledFrame,
  people: Array<{ x: number; y: number }>,
  hands: SeenHand[],
  all: Tally,
  crowd: Tally,
  long: Tally,
  close: Tally,
): void {
  const truths = frame.people;
  // each person's distance to the nearest other: in a crowd, in a close pair
  const nearestM = truths.map((t, i) =>
    Math.min(
      Number.POSITIVE_INFINITY,
      ...truths.filter((_, j) => j !== i).map((o) => Math.hypot(o.x - t.x, o.y - t.y)),
    ),
  );
  const crowded = nearestM.map((d) => d <= CROWDED_M);
  const ps = scoreMatches(truths, people);
  const handOwner = truths.flatMap((p, i) => (p.hand === undefined ? [] : [i]));
  const handTruths = handOwner.map((i) => truths[i]?.hand as { x: number; y: number });
  const hs = scoreMatches(handTruths, hands);
  all.add('people', ps.tp, ps.fp, ps.fn, ps.errorSum);
  all.add('hands', hs.tp, hs.fp, hs.fn, hs.errorSum);
  tallyClosePairs(truths, nearestM, ps.foundOf, people, close);
  // the crowded subset: its truths, and the unmatched detections nearest one of its people
  const nearestTruth = (p: { x: number; y: number }) => {
    let best = -1;
    let bestD = Number.POSITIVE_INFINITY;
    truths.forEach((t, i) => {
      const d = Math.hypot(t.x - p.x, t.y - p.y);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    return bestD <= CROWDED_M ? best : -1;
  };
  const subset = (
    key: 'people' | 'hands',
    owners: number[],
    foundOf: number[],
    found: Array<{ x: number; y: number }>,
    truthPoints: Array<{ x: number; y: number }>,
  ) => {
    let tp = 0;
    let fn = 0;
    let err = 0;
    const matched = new Set(foundOf);
    owners.forEach((owner, t) => {
      if (!crowded[owner]) return;
      const f = foundOf[t] ?? -1;
      if (f < 0) fn++;
      else {
        tp++;
        const a = found[f] as { x: number; y: number };
        const b = truthPoints[t] as { x: number; y: number };
        err += Math.hypot(a.x - b.x, a.y - b.y);
      }
    });
    const fp = found.filter((f, i) => {
      if (matched.has(i)) return false;
      const t = nearestTruth(f);
      return t >= 0 && crowded[t] === true;
    }).length;
    crowd.add(key, tp, fp, fn, err);
  };
  subset(
    'people',
    truths.map((_, i) => i),
    ps.foundOf,
    people,
    truths,
  );
  subset('hands', handOwner, hs.foundOf, hands, handTruths);
  const reachesFar = tallyLongReaches(truths, handOwner, hs.foundOf, hands, long);
  tallyWhoseHand(people, hands, handOwner, ps.foundOf, hs.foundOf, crowded, reachesFar, all, crowd, long);
}

/** Recall and placement of the people with someone else within CLOSE_PAIR_M (`nearestM`), matched as all people are. */
function tallyClosePairs(
  truths: ReadonlyArray<{ x: number; y: number }>,
  nearestM: readonly number[],
  personFoundOf: readonly number[],
  people: ReadonlyArray<{ x: number; y: number }>,
  close: Tally,
): void {
  truths.forEach((t, i) => {
    if ((nearestM[i] ?? Number.POSITIVE_INFINITY) >= CLOSE_PAIR_M) return;
    const found = people[personFoundOf[i] ?? -1];
    if (found === undefined) close.add('people', 0, 0, 1, 0);
    else close.add('people', 1, 0, 0, Math.hypot(found.x - t.x, found.y - t.y));
  });
}

/**
 * Recall and placement of the hands on a long reach (true hands LONG_REACH_M or more from their body), counted
 * one to one as all hands are. Returns which people reach that far.
 */
function tallyLongReaches(
  truths: readonly LabelledFrame['people'][number][],
  handOwner: readonly number[],
  handFoundOf: readonly number[],
  hands: ReadonlyArray<{ x: number; y: number }>,
  long: Tally,
): boolean[] {
  const reachesFar = truths.map(
    (t) => t.hand !== undefined && Math.hypot(t.hand.x - t.x, t.hand.y - t.y) >= LONG_REACH_M,
  );
  handOwner.forEach((owner, t) => {
    const truth = truths[owner]?.hand;
    if (!reachesFar[owner] || truth === undefined) return;
    const found = hands[handFoundOf[t] ?? -1];
    if (found === undefined) long.add('hands', 0, 0, 1, 0);
    else long.add('hands', 1, 0, 0, Math.hypot(found.x - truth.x, found.y - truth.y));
  });
  return reachesFar;
}

/** Whose hand: each found true hand's best owner (the edge's assignHands) against the detection of its true owner. */
function tallyWhoseHand(
  people: Array<{ x: number; y: number }>,
  hands: SeenHand[],
  handOwner: number[],
  personFoundOf: number[],
  handFoundOf: number[],
  crowded: boolean[],
  reachesFar: boolean[],
  all: Tally,
  crowd: Tally,
  long: Tally,
): void {
  const owners = assignHands(people, hands);
  handOwner.forEach((owner, t) => {
    const f = handFoundOf[t] ?? -1;
    if (f < 0) return;
    const given = owners[f];
    const right =
      given !== undefined && given.people[0] !== undefined && given.people[0] === personFoundOf[owner];
    const contested = (given?.people.length ?? 0) > 1;
    const sure = given?.people.length === 1 && (given.confidence ?? 0) >= SURE_CONFIDENCE;
    const wrongSure = !right && sure;
    const tallies = [all, ...(crowded[owner] ? [crowd] : []), ...(reachesFar[owner] ? [long] : [])];
    for (const tally of tallies) {
      tally.assoc[0] = (tally.assoc[0] ?? 0) + 1;
      if (right) tally.assoc[1] = (tally.assoc[1] ?? 0) + 1;
      if (contested) tally.assoc[2] = (tally.assoc[2] ?? 0) + 1;
      if (wrongSure) tally.assoc[3] = (tally.assoc[3] ?? 0) + 1;
      if (sure) tally.assoc[4] = (tally.assoc[4] ?? 0) + 1;
      if (given?.people.length === 1) tally.addConfidence(given.confidence ?? 0, right);
    }
  });
}

/** A rendered person's embedding, and how close the frame's nearest other person stood (crowded crops). */
export interface EmbeddedPerson {
  id: number;
  emb: Float32Array;
  /** Floor distance (m) to the nearest other person in the frame (Infinity when alone). */
  nearestM: number;
}

/** Every rendered person whose centre is inside the input, embedded from the crop the edge would cut. */
export async function embedPeople(
  embedder: AppearanceEmbedder,
  frames: readonly LabelledFrame[],
  input: { width: number; height: number },
): Promise<EmbeddedPerson[]> {
  const c = embedder.crop;
  const items: EmbeddedPerson[] = [];
  const crops = new Float32Array(64 * 3 * c * c);
  let pending: Array<Omit<EmbeddedPerson, 'emb'>> = [];
  const flush = async () => {
    const embs = await embedder.embed(crops, pending.length);
    for (const [i, emb] of embs.entries()) {
      const p = pending[i];
      if (p !== undefined) items.push({ ...p, emb });
    }
    pending = [];
  };
  for (const frame of frames) {
    for (const p of frame.people) {
      if (p.cx < 0 || p.cy < 0 || p.cx >= input.width || p.cy >= input.height) continue;
      writeCrop(frame.rgb, input, p.cx, p.cy, c, crops, pending.length);
      const others = frame.people.filter((o) => o !== p).map((o) => Math.hypot(o.x - p.x, o.y - p.y));
      pending.push({ id: p.identity, nearestM: Math.min(Number.POSITIVE_INFINITY, ...others) });
      if (pending.length === 64) await flush();
    }
  }
  if (pending.length > 0) await flush();
  return items;
}

/** Rank-1 re-identification: each crop's nearest identity centroid (from the other crops) is its own. */
export function measureEmbedder(
  items: readonly EmbeddedPerson[],
  galleryIdentities = 20,
): { rank1: number; crops: number; sameCos: number; otherCos: number } {
  const ids = [...new Set(items.map((i) => i.id))].slice(0, galleryIdentities);
  let hits = 0;
  let n = 0;
  let same = 0;
  let sameN = 0;
  let other = 0;
  let otherN = 0;
  for (const [qi, q] of items.entries()) {
    if (!ids.includes(q.id)) continue;
    let best = -2;
    let bestId = -1;
    for (const id of ids) {
      const refs = items.filter((r, ri) => r.id === id && ri !== qi);
      if (refs.length === 0) continue;
      const score = refs.reduce((s, r) => s + cosine(q.emb, r.emb), 0) / refs.length;
      if (id === q.id) {
        same += score;
        sameN++;
      } else {
        other += score;
        otherN++;
      }
      if (score > best) {
        best = score;
        bestId = id;
      }
    }
    n++;
    if (bestId === q.id) hits++;
  }
  return {
    rank1: n === 0 ? 0 : hits / n,
    crops: n,
    sameCos: same / Math.max(1, sameN),
    otherCos: other / Math.max(1, otherN),
  };
}
