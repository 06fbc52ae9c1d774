// The last seconds of every ceiling camera at a reduced rate, so staff can see what happened around a
// doubtful shelf event. Bounded per camera by time and bytes; watches hand frames of a time window to a
// sink, including frames that arrive after the watch began. Pure bookkeeping over capture times.

export interface ArchivedFrame {
  camera: string;
  /** Capture time (ms since the epoch, the camera's clock). */
  captureTs: number;
  jpeg: Buffer;
}

export interface FrameArchiveOptions {
  /** Cameras of the store; frames from any other id are ignored. */
  cameras: readonly string[];
  /** How far back each camera is kept, by capture time (ms, default 20 s). */
  windowMs?: number;
  /** Least capture time between two kept frames of a camera (ms, default 500: at most 2 fps). */
  minIntervalMs?: number;
  /** Most JPEG bytes kept per camera (default 6 MB). */
  maxBytesPerCamera?: number;
  /** Most watches at once; the oldest is finished early beyond it (default 200). */
  maxWatches?: number;
  /** A watch ends once any camera is this far past its window (a watched camera went dark) (ms, default 5 s). */
  lateMs?: number;
}

export interface FrameSink {
  frame(frame: ArchivedFrame): void;
  /** No more frames will come for this watch. */
  done(): void;
}

interface Watch {
  cameras: Set<string>;
  fromTs: number;
  toTs: number;
  /** cameras whose frames have passed toTs */
  passed: Set<string>;
  sink: FrameSink;
}

interface CameraRing {
  frames: ArchivedFrame[];
  bytes: number;
}

export class FrameArchive {
  /** by camera id */
  private readonly rings = new Map<string, CameraRing>();
  private readonly watches: Watch[] = [];
  private readonly windowMs: number;
  private readonly minIntervalMs: number;
  private readonly maxBytesPerCamera: number;
  private readonly maxWatches: number;
  private readonly lateMs: number;

  constructor(options: FrameArchiveOptions) {
    for (const camera of options.cameras) this.rings.set(camera, { frames: [], bytes: 0 });
    this.windowMs = options.windowMs ?? 20_000;
    this.minIntervalMs = options.minIntervalMs ?? 500;
    this.maxBytesPerCamera = options.maxBytesPerCamera ?? 6_000_000;
    this.maxWatches = options.maxWatches ?? 200;
    this.lateMs = options.lateMs ?? 5000;
  }

  /** Offers a camera frame; returns true when it was kept (a copy is kept, never the caller's buffer). */
  add(camera: string, captureTs: number, jpeg: Buffer): boolean {
    const ring = this.rings.get(camera);
    if (ring === undefined) return false;
    const last = ring.frames.at(-1);
    if (last !== undefined && captureTs < last.captureTs + this.minIntervalMs) return false;
    // a copy: the payload may be a view into a larger network buffer that must not stay alive
    const frame: ArchivedFrame = { camera, captureTs, jpeg: Buffer.from(jpeg) };
    ring.frames.push(frame);
    ring.bytes += frame.jpeg.length;
    while (
      ring.frames.length > 1 &&
      ((ring.frames[0] as ArchivedFrame).captureTs < captureTs - this.windowMs ||
        ring.bytes > this.maxBytesPerCamera)
    ) {
      ring.bytes -= (ring.frames.shift() as ArchivedFrame).jpeg.length;
    }
    this.offer(frame);
    return true;
  }

  /** The camera's newest kept frame (undefined: none in the window). */
  latest(camera: string): ArchivedFrame | undefined {
    return this.rings.get(camera)?.frames.at(-1);
  }

  /** Kept frames of these cameras captured within [fromTs, toTs], oldest first. */
  between(cameras: readonly string[], fromTs: number, toTs: number): ArchivedFrame[] {
    return cameras
      .flatMap((camera) => this.rings.get(camera)?.frames ?? [])
      .filter((f) => f.captureTs >= fromTs && f.captureTs <= toTs)
      .sort((a, b) => a.captureTs - b.captureTs);
  }

  /**
   * Hands the sink every kept frame of these cameras in [fromTs, toTs]: those already here at once, later
   * ones as they arrive; `done` once every camera has moved past toTs (or one is lateMs past it).
   * Returns a cancel function (no more calls after it).
   */
  watch(cameras: readonly string[], fromTs: number, toTs: number, sink: FrameSink): () => void {
    const known = cameras.filter((c) => this.rings.has(c));
    for (const frame of this.between(known, fromTs, toTs)) sink.frame(frame);
    const passed = new Set(known.filter((c) => (this.rings.get(c)?.frames.at(-1)?.captureTs ?? -1) > toTs));
    if (passed.size === known.length) {
      sink.done();
      return () => {};
    }
    const watch: Watch = { cameras: new Set(known), fromTs, toTs, passed, sink };
    this.watches.push(watch);
    if (this.watches.length > this.maxWatches) this.watches.shift()?.sink.done();
    return () => {
      const i = this.watches.indexOf(watch);
      if (i >= 0) this.watches.splice(i, 1);
    };
  }

  get watching(): number {
    return this.watches.length;
  }

  /** JPEG bytes held, all cameras. */
  get bytes(): number {
    let sum = 0;
    for (const ring of this.rings.values()) sum += ring.bytes;
    return sum;
  }

  private offer(frame: ArchivedFrame): void {
    for (let i = this.watches.length - 1; i >= 0; i--) {
      const watch = this.watches[i] as Watch;
      if (watch.cameras.has(frame.camera)) {
        if (frame.captureTs >= watch.fromTs && frame.captureTs <= watch.toTs) watch.sink.frame(frame);
        if (frame.captureTs > watch.toTs) watch.passed.add(frame.camera);
      }
      const finished = frame.captureTs > watch.toTs + this.lateMs || watch.passed.size === watch.cameras.size;
      if (finished) {
        this.watches.splice(i, 1);
        watch.sink.done();
      }
    }
  }
}
