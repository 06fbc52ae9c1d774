// Vision workers as worker_threads inside the edge: the one-box mode (the embedded broker has no shared
// subscriptions). Each camera's frames go to one thread (its index modulo the live threads, so a thread's
// motion gate sees every frame of its cameras); detections come back by message. A thread that dies loses
// what it held — at most its batch and one waiting frame per camera — and is started again a second later;
// its cameras go to the others meanwhile.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { FrameDetections } from '../../shared/schemas/frame-detections.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import type { CancelTimer, Timers } from '../../shared/timers.ts';
import type { VisionConfig } from './vision-config.ts';
import type { FromVisionThread, ToVisionThread, VisionThreadData } from './vision-worker-thread.ts';

/** How long after a thread died it is started again (ms): long enough not to spin on a model that fails. */
const RESTART_AFTER_MS = 1000;
/** How long a thread may take to stop cleanly before it is terminated (ms). */
const STOP_GRACE_MS = 5000;

export interface VisionThreadsOptions {
  store: StoreConfig;
  config: VisionConfig;
  threads: number;
  emit: (message: FrameDetections) => void;
  timers: Timers;
  logger: Logger;
}

interface Slot {
  name: string;
  worker: Worker | undefined;
  ready: boolean;
}

export class VisionThreads {
  private readonly slots: Slot[];
  /** by camera id: its place in the store config */
  private readonly cameraIndex: Map<string, number>;
  private stopping = false;
  private readonly restarts: CancelTimer[] = [];

  constructor(private readonly options: VisionThreadsOptions) {
    this.slots = Array.from({ length: options.threads }, (_, i) => ({
      name: `thread-${i + 1}`,
      worker: undefined,
      ready: false,
    }));
    this.cameraIndex = new Map(options.store.cameras.map((c, i) => [c.id, i]));
  }

  /** Starts every thread and waits until each has its models loaded. */
  async start(): Promise<void> {
    this.stopping = false;
    await Promise.all(this.slots.map((slot) => this.spawn(slot)));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const cancel of this.restarts.splice(0)) cancel();
    await Promise.all(this.slots.map((slot) => this.stopSlot(slot)));
  }

  /** Hands a frame (wire format) to its camera's thread; dropped when no thread is up. */
  dispatch(payload: Buffer, camera: string): boolean {
    const live = this.slots.filter((s) => s.ready);
    const slot = live[(this.cameraIndex.get(camera) ?? 0) % Math.max(1, live.length)];
    if (slot?.worker === undefined) return false;
    const message: ToVisionThread = { kind: 'frame', camera, payload };
    slot.worker.postMessage(message);
    return true;
  }

  get liveThreads(): number {
    return this.slots.filter((s) => s.ready).length;
  }

  private spawn(slot: Slot): Promise<void> {
    const { store, config, logger } = this.options;
    const data: VisionThreadData = { store, config, worker: slot.name, logLevel: logger.level };
    const worker = new Worker(threadBootstrap(), { eval: true, workerData: data });
    slot.worker = worker;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromVisionThread) => {
        if (m.kind === 'detections') this.options.emit(m.message);
        else if (m.kind === 'ready') {
          slot.ready = true;
          resolve();
        }
      });
      worker.on('error', (err) => {
        logger.error({ err, thread: slot.name }, 'vision thread failed');
        if (!slot.ready) reject(err);
      });
      worker.on('exit', (code) => {
        const wasReady = slot.ready;
        slot.ready = false;
        slot.worker = undefined;
        if (this.stopping || !wasReady) return;
        logger.error({ code, thread: slot.name }, 'vision thread exited; starting it again');
        this.restarts.push(
          this.options.timers.after(RESTART_AFTER_MS, () => {
            if (!this.stopping)
              this.spawn(slot).catch((err: unknown) =>
                logger.error({ err, thread: slot.name }, 'vision thread did not restart'),
              );
          }),
        );
      });
    });
  }

  private async stopSlot(slot: Slot): Promise<void> {
    const worker = slot.worker;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    const stop: ToVisionThread = { kind: 'stop' };
    worker.postMessage(stop);
    const grace = this.options.timers.after(STOP_GRACE_MS, () => void worker.terminate());
    await exited;
    grace();
  }
}

/**
 * The thread's entry as code: a worker thread does not inherit tsx's loader, so it loads tsx's ESM API and
 * imports vision-worker-thread.ts through it.
 */
function threadBootstrap(): string {
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./vision-worker-thread.ts', import.meta.url).href;
  return `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
}
