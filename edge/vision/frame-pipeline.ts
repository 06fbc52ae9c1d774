// One inference step over the latest frame of several cameras: decode and resize with sharp (in parallel),
// one batched detector run, heatmap peaks → floor through each camera's homography, hands given to the
// nearest person, one batched embedder run over person crops. Gives floor detections for the tracker.
// "People" standing inside a shelf are the shelf and are dropped.
import type { Camera, Shelf } from '../../shared/store-config.ts';
import type { FloorDetection } from '../tracking/camera-fusion.ts';
import { insideFixture } from './fixture-mask.ts';
import { decodeToRgb, type InputSize, writeCrop, writeNchw } from './frame-prep.ts';
import { projectToFloor } from './homography.ts';
import type { AppearanceEmbedder, HeatmapDetector } from './onnx-models.ts';
import type { YoloDetector } from './yolo-detector.ts';

export interface CameraFrame {
  camera: string;
  captureTs: number;
  jpeg: Buffer;
  /** performance.now() when the edge received it (latency accounting). */
  receivedAt?: number;
}

/** Arm's reach: a hand further than this from a person's centre is nobody's. */
const HAND_REACH_M = 1.1;

export type Detector = { kind: 'heatmap'; model: HeatmapDetector } | { kind: 'yolo'; model: YoloDetector };

export class FramePipeline {
  private batch = new Float32Array(0);
  private crops = new Float32Array(0);
  /** by camera id */
  private readonly cameras: Map<string, Camera>;

  constructor(
    cameras: readonly Camera[],
    private readonly detector: Detector,
    private readonly embedder: AppearanceEmbedder | undefined,
    /** Size the embedder crops are cut at (the heatmap detector's input). */
    private readonly input: InputSize,
    /** The store's shelves: nobody stands inside one. */
    private readonly shelves: readonly Shelf[] = [],
  ) {
    this.cameras = new Map(cameras.map((c) => [c.id, c]));
  }

  async process(frames: readonly CameraFrame[]): Promise<FloorDetection[]> {
    const known = frames.filter((f) => this.cameras.has(f.camera));
    if (known.length === 0) return [];
    const { width, height } = this.input;
    const rgbs = await Promise.all(known.map((f) => decodeToRgb(f.jpeg, this.input)));
    const perFrame: Array<{
      people: Array<{ x: number; y: number; score: number; cx: number; cy: number }>;
      hands: Array<{ x: number; y: number }>;
    }> = [];
    if (this.detector.kind === 'heatmap') {
      const plane = 3 * width * height;
      if (this.batch.length < known.length * plane) this.batch = new Float32Array(known.length * plane);
      for (const [i, rgb] of rgbs.entries()) writeNchw(rgb, this.input, this.batch, i);
      const results = await this.detector.model.detect(this.batch, known.length);
      known.forEach((frame, i) => {
        const camera = this.cameras.get(frame.camera) as Camera;
        const r = results[i] ?? { people: [], hands: [] };
        const sx = camera.imageWidth / width;
        const sy = camera.imageHeight / height;
        perFrame.push({
          people: r.people.map((p) => ({
            ...projectToFloor(camera.homography, p.x * sx, p.y * sy),
            score: p.score,
            cx: p.x,
            cy: p.y,
          })),
          hands: r.hands.map((h) => projectToFloor(camera.homography, h.x * sx, h.y * sy)),
        });
      });
    } else {
      const yolo = this.detector.model;
      for (const frame of known) {
        const camera = this.cameras.get(frame.camera) as Camera;
        const boxes = await yolo.detect(
          await yolo.prepare(frame.jpeg),
          camera.imageWidth,
          camera.imageHeight,
        );
        perFrame.push({
          people: boxes.map((b) => ({
            ...projectToFloor(camera.homography, b.cx, b.cy),
            score: b.score,
            cx: (b.cx * width) / camera.imageWidth,
            cy: (b.cy * height) / camera.imageHeight,
          })),
          hands: [],
        });
      }
    }
    const detections: FloorDetection[] = [];
    const cropOf: Array<{ rgb: Buffer; cx: number; cy: number }> = [];
    known.forEach((frame, i) => {
      const found = perFrame[i] ?? { people: [], hands: [] };
      const hands = found.hands;
      const people = found.people.filter((p) => !insideFixture(this.shelves, p.x, p.y));
      const own = people.map((p) => ({
        camera: frame.camera,
        x: p.x,
        y: p.y,
        score: p.score,
        embedding: undefined as Float32Array | undefined,
        hands: [] as Array<{ x: number; y: number }>,
      }));
      for (const h of hands) {
        let best: (typeof own)[number] | undefined;
        let bestD = HAND_REACH_M;
        for (const p of own) {
          const d = Math.hypot(p.x - h.x, p.y - h.y);
          if (d < bestD) {
            bestD = d;
            best = p;
          }
        }
        best?.hands.push(h);
      }
      people.forEach((p) => {
        cropOf.push({ rgb: rgbs[i] as Buffer, cx: p.cx, cy: p.cy });
      });
      detections.push(...own);
    });
    if (this.embedder !== undefined && detections.length > 0) {
      const c = this.embedder.crop;
      if (this.crops.length < detections.length * 3 * c * c)
        this.crops = new Float32Array(detections.length * 3 * c * c);
      for (const [i, k] of cropOf.entries()) writeCrop(k.rgb, this.input, k.cx, k.cy, c, this.crops, i);
      const embs = await this.embedder.embed(this.crops, detections.length);
      detections.forEach((d, i) => {
        d.embedding = embs[i];
      });
    }
    return detections;
  }
}
