// One inference step over the latest frame of several cameras: decode and resize with sharp (in parallel),
// batched detector runs that start while later frames still decode, heatmap peaks → floor through each
// camera's homography, hands given to their owner (`hand-owner.ts`: the person the detector's owner point
// lands on, or the nearest without that output), one batched embedder run over person crops.
// Gives floor detections for the tracker. With a motion gate, frames of cameras where nothing moved since the
// detector last found nobody skip the detector (and report nobody).
// "People" standing inside a shelf are the shelf and are dropped.

import { imageToFloor } from '../../shared/camera-projection.ts';
import type { Camera, Shelf } from '../../shared/store-config.ts';
import type { FloorDetection, FloorHand } from '../tracking/camera-fusion.ts';
import type { ArmOwnerModel } from './arm-owner.ts';
import { insideFixture } from './fixture-mask.ts';
import { decodeToRgb, type InputSize, writeCrop, writeNchw } from './frame-prep.ts';
import { assignHands, HAND_OWNER_DEFAULTS, type HandOwnerSettings, type SeenHand } from './hand-owner.ts';
import type { MotionGate } from './motion-gate.ts';
import type { AppearanceEmbedder, HeatmapDetector } from './onnx-models.ts';
import type { YoloDetector } from './yolo-detector.ts';
import { personPixels, type YoloPeopleSettings } from './yolo-people.ts';

export interface CameraFrame {
  camera: string;
  captureTs: number;
  /** The camera's frame number (its frame header): a vision worker passes it on with the detections. */
  seq?: number;
  jpeg: Buffer;
  /** performance.now() when the edge received it (latency accounting). */
  receivedAt?: number;
}

/**
 * Frames per detector run: the detector works on the first frames while sharp still decodes the others.
 * Measured on 100 steps of 12 cameras (scenario 08, 2 cores, 1 inference thread): one run of 12 took
 * 67 ms a step, chunks of 2, 3 and 4 took 57–60 ms (3 best), chunks of 1 paid for the extra runs.
 */
const DETECTOR_CHUNK_FRAMES = 3;

/** One frame's people (floor metres, with their centre in input pixels for the crop) and hands. */
interface FramePeople {
  people: Array<{ x: number; y: number; score: number; cx: number; cy: number }>;
  hands: SeenHand[];
  /** With a motion gate: the frame's block means, when the detector ran on it (the gate learns from it). */
  inferred?: Float32Array;
}

/** One frame's floor detections, and whether the detector ran on it (false: the motion gate skipped it). */
export interface FrameResult {
  frame: CameraFrame;
  detections: FloorDetection[];
  inferred: boolean;
}

const NOBODY: FramePeople = { people: [], hands: [] };

export type Detector =
  /** arm: the arm-owner model, which gives each hand its owner point from a sharper look (arm-owner.ts). */
  | { kind: 'heatmap'; model: HeatmapDetector; arm?: ArmOwnerModel | undefined }
  | { kind: 'yolo'; model: YoloDetector; people: YoloPeopleSettings };

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
    /** Skips the detector on frames where nothing moved (undefined: every frame is inferred). */
    private readonly gate: MotionGate | undefined = undefined,
    private readonly handOwner: HandOwnerSettings = HAND_OWNER_DEFAULTS,
  ) {
    this.cameras = new Map(cameras.map((c) => [c.id, c]));
  }

  /** A camera was calibrated again: its projection from the next frame on. */
  setCamera(camera: Camera): void {
    if (this.cameras.has(camera.id)) this.cameras.set(camera.id, camera);
  }

  async process(frames: readonly CameraFrame[]): Promise<FloorDetection[]> {
    return (await this.processEach(frames)).flatMap((f) => f.detections);
  }

  /**
   * The same per frame: each frame of a known camera with its people, and whether the detector ran on it
   * (false: the motion gate skipped it). Frames of cameras not in the store are left out.
   */
  async processEach(frames: readonly CameraFrame[]): Promise<FrameResult[]> {
    const known = frames.filter((f) => this.cameras.has(f.camera));
    if (known.length === 0) return [];
    // every frame starts decoding at once (sharp decodes in libuv's threads), and the detector runs on the
    // first frames while the rest are still decoding
    const decoding = known.map((f) => decodeToRgb(f.jpeg, this.input));
    // a failed decode is thrown where its frame is awaited; don't let the ones never awaited go unhandled
    for (const d of decoding) d.catch(() => {});
    const perFrame =
      this.detector.kind === 'heatmap'
        ? await this.detectHeatmaps(this.detector.model, this.detector.arm, known, decoding)
        : await this.detectYolo(this.detector.model, this.detector.people, known, decoding);
    const rgbs = await Promise.all(decoding);
    const detections: FloorDetection[] = [];
    const results: FrameResult[] = [];
    const cropOf: Array<{ rgb: Buffer; cx: number; cy: number }> = [];
    known.forEach((frame, i) => {
      const found = perFrame[i] ?? { people: [], hands: [] };
      const hands = found.hands;
      const people = found.people.filter((p) => !insideFixture(this.shelves, p.x, p.y));
      if (found.inferred !== undefined)
        this.gate?.inferred(frame.camera, frame.captureTs, found.inferred, people.length);
      const own = people.map((p) => ({
        camera: frame.camera,
        x: p.x,
        y: p.y,
        score: p.score,
        embedding: undefined as Float32Array | undefined,
        hands: [] as FloorHand[],
      }));
      assignHands(people, hands, this.handOwner).forEach((owners, k) => {
        const h = hands[k] as SeenHand;
        const hand: FloorHand = { x: h.x, y: h.y };
        if (owners.confidence !== undefined) hand.ownerConfidence = owners.confidence;
        // the tracker's fusion lets every camera that saw this hand vote on its owner with it
        if (h.owner !== undefined) hand.owner = { x: h.owner.x, y: h.owner.y };
        if (h.ownerSure !== undefined) hand.ownerSure = h.ownerSure;
        if (h.ownerBeforeMove !== undefined) hand.ownerBeforeMove = { ...h.ownerBeforeMove };
        for (const i of owners.people) own[i]?.hands.push(hand);
      });
      people.forEach((p) => {
        cropOf.push({ rgb: rgbs[i] as Buffer, cx: p.cx, cy: p.cy });
      });
      detections.push(...own);
      results.push({ frame, detections: own, inferred: found !== NOBODY });
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
    return results;
  }

  /**
   * The heatmap detector over the frames in chunks of DETECTOR_CHUNK_FRAMES, each as soon as its frames are
   * decoded. Chunking does not change a bit: the detector computes every frame of a batch on its own
   * (test/unit/simulators/vision/render-golden.test.ts checks that, and the detections against recorded ones).
   */
  private async detectHeatmaps(
    model: HeatmapDetector,
    arm: ArmOwnerModel | undefined,
    known: readonly CameraFrame[],
    decoding: ReadonlyArray<Promise<Buffer>>,
  ): Promise<FramePeople[]> {
    const { width, height } = this.input;
    const plane = 3 * width * height;
    const perFrame: FramePeople[] = [];
    for (let from = 0; from < known.length; from += DETECTOR_CHUNK_FRAMES) {
      const chunk = known.slice(from, from + DETECTOR_CHUNK_FRAMES);
      const rgbs = await Promise.all(decoding.slice(from, from + chunk.length));
      const blocks = chunk.map((frame, i) => this.gateBlocks(frame, rgbs[i] as Buffer));
      // the frames the gate lets through, by their place in the batch
      const batched = chunk.flatMap((_, i) => (blocks[i] === null ? [] : [i]));
      if (this.batch.length < batched.length * plane) this.batch = new Float32Array(batched.length * plane);
      for (const [k, i] of batched.entries()) writeNchw(rgbs[i] as Buffer, this.input, this.batch, k);
      const results = batched.length === 0 ? [] : await model.detect(this.batch, batched.length);
      if (arm !== undefined)
        await arm.ownHands(
          batched.map((i, k) => ({ jpeg: (chunk[i] as CameraFrame).jpeg, hands: results[k]?.hands ?? [] })),
          this.input,
        );
      chunk.forEach((frame, i) => {
        const gated = blocks[i];
        if (gated === null) {
          perFrame.push(NOBODY);
          return;
        }
        const camera = this.cameras.get(frame.camera) as Camera;
        const r = results[batched.indexOf(i)] ?? { people: [], hands: [] };
        const sx = camera.imageWidth / width;
        const sy = camera.imageHeight / height;
        const toFloor = (p: { x: number; y: number }) => imageToFloor(camera, p.x * sx, p.y * sy);
        perFrame.push({
          people: r.people.map((p) => ({
            ...toFloor(p),
            score: p.score,
            cx: p.x,
            cy: p.y,
          })),
          hands: r.hands.map((h) => ({
            ...toFloor(h),
            ...(h.owner === undefined ? {} : { owner: toFloor(h.owner) }),
            ...(h.ownerSure === undefined ? {} : { ownerSure: h.ownerSure }),
            ...(h.ownerBeforeMove === undefined ? {} : { ownerBeforeMove: toFloor(h.ownerBeforeMove) }),
          })),
          ...(gated === undefined ? {} : { inferred: gated }),
        });
      });
    }
    return perFrame;
  }

  /**
   * The motion gate's view of a frame: null when the detector may skip it, its block means when it must run
   * (the gate learns from them afterwards), undefined without a gate.
   */
  private gateBlocks(frame: CameraFrame, rgb: Uint8Array): Float32Array | null | undefined {
    if (this.gate === undefined) return undefined;
    const blocks = this.gate.blockMeans(rgb);
    return this.gate.canSkip(frame.camera, frame.captureTs, blocks) ? null : blocks;
  }

  /**
   * YOLO people stand where personPixels says (ankles, else the declared box point); a pose model's wrists
   * are hands whose owner point is their person's, so each goes to the person it belongs to.
   */
  private async detectYolo(
    yolo: YoloDetector,
    settings: YoloPeopleSettings,
    known: readonly CameraFrame[],
    decoding: ReadonlyArray<Promise<Buffer>>,
  ): Promise<FramePeople[]> {
    const { width, height } = this.input;
    const perFrame: FramePeople[] = [];
    for (const [i, frame] of known.entries()) {
      const gated =
        this.gate === undefined ? undefined : this.gateBlocks(frame, await (decoding[i] as Promise<Buffer>));
      if (gated === null) {
        perFrame.push(NOBODY);
        continue;
      }
      const camera = this.cameras.get(frame.camera) as Camera;
      const found = await yolo.detect(await yolo.prepare(frame.jpeg), camera.imageWidth, camera.imageHeight);
      const people: FramePeople['people'] = [];
      const hands: SeenHand[] = [];
      for (const person of found) {
        const { feet, hands: wrists } = personPixels(person, settings);
        const floor = imageToFloor(camera, feet.x, feet.y);
        people.push({
          ...floor,
          score: person.score,
          cx: (person.cx * width) / camera.imageWidth,
          cy: (person.cy * height) / camera.imageHeight,
        });
        for (const w of wrists) hands.push({ ...imageToFloor(camera, w.x, w.y), owner: floor });
      }
      perFrame.push({
        people,
        hands,
        ...(gated === undefined ? {} : { inferred: gated }),
      });
    }
    return perFrame;
  }
}
