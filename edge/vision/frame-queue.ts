// Bounded frame queues per camera: when inference falls behind, older frames are dropped (and counted) instead of
// queueing up delay. A vision worker's batches take the latest of each camera; the edge's own steps gather one
// frame of every camera (step-gathering.ts).
import type { Timers } from '../../shared/timers.ts';

export class LatestFrameQueue<F> {
  /** by camera id: the newest frame not yet taken */
  private readonly slots = new Map<string, F>();
  private droppedCount = 0;
  private waiter: (() => void) | undefined;

  /** Stores the frame; a frame still waiting for the same camera is dropped. */
  put(camera: string, frame: F): void {
    if (this.slots.has(camera)) this.droppedCount += 1;
    this.slots.set(camera, frame);
    const wake = this.waiter;
    this.waiter = undefined;
    wake?.();
  }

  /** Every waiting frame (at most one per camera), oldest camera slot first; empties the queue. */
  takeAll(): F[] {
    const frames = [...this.slots.values()];
    this.slots.clear();
    return frames;
  }

  get size(): number {
    return this.slots.size;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Resolves when a frame arrives (immediately if one is waiting). */
  whenReady(): Promise<void> {
    if (this.slots.size > 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }

  /** Releases a pending whenReady() (on stop). */
  wake(): void {
    const wake = this.waiter;
    this.waiter = undefined;
    wake?.();
  }
}

/**
 * Frames waiting for the edge's own tracker step, per camera in arrival order, at most two each: the frame of
 * the step being gathered and the camera's next one (which says a frame period has passed,
 * `step-gathering.ts`). A third drops the oldest, counted: inference fell behind. Pure but for the wait.
 */
export class StepFrameQueue<F> {
  /** by camera id: waiting frames, oldest first, with when each arrived (ms) */
  private readonly waiting = new Map<string, Array<{ frame: F; at: number }>>();
  private droppedCount = 0;
  private waiter: (() => void) | undefined;

  constructor(private readonly timers: Timers) {}

  /** Stores the frame, arrived at `at` (ms); a camera's third waiting frame drops its oldest. */
  put(camera: string, frame: F, at: number): void {
    const frames = this.waiting.get(camera) ?? [];
    frames.push({ frame, at });
    if (frames.length > 2) {
      frames.shift();
      this.droppedCount += 1;
    }
    this.waiting.set(camera, frames);
    this.wake();
  }

  /** The oldest waiting frame of each camera, taken; later ones stay for the next step. */
  takeStep(): F[] {
    const step: F[] = [];
    for (const [camera, frames] of this.waiting) {
      const first = frames.shift();
      if (first !== undefined) step.push(first.frame);
      if (frames.length === 0) this.waiting.delete(camera);
    }
    return step;
  }

  /** The newest waiting frame of each camera, taken; older ones are dropped (a lockstep step: all it was sent). */
  takeLatest(): F[] {
    const step: F[] = [];
    for (const frames of this.waiting.values()) {
      const last = frames.at(-1);
      if (last !== undefined) step.push(last.frame);
      this.droppedCount += frames.length - 1;
    }
    this.waiting.clear();
    return step;
  }

  /** Frames waiting, by camera. */
  counts(): Map<string, number> {
    return new Map([...this.waiting].map(([camera, frames]) => [camera, frames.length]));
  }

  /** When the oldest waiting frame arrived (ms); undefined when none waits. */
  get firstArrivedAt(): number | undefined {
    let first: number | undefined;
    for (const frames of this.waiting.values()) {
      const at = frames[0]?.at;
      if (at !== undefined && (first === undefined || at < first)) first = at;
    }
    return first;
  }

  get size(): number {
    let n = 0;
    for (const frames of this.waiting.values()) n += frames.length;
    return n;
  }

  get dropped(): number {
    return this.droppedCount;
  }

  /** Resolves when a frame waits (immediately if one does). */
  whenReady(): Promise<void> {
    if (this.waiting.size > 0) return Promise.resolve();
    return this.nextPut();
  }

  /** Resolves at the next frame put, or after `ms`. */
  whenPut(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const cancel = this.timers.after(ms, () => this.wake());
      this.waiter = () => {
        cancel();
        resolve();
      };
    });
  }

  /** Releases a pending wait (a frame came, the time is up, or the stage stops). */
  wake(): void {
    const wake = this.waiter;
    this.waiter = undefined;
    wake?.();
  }

  private nextPut(): Promise<void> {
    return new Promise((resolve) => {
      this.waiter = resolve;
    });
  }
}
