// Measures the vision models against rendered ground truth, the way their model cards state it: person and
// hand detection recall/precision at 0.3 m on the floor, and re-identification rank-1 over a gallery.
import { writeCrop } from '../../edge/vision/frame-prep.ts';
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

/** Greedy nearest-first matching of detections to truths within `radius`. */
export function scoreMatches(
  truths: Array<{ x: number; y: number }>,
  found: Array<{ x: number; y: number }>,
  radius = MATCH_RADIUS_M,
): { tp: number; fp: number; fn: number; errorSum: number } {
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
  let errorSum = 0;
  for (const p of pairs) {
    if (usedT.has(p.t) || usedF.has(p.f)) continue;
    usedT.add(p.t);
    usedF.add(p.f);
    errorSum += p.d;
  }
  return { tp: usedT.size, fp: found.length - usedF.size, fn: truths.length - usedT.size, errorSum };
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

export async function measureDetector(
  detector: HeatmapDetector,
  frames: readonly LabelledFrame[],
  cameras: ReadonlyMap<string, Camera>,
): Promise<{ people: DetectionScore; hands: DetectionScore }> {
  const { width, height } = detector.input;
  const plane = 3 * width * height;
  const batchSize = 16;
  const batch = new Float32Array(batchSize * plane);
  const totals = { people: [0, 0, 0, 0], hands: [0, 0, 0, 0] };
  for (let start = 0; start < frames.length; start += batchSize) {
    const chunk = frames.slice(start, start + batchSize);
    chunk.forEach((f, i) => {
      for (let p = 0; p < width * height; p++) {
        batch[i * plane + p] = (f.rgb[p * 3] as number) / 255;
        batch[i * plane + width * height + p] = (f.rgb[p * 3 + 1] as number) / 255;
        batch[i * plane + 2 * width * height + p] = (f.rgb[p * 3 + 2] as number) / 255;
      }
    });
    const results = await detector.detect(batch, chunk.length);
    chunk.forEach((frame, i) => {
      const camera = cameras.get(frame.camera);
      const result = results[i];
      if (camera === undefined || result === undefined) return;
      const sx = camera.imageWidth / width;
      const sy = camera.imageHeight / height;
      const toFloor = (p: { x: number; y: number }) => projectToFloor(camera.homography, p.x * sx, p.y * sy);
      const people = scoreMatches(frame.people, result.people.map(toFloor));
      const handTruths = frame.people.flatMap((p) => (p.hand === undefined ? [] : [p.hand]));
      const hands = scoreMatches(handTruths, result.hands.map(toFloor));
      for (const [key, s] of [
        ['people', people],
        ['hands', hands],
      ] as const) {
        const t = totals[key];
        t[0] = (t[0] ?? 0) + s.tp;
        t[1] = (t[1] ?? 0) + s.fp;
        t[2] = (t[2] ?? 0) + s.fn;
        t[3] = (t[3] ?? 0) + s.errorSum;
      }
    });
  }
  const [a = 0, b = 0, c = 0, d = 0] = totals.people;
  const [e = 0, f = 0, g = 0, h = 0] = totals.hands;
  return { people: summarise(a, b, c, d), hands: summarise(e, f, g, h) };
}

/** Rank-1 re-identification: each crop's nearest identity centroid (from the other crops) is its own. */
export async function measureEmbedder(
  embedder: AppearanceEmbedder,
  frames: readonly LabelledFrame[],
  input: { width: number; height: number },
  galleryIdentities = 20,
): Promise<{ rank1: number; crops: number; sameCos: number; otherCos: number }> {
  const c = embedder.crop;
  const items: Array<{ id: number; emb: Float32Array }> = [];
  const crops = new Float32Array(64 * 3 * c * c);
  let pending: number[] = [];
  const flush = async () => {
    const embs = await embedder.embed(crops, pending.length);
    for (const [i, emb] of embs.entries()) items.push({ id: pending[i] as number, emb });
    pending = [];
  };
  for (const frame of frames) {
    for (const p of frame.people) {
      if (p.cx < 0 || p.cy < 0 || p.cx >= input.width || p.cy >= input.height) continue;
      writeCrop(frame.rgb, input, p.cx, p.cy, c, crops, pending.length);
      pending.push(p.identity);
      if (pending.length === 64) await flush();
    }
  }
  if (pending.length > 0) await flush();
  const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * (b[i] ?? 0), 0);
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
      const score = refs.reduce((s, r) => s + dot(q.emb, r.emb), 0) / refs.length;
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
