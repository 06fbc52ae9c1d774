// Cross-camera fusion of one moment's detections on the floor: where camera views overlap, the same person
// is seen twice; detections from different cameras closer than a merge radius become one (matched view by view
// at least total distance). Pure.
import { type HandSighting, voteHands } from './hand-votes.ts';
import { assign } from './hungarian.ts';

/** An extended hand on the floor (metres), given to a person. */
export interface FloorHand {
  x: number;
  y: number;
  /**
   * 0–1: how sure the detector's owner output is that the hand is this person's (`edge/vision/hand-owner.ts`);
   * absent when the detector has no owner output (the hand went to the nearest person).
   */
  ownerConfidence?: number;
  /**
   * Where this camera's detector says the hand's owner stands (floor metres); fusion lets every camera that
   * saw the hand vote on its owner with it (`hand-votes.ts`). Absent without the detector's owner output, and
   * on fused hands.
   */
  owner?: { x: number; y: number };
  /** How sure the model is of `owner` (0–1, the arm-owner model's; edge/vision/arm-owner.ts). */
  ownerSure?: number;
  /** For a hand moved out along its arm: the owner point seen from its first place (`SeenHand`). */
  ownerBeforeMove?: { x: number; y: number };
}

export interface FloorDetection {
  camera: string;
  x: number;
  y: number;
  score: number;
  /** L2-normalised appearance embedding, when the embedder ran. */
  embedding: Float32Array | undefined;
  /** Extended hands attributed to this person (floor metres). */
  hands: FloorHand[];
}

export interface FusedDetection {
  x: number;
  y: number;
  score: number;
  embedding: Float32Array | undefined;
  /**
   * Each view's own look (`embedding` is their mean). In a crowd one view's crop may hold a neighbour too
   * while another's holds the person alone: identity evidence may take the view that shows them best.
   */
  looks: Float32Array[];
  hands: FloorHand[];
  cameras: string[];
}

export const MERGE_RADIUS_M = 0.45;

export function fuseDetections(
  detections: readonly FloorDetection[],
  radius = MERGE_RADIUS_M,
): FusedDetection[] {
  // camera by camera, richest view first: each camera's detections are matched to the people found so far
  // all at once (least total distance), never one by one — two people shoulder to shoulder seen by two
  // cameras would otherwise be crossed over whenever the farther pairing came first (each fused person then
  // half of each, their looks and hands mixed)
  const byCamera = new Map<string, FloorDetection[]>();
  for (const d of detections) {
    const seen = byCamera.get(d.camera);
    if (seen === undefined) byCamera.set(d.camera, [d]);
    else seen.push(d);
  }
  const views = [...byCamera.entries()].sort(
    ([a, da], [b, db]) => db.length - da.length || (a < b ? -1 : a > b ? 1 : 0),
  );
  const clusters: Array<{ members: FloorDetection[] }> = [];
  for (const [, seen] of views) {
    const ordered = [...seen].sort((a, b) => b.score - a.score);
    const centres = clusters.map(({ members }) => centreOf(members));
    const cost = ordered.map((d) => centres.map((c) => Math.hypot(c.x - d.x, c.y - d.y)));
    const chosen = assign(cost, radius);
    ordered.forEach((d, i) => {
      const cluster = clusters[chosen[i] ?? -1];
      if (cluster === undefined) clusters.push({ members: [d] });
      else cluster.members.push(d);
    });
  }
  const centres = clusters.map(({ members }) => centreOf(members));
  const handsOf = voteHands(centres, sightingsOf(clusters));
  return clusters.map(({ members }, i) => {
    const looks = members.flatMap((m) => (m.embedding === undefined ? [] : [m.embedding]));
    return {
      ...(centres[i] as { x: number; y: number }),
      score: Math.max(...members.map((m) => m.score)),
      embedding: meanEmbedding(looks),
      looks,
      hands: handsOf[i] ?? [],
      cameras: members.map((m) => m.camera),
    };
  });
}

/**
 * Every camera's hand sightings, each once with the fused people its camera gave it to (a hand a camera gave
 * to two of its people is one sighting).
 */
function sightingsOf(clusters: ReadonlyArray<{ members: readonly FloorDetection[] }>): HandSighting[] {
  const byKey = new Map<string, HandSighting & { givenTo: number[] }>();
  clusters.forEach(({ members }, i) => {
    for (const m of members) {
      for (const h of m.hands) {
        const key = `${m.camera}|${h.x}|${h.y}`;
        const seen = byKey.get(key);
        if (seen !== undefined) {
          if (!seen.givenTo.includes(i)) seen.givenTo.push(i);
          continue;
        }
        byKey.set(key, {
          camera: m.camera,
          x: h.x,
          y: h.y,
          ...(h.owner === undefined ? {} : { owner: h.owner }),
          ...(h.ownerConfidence === undefined ? {} : { ownerConfidence: h.ownerConfidence }),
          ...(h.ownerSure === undefined ? {} : { ownerSure: h.ownerSure }),
          ...(h.ownerBeforeMove === undefined ? {} : { ownerBeforeMove: h.ownerBeforeMove }),
          givenTo: [i],
        });
      }
    }
  });
  return [...byKey.values()];
}

/** The members' position, weighted by detection score. */
function centreOf(members: readonly FloorDetection[]): { x: number; y: number } {
  const w = members.reduce((s, m) => s + m.score, 0);
  return {
    x: members.reduce((s, m) => s + m.x * m.score, 0) / w,
    y: members.reduce((s, m) => s + m.y * m.score, 0) / w,
  };
}

export function meanEmbedding(embs: readonly Float32Array[]): Float32Array | undefined {
  const first = embs[0];
  if (first === undefined) return undefined;
  const out = new Float32Array(first.length);
  for (const e of embs) for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) + (e[i] ?? 0);
  return normalise(out);
}

export function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / n;
  return v;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}
