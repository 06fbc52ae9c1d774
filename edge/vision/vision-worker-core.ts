// What a vision worker does, wherever it runs (a process on the broker's shared subscription, or a thread
// inside the edge): camera frames into a latest-wins slot per camera, decode + detection + embedding over
// whatever is waiting as one batch, one FrameDetections message per frame out. No tracking: the edge's one
// tracker consumes the messages. Never backs up: a frame overtaken by its camera's next one is dropped, counted.
import type { Logger } from 'pino';
import { decodeFrame } from '../../shared/frame-codec.ts';
import type { FrameDetections } from '../../shared/schemas/frame-detections.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import { toFrameDetections } from './frame-detections-codec.ts';
import type { CameraFrame } from './frame-pipeline.ts';
import { LatestFrameQueue } from './frame-queue.ts';
import { MotionGate } from './motion-gate.ts';
import { type OpenedPipeline, openFramePipeline } from './open-pipeline.ts';
import type { VisionConfig } from './vision-config.ts';
import { DETECTOR_INPUT } from './vision-defaults.ts';

export interface VisionWorkerCoreOptions {
  store: StoreConfig;
  config: VisionConfig;
  /** The worker's name in its messages (its broker username, or `thread-<n>`). */
  worker: string;
  /** Each inferred frame's detections, as soon as its batch is done. */
  emit: (message: FrameDetections) => void;
  logger: Logger;
}

export interface VisionWorkerStats {
  /** Frames taken in (valid, of a known camera). */
  received: number;
  /** Frames inferred or skipped by the motion gate, with a message out. */
  processed: number;
  /** Frames overtaken by their camera's next frame before this worker got to them. */
  dropped: number;
  /** Frames refused: not a frame, or a camera the store does not have. */
  rejected: number;
  /** Batches that failed (their frames are lost; logged). */
  failedBatches: number;
}

export class VisionWorkerCore {
  private readonly queue = new LatestFrameQueue<CameraFrame>();
  private opened: OpenedPipeline | undefined;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly counts: VisionWorkerStats = {
    received: 0,
    processed: 0,
    dropped: 0,
    rejected: 0,
    failedBatches: 0,
  };
  /** by camera id */
  private readonly known: Set<string>;

  constructor(private readonly options: VisionWorkerCoreOptions) {
    this.known = new Set(options.store.cameras.map((c) => c.id));
  }

  get stats(): VisionWorkerStats {
    return { ...this.counts, dropped: this.queue.dropped };
  }

  async start(): Promise<void> {
    const { store, config } = this.options;
    // each worker keeps its own motion gate: it compares a camera's frame with the last one it inferred itself
    const gate = new MotionGate(config.motionGate, DETECTOR_INPUT, store.cameras, store.shelves);
    this.opened = await openFramePipeline(store, config, gate);
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.queue.wake();
    await this.loop;
    this.loop = undefined;
    await this.opened?.release();
    this.opened = undefined;
  }

  /** A frame in its wire format (shared/frame-codec.ts) from `camera`; bad ones are counted, never thrown. */
  ingest(payload: Buffer, camera: string): void {
    if (!this.running) return;
    if (!this.known.has(camera)) {
      this.counts.rejected++;
      return;
    }
    let frame: ReturnType<typeof decodeFrame>;
    try {
      frame = decodeFrame(payload);
    } catch {
      this.counts.rejected++;
      return;
    }
    this.counts.received++;
    this.queue.put(camera, { camera, captureTs: frame.captureTs, seq: frame.seq, jpeg: frame.jpeg });
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.queue.whenReady();
      if (!this.running) break;
      const frames = this.queue.takeAll();
      if (frames.length > 0) await this.step(frames);
    }
  }

  private async step(frames: CameraFrame[]): Promise<void> {
    const { pipeline } = this.opened ?? {};
    if (pipeline === undefined) return;
    try {
      for (const result of await pipeline.processEach(frames)) {
        this.counts.processed++;
        this.options.emit(toFrameDetections(result, this.options.worker));
      }
    } catch (err) {
      this.counts.failedBatches++;
      this.options.logger.error({ err, frames: frames.length }, 'vision batch failed; its frames are lost');
    }
  }
}
