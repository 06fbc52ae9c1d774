// The vision models as onnxruntime-node sessions: tuned session options, batched runs, and the shapes the
// edge relies on checked once at load. Models are local files only; nothing is ever downloaded.
import { existsSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { InputSize } from './frame-prep.ts';
import { decodeHeatmap, type Peak } from './heatmap-decode.ts';
import { DETECTOR_THRESHOLDS } from './vision-defaults.ts';

export interface SessionTuning {
  /** Threads one inference may use (the machine's cores minus what decoding needs). */
  intraOpThreads: number;
}

export class ModelLoadError extends Error {
  readonly code = 'MODEL_LOAD_FAILED';
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`cannot load model ${path}: ${reason}`);
  }
}

export async function openSession(path: string, tuning: SessionTuning): Promise<ort.InferenceSession> {
  if (!existsSync(path)) throw new ModelLoadError(path, 'file not found (run npm run models:build?)');
  try {
    return await ort.InferenceSession.create(path, {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      intraOpNumThreads: tuning.intraOpThreads,
      interOpNumThreads: 1,
      enableCpuMemArena: true,
      enableMemPattern: true,
    });
  } catch (err) {
    throw new ModelLoadError(path, (err as Error).message);
  }
}

export interface HandPeak extends Peak {
  /** Where the hand's owner's body centre is, model-input pixels (models with a `hand_owner` output). */
  owner?: { x: number; y: number };
  /**
   * 0–1: how sure the arm-owner model is of that owner point (arm-owner.ts; absent without it, when the
   * detector's own owner point is used).
   */
  ownerSure?: number;
  /**
   * For a hand the arm-owner model moved out to where its arm ends: the owner point it gave from the patch at
   * the detector's place (model-input pixels); `owner` is then the one from the patch at the arm's end.
   */
  ownerBeforeMove?: { x: number; y: number };
}

export interface FrameDetections {
  /** People centres and extended hands in model-input pixels. */
  people: Peak[];
  hands: HandPeak[];
}

/**
 * The shipped Walkout detector: input images [N,3,H,W] in [0,1], output heatmaps [N,2,H/s,W/s] (person
 * centre, extended hand) and, in newer models, hand_owner [N,2,H/s,W/s]: at a hand's cell (i, j), the offset
 * (dx, dy) in input pixels from the cell's pixel (j·s, i·s) to the centre of the body the hand belongs to.
 * Older models without it still load: their hands come without an owner.
 */
export class HeatmapDetector {
  private stride: number | undefined;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly input: InputSize,
    readonly thresholds: { person: number; hand: number },
  ) {}

  static async open(
    path: string,
    input: InputSize,
    tuning: SessionTuning,
    thresholds: { person: number; hand: number } = DETECTOR_THRESHOLDS,
  ): Promise<HeatmapDetector> {
    return new HeatmapDetector(await openSession(path, tuning), input, thresholds);
  }

  /** Input pixels per heatmap cell (the model's stride), known once it has run. */
  get cellPx(): number | undefined {
    return this.stride;
  }

  /** True when the model gives each hand's owner (a `hand_owner` output). */
  get ownsHands(): boolean {
    return this.session.outputNames.includes('hand_owner');
  }

  /** Runs `count` frames stored NCHW in `batch`. */
  async detect(batch: Float32Array, count: number): Promise<FrameDetections[]> {
    const { width, height } = this.input;
    const images = new ort.Tensor('float32', batch.subarray(0, count * 3 * width * height), [
      count,
      3,
      height,
      width,
    ]);
    const out = await this.session.run({ images });
    const heat = out.heatmaps;
    if (heat === undefined || heat.dims.length !== 4)
      throw new Error('detector output has no heatmaps [N,2,h,w]');
    const [, channels = 0, h = 0, w = 0] = heat.dims;
    if (channels < 2) throw new Error(`detector gives ${channels} heatmaps, expected person and hand`);
    const data = heat.data as Float32Array;
    const stride = width / w;
    this.stride = stride;
    const owner = out.hand_owner;
    const ownerData =
      owner !== undefined && owner.dims[1] === 2 && owner.dims[2] === h && owner.dims[3] === w
        ? (owner.data as Float32Array)
        : undefined;
    const results: FrameDetections[] = [];
    for (let i = 0; i < count; i++) {
      const base = i * channels * h * w;
      const hands: HandPeak[] = decodeHeatmap(data, base + h * w, w, h, stride, this.thresholds.hand);
      if (ownerData !== undefined) {
        const ownerBase = i * 2 * h * w;
        for (const hand of hands) {
          // the offset is read at the peak's cell; every cell near a hand points at the same owner
          const cx = Math.min(w - 1, Math.max(0, Math.round(hand.x / stride)));
          const cy = Math.min(h - 1, Math.max(0, Math.round(hand.y / stride)));
          const cell = cy * w + cx;
          hand.owner = {
            x: cx * stride + (ownerData[ownerBase + cell] as number),
            y: cy * stride + (ownerData[ownerBase + h * w + cell] as number),
          };
        }
      }
      results.push({ people: decodeHeatmap(data, base, w, h, stride, this.thresholds.person), hands });
    }
    heat.dispose();
    owner?.dispose();
    return results;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** The appearance embedding: crops [N,3,C,C] in [0,1] → L2-normalised embeddings [N,D]. */
export class AppearanceEmbedder {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly crop: number,
  ) {}

  static async open(path: string, crop: number, tuning: SessionTuning): Promise<AppearanceEmbedder> {
    return new AppearanceEmbedder(await openSession(path, tuning), crop);
  }

  async embed(crops: Float32Array, count: number): Promise<Float32Array[]> {
    if (count === 0) return [];
    const c = this.crop;
    const input = new ort.Tensor('float32', crops.subarray(0, count * 3 * c * c), [count, 3, c, c]);
    const out = await this.session.run({ crops: input });
    const emb = out.embeddings;
    if (emb === undefined || emb.dims.length !== 2)
      throw new Error('embedder output has no embeddings [N,D]');
    const d = emb.dims[1] ?? 0;
    const data = emb.data as Float32Array;
    const result = Array.from({ length: count }, (_, i) => data.slice(i * d, (i + 1) * d));
    emb.dispose();
    return result;
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
