// Bounded frame queue, one slot per camera, latest wins: when inference falls behind, the older frame is
// dropped (and counted) instead of queueing up delay. Pure.

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
