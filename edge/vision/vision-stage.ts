// Vision stage (I/O shell): camera frames from MQTT into a bounded queue per camera, gathered into steps of
// every camera's view of a moment (step-gathering.ts), batched inference, the floor tracker, tracks published
// on edge/tracks several times a second. Sessions come from the gate: entered() binds the people coming through
// next, exits end tracks. Never backs up: stale frames are dropped.
// A motion gate skips the detector on cameras where nothing moved since it last found nobody.
// Where frames are inferred is the config's `workers`: `in-process` (here, on the edge's thread), `threads`
// (vision workers as worker_threads of the edge) or `broker` (vision worker processes on the broker's shared
// subscription, anywhere on the store network); the last two send per-frame detections that this stage tracks,
// and report cameras whose detections stopped.

import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { cameraOutline } from '../../shared/camera-coverage.ts';
import type { Clock } from '../../shared/clock.ts';
import { decodeFrame } from '../../shared/frame-codec.ts';
import { round3 } from '../../shared/round.ts';
import type { FrameDetections } from '../../shared/schemas/frame-detections.ts';
import type { TrackMessage, TrackUpdate } from '../../shared/schemas/track.ts';
import type { Camera, StoreConfig } from '../../shared/store-config.ts';
import { type CancelTimer, systemTimers, type Timers } from '../../shared/timers.ts';
import type { FloorDetection } from '../tracking/camera-fusion.ts';
import { GateBinder, type Tailgating } from '../tracking/gate-binder.ts';
import { lastSwapDoubtTs } from '../tracking/identity-confidence.ts';
import { type Track, Tracker } from '../tracking/tracker.ts';
import { DETECTION_INTAKE_DEFAULTS, DetectionIntake, type StallChange } from './detection-intake.ts';
import { EmbeddingDecodeError, fromFrameDetections } from './frame-detections-codec.ts';
import type { CameraFrame, FramePipeline } from './frame-pipeline.ts';
import { StepFrameQueue } from './frame-queue.ts';
import { MotionGate } from './motion-gate.ts';
import { openFramePipeline } from './open-pipeline.ts';
import { StepGathering } from './step-gathering.ts';
import { TAILGATING_ALERT_MS } from './tailgating-alert.ts';
import { type VisionConfig, VisionConfigError } from './vision-config.ts';
import { DETECTOR_INPUT } from './vision-defaults.ts';
import { VisionThreads } from './vision-threads.ts';

/** A frame a tracker step used (its detections came from here or from a worker). */
export type StepFrame = Pick<CameraFrame, 'camera' | 'captureTs' | 'receivedAt'>;

export interface VisionStageOptions {
  store: StoreConfig;
  config: VisionConfig;
  logger: Logger;
  clock: Clock;
  publish: (update: TrackUpdate) => void;
  /** Registry to add walkout_vision_* metrics to. */
  registry?: Registry;
  /** Called with every camera frame as it arrives, before any is dropped (the floor view's frame archive). */
  onFrame?: (camera: string, captureTs: number, jpeg: Buffer) => void;
  /** Called after each step with the frames it processed (benchmarks measure latency with it). */
  onStep?: (frames: readonly StepFrame[]) => void;
  /** Every step's tracks (confirmed, lost ones left out) and the cameras it used: fusion looks back on them. */
  observe?: (step: { ts: number; tracks: TrackMessage[]; cameras: string[] }) => void;
  /**
   * More people came in through an entry gate than its scan admitted (or someone came in on no scan):
   * `raised` when seen, `cleared` `tailgatingClearMs` of capture time later.
   */
  onTailgating?: (change: { state: 'raised' | 'cleared'; event: Tailgating }) => void;
  tailgatingClearMs?: number;
  /**
   * `continuous` (a store): a loop infers the queued frames as fast as it can, each step one frame of every camera
   * sending (waiting at most about a frame period for the last of them). `on-demand` (a lockstep
   * evaluation): nothing runs until `processQueued()`, which takes every queued frame as one step, so the batches
   * do not depend on how fast this machine is.
   */
  stepping?: 'continuous' | 'on-demand';
  /** Timers for the stalled-camera watch (worker modes); real ones by default. */
  timers?: Timers;
  /** Worker modes: a camera's detections stopped for `stalledAfterMs` (`raised`) or came back (`cleared`). */
  onCameraStalled?: (change: StallChange) => void;
}

/**
 * The moments the track may have changed person (its open swap doubts) and did (swaps its looks showed, marked
 * `swapped`), oldest first, and the latest of them.
 */
function identityDoubtsOf(t: Track): Pick<TrackMessage, 'identityDoubts' | 'identityDoubtTs'> {
  const doubts: NonNullable<TrackMessage['identityDoubts']> = [
    ...t.swapDoubts.map((d) => ({
      ts: d.ts,
      ...(d.with === undefined ? {} : { with: d.with }),
      since: d.since,
    })),
    ...t.swapsShown.map((d) => ({ ts: d.ts, with: d.with, since: d.since, swapped: true as const })),
  ].sort((a, b) => a.ts - b.ts);
  const latest = lastSwapDoubtTs(t);
  return {
    ...(latest === undefined ? {} : { identityDoubtTs: latest }),
    ...(doubts.length === 0 ? {} : { identityDoubts: doubts }),
  };
}

export function toTrackMessage(t: Track): TrackMessage {
  const unseenS = Math.max(0, (t.lastTs - t.lastSeenTs) / 1000);
  return {
    id: t.id,
    sessionId: t.sessionId,
    state: t.state,
    x: round3(t.x.p),
    y: round3(t.y.p),
    vx: round3(t.x.v),
    vy: round3(t.y.v),
    hands: t.hands.slice(0, 4).map((h) => ({
      x: round3(h.x),
      y: round3(h.y),
      ...(h.ownerConfidence === undefined ? {} : { ownerConfidence: round3(h.ownerConfidence) }),
    })),
    ...(t.phantom ? { phantom: true as const } : {}),
    confidence: round3(Math.min(1, t.hits / 5) * Math.exp(-unseenS / 3)),
    identityConfidence: round3(t.identityConfidence),
    ...(t.identityCeiling < 1 ? { identityCeiling: round3(t.identityCeiling) } : {}),
    ...identityDoubtsOf(t),
    ...(t.everInDoubt ? { identityEverDoubted: true as const } : {}),
    lastSeenTs: t.lastSeenTs,
    ...(t.exitGate === undefined ? {} : { exitGate: t.exitGate }),
  };
}

export class VisionStage {
  private readonly queue: StepFrameQueue<CameraFrame>;
  /** Continuous stepping and worker modes: when what waits makes a whole step (every camera's view of a moment). */
  private readonly gathering = new StepGathering();
  private readonly binder: GateBinder;
  private readonly tracker: Tracker;
  private pipeline: FramePipeline | undefined;
  private readonly gate: MotionGate;
  /** Worker modes: detections waiting for the tracker, frame accounting, the stalled-camera watch. */
  private intake: DetectionIntake | undefined;
  private threads: VisionThreads | undefined;
  private cancelWatch: CancelTimer | undefined;
  private wakeTracking: (() => void) | undefined;
  /** Worker modes: when the oldest detections waiting for the tracker arrived (ms, performance clock). */
  private firstPendingAt: number | undefined;
  /** by camera id: the store's cameras (a worker's message must name one) */
  private readonly knownCameras: Set<string>;
  /** Worker modes: frames the workers inferred and frames their motion gates skipped. */
  private readonly workerCounts = { inferred: 0, skipped: 0 };
  /** The store's cameras as projected now (recalibrated ones replaced). */
  private cameras: Camera[];
  private release: Array<() => Promise<void>> = [];
  private running = false;
  private loop: Promise<void> | undefined;
  private lastPublish = 0;
  private lastTs = 0;
  private readonly metrics;
  /** Tailgating reported and not yet cleared, oldest first. */
  private tailgating: Tailgating[] = [];

  constructor(private readonly options: VisionStageOptions) {
    const { store } = options;
    this.knownCameras = new Set(store.cameras.map((c) => c.id));
    // the wait is on the wall clock the frames arrive by (performance.now), whatever clock the store runs on
    this.queue = new StepFrameQueue(systemTimers);
    this.cameras = [...store.cameras];
    this.binder = new GateBinder(store.gates.map((g) => ({ id: g.id, kind: g.kind, ...g.position })));
    this.tracker = new Tracker(
      store.cameras.map((c) => cameraOutline(c)),
      this.binder,
    );
    this.gate = new MotionGate(
      options.config.motionGate,
      DETECTOR_INPUT,
      options.store.cameras,
      options.store.shelves,
    );
    const registers = options.registry === undefined ? [] : [options.registry];
    this.metrics = {
      frames: new Counter({
        name: 'walkout_vision_frames_total',
        help: 'Camera frames processed (inferred, or skipped by the motion gate)',
        registers,
      }),
      skipped: new Counter({
        name: 'walkout_vision_frames_skipped_total',
        help: 'Camera frames the motion gate kept from the detector (nothing moved since it found nobody)',
        registers,
      }),
      dropped: new Gauge({
        name: 'walkout_vision_frames_dropped',
        help: 'Frames dropped (inference behind)',
        registers,
      }),
      latency: new Histogram({
        name: 'walkout_vision_step_seconds',
        help: 'Decode + infer + track time per step',
        buckets: [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5],
        registers,
      }),
      tracks: new Gauge({ name: 'walkout_vision_tracks', help: 'Live confirmed tracks', registers }),
      rejected: new Counter({
        name: 'walkout_vision_detections_rejected_total',
        help: 'Detection messages from vision workers refused (camera not in the topic or the store, bad embedding)',
        registers,
      }),
      late: new Gauge({
        name: 'walkout_vision_detections_late',
        help: 'Frames whose detections came from a worker too late to track',
        registers,
      }),
    };
  }

  /** MQTT handler for camera/{camera}/frame (the payload was validated by the link). */
  ingest(payload: Buffer, camera: string | undefined): void {
    if (camera === undefined || !this.running) return;
    const frame = decodeFrame(payload);
    this.options.onFrame?.(camera, frame.captureTs, frame.jpeg);
    if (this.threads !== undefined) this.threads.dispatch(payload, camera);
    else if (this.options.config.workers === 'in-process') {
      const receivedAt = performance.now();
      this.gathering.heard(camera, receivedAt);
      this.queue.put(
        camera,
        { camera, captureTs: frame.captureTs, seq: frame.seq, jpeg: frame.jpeg, receivedAt },
        receivedAt,
      );
    }
  }

  /**
   * MQTT handler for vision/{camera}/detections (broker workers; validated by the link): the message must
   * name the camera its topic names, and a camera of the store.
   */
  ingestDetections(message: FrameDetections, camera: string | undefined): void {
    if (!this.running || this.intake === undefined) return;
    if (camera !== message.camera || !this.knownCameras.has(camera)) {
      this.metrics.rejected.inc();
      return;
    }
    this.acceptDetections(message);
  }

  private acceptDetections(message: FrameDetections): void {
    if (this.intake === undefined) return;
    this.intake.add(message, this.options.clock.now());
    const at = performance.now();
    this.gathering.heard(message.camera, at);
    this.firstPendingAt ??= at;
    const counts = this.workerCounts;
    if (message.inferred) counts.inferred++;
    else counts.skipped++;
    this.wakeTrackingLoop();
  }

  private wakeTrackingLoop(): void {
    const wake = this.wakeTracking;
    this.wakeTracking = undefined;
    wake?.();
  }

  /** A session opened at an entry gate: the next `party` people through it are its shoppers. */
  entered(sessionId: string, gate: string, party: number, scanTs: number): void {
    this.binder.entered(sessionId, gate, party, scanTs);
  }

  /** True when detections come from vision worker processes over the broker (`workers: broker`). */
  get takesWorkerDetections(): boolean {
    return this.options.config.workers === 'broker';
  }

  /** Frames no detections came for: dropped behind here, or (worker modes) never inferred or too late. */
  /**
   * A camera was calibrated (the floor view): detections, the motion gate's shelf mask and the tracker's
   * view of where it looks use the new projection from the next step on.
   */
  recalibrate(camera: Camera): void {
    this.cameras = this.cameras.map((c) => (c.id === camera.id ? camera : c));
    this.pipeline?.setCamera(camera);
    this.gate.setCamera(camera);
    this.tracker.setOutline(cameraOutline(camera));
  }

  get droppedFrames(): number {
    if (this.intake === undefined) return this.queue.dropped;
    return this.intake.lostFrames + this.intake.lateFrames;
  }

  /** Frames the detector ran on and frames the motion gate skipped, since start. */
  get frameCounts(): { inferred: number; skipped: number } {
    return this.intake === undefined ? { ...this.gate.counts } : { ...this.workerCounts };
  }

  async start(): Promise<void> {
    const { config, store, stepping, clock } = this.options;
    if (config.workers === 'in-process') {
      const opened = await openFramePipeline({ ...store, cameras: this.cameras }, config, this.gate);
      this.pipeline = opened.pipeline;
      this.release.push(() => opened.release());
    } else {
      if (stepping === 'on-demand')
        throw new VisionConfigError(
          `a lockstep run infers in the edge: set VISION_WORKERS=in-process (not ${config.workers})`,
        );
      this.intake = new DetectionIntake(
        store.cameras.map((c) => c.id),
        clock.now(),
        {
          ...DETECTION_INTAKE_DEFAULTS,
          stalledAfterMs: config.stalledAfterMs,
        },
      );
      if (config.workers === 'threads') await this.startThreads();
      const timers = this.options.timers ?? systemTimers;
      this.cancelWatch = timers.every(1000, () => this.watchStalls());
    }
    this.running = true;
    if (config.workers !== 'in-process') this.loop = this.runTracking();
    else if (stepping !== 'on-demand') this.loop = this.run();
    this.options.logger.info(
      { detector: config.detector, cameras: store.cameras.length, workers: config.workers },
      'vision started',
    );
  }

  private async startThreads(): Promise<void> {
    const { config, store, logger } = this.options;
    const threads = new VisionThreads({
      store,
      config,
      threads: config.workerThreads,
      emit: (message) => this.acceptDetections(message),
      timers: this.options.timers ?? systemTimers,
      logger,
    });
    this.threads = threads;
    this.release.push(async () => {
      await threads.stop();
      this.threads = undefined;
    });
    await threads.start();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.queue.wake();
    this.wakeTrackingLoop();
    this.cancelWatch?.();
    this.cancelWatch = undefined;
    await this.loop;
    for (const release of this.release) await release();
    this.release = [];
  }

  /** On-demand stepping: infers and tracks every queued frame now, as one step in capture order. */
  async processQueued(): Promise<void> {
    if (!this.running) return;
    const frames = this.queue
      .takeLatest()
      .sort((a, b) => a.captureTs - b.captureTs || a.camera.localeCompare(b.camera));
    if (frames.length > 0) await this.step(frames);
  }

  private async run(): Promise<void> {
    while (this.running) {
      await this.queue.whenReady();
      await this.gatherStep();
      if (!this.running) break;
      const frames = this.queue.takeStep();
      if (frames.length > 0) await this.step(frames);
    }
  }

  /** Waits until the frames waiting make a whole step (`step-gathering.ts`), at most about a frame period. */
  private async gatherStep(): Promise<void> {
    while (this.running) {
      const first = this.queue.firstArrivedAt;
      if (first === undefined) return;
      const left = this.gathering.waitLeft(this.queue.counts(), first, performance.now());
      if (left <= 0) return;
      await this.queue.whenPut(left);
    }
  }

  private async step(frames: CameraFrame[]): Promise<void> {
    if (this.pipeline === undefined) return;
    const started = performance.now();
    try {
      const skippedBefore = this.gate.counts.skipped;
      const detections = await this.pipeline.process(frames);
      this.metrics.skipped.inc(this.gate.counts.skipped - skippedBefore);
      this.track(frames, detections, started);
    } catch (err) {
      this.options.logger.error({ err }, 'vision step failed; frames dropped');
    }
  }

  /** Worker modes: tracks the detections the workers send, as they come. */
  private async runTracking(): Promise<void> {
    while (this.running) {
      const intake = this.intake;
      if (intake === undefined) return;
      if (intake.waiting === 0) await this.nextDetections();
      // every camera's view of a moment in one step, as in-process (step-gathering.ts)
      for (;;) {
        const first = this.firstPendingAt ?? performance.now();
        const left = this.gathering.waitLeft(intake.waitingByCamera(), first, performance.now());
        if (left <= 0 || !this.running) break;
        const cancel = systemTimers.after(left, () => this.wakeTrackingLoop());
        await this.nextDetections();
        cancel();
      }
      if (!this.running) break;
      this.firstPendingAt = undefined;
      for (const step of intake.takeSteps(this.lastTs)) this.trackStep(step);
      this.metrics.late.set(intake.lateFrames);
      // let the workers' next messages in between steps
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Resolves when detections arrive, or something else wakes the tracking loop. */
  private nextDetections(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeTracking = resolve;
    });
  }

  private trackStep(messages: readonly FrameDetections[]): void {
    const started = performance.now();
    const frames: StepFrame[] = [];
    const detections: FloorDetection[] = [];
    for (const m of messages) {
      try {
        detections.push(...fromFrameDetections(m));
        frames.push({ camera: m.camera, captureTs: m.captureTs });
        if (!m.inferred) this.metrics.skipped.inc();
      } catch (err) {
        if (!(err instanceof EmbeddingDecodeError)) throw err;
        this.metrics.rejected.inc();
      }
    }
    if (frames.length > 0) this.track(frames, detections, started);
  }

  private track(frames: readonly StepFrame[], detections: FloorDetection[], started: number): void {
    const ts = Math.max(this.lastTs, ...frames.map((f) => f.captureTs));
    this.lastTs = ts;
    const ended = this.tracker.update(ts, detections, new Set(frames.map((f) => f.camera)));
    this.reportTailgating(ts);
    this.metrics.frames.inc(frames.length);
    this.metrics.dropped.set(this.droppedFrames);
    this.metrics.latency.observe((performance.now() - started) / 1000);
    this.options.onStep?.(frames);
    this.options.observe?.({
      ts,
      tracks: [...this.tracker.reported(), ...ended].map(toTrackMessage),
      cameras: frames.map((f) => f.camera),
    });
    const now = this.options.clock.now();
    if (ended.length > 0 || now - this.lastPublish >= 1000 / this.options.config.publishHz) {
      this.lastPublish = now;
      this.publish(ts, ended);
    }
  }

  private watchStalls(): void {
    for (const change of this.intake?.checkStalled(this.options.clock.now()) ?? []) {
      this.options.logger.warn(
        change,
        `vision detections of camera ${change.camera} ${change.state === 'raised' ? 'stopped' : 'resumed'}`,
      );
      this.options.onCameraStalled?.(change);
    }
  }

  private reportTailgating(ts: number): void {
    const { onTailgating, tailgatingClearMs = TAILGATING_ALERT_MS } = this.options;
    for (const event of this.tracker.takeTailgating()) {
      this.tailgating.push(event);
      onTailgating?.({ state: 'raised', event });
    }
    while ((this.tailgating[0]?.ts ?? ts) <= ts - tailgatingClearMs) {
      const event = this.tailgating.shift() as Tailgating;
      onTailgating?.({ state: 'cleared', event });
    }
  }

  private publish(ts: number, ended: Track[]): void {
    const live = this.tracker.reported();
    this.metrics.tracks.set(live.length);
    this.options.publish({
      v: 1,
      ts,
      tracks: [...live, ...ended].map(toTrackMessage),
      droppedFrames: this.droppedFrames,
    });
  }
}
