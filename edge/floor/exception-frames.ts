// Camera frames kept with a staff exception: from the cameras that see the event's lanes, ~2 s before the
// event began to ~2 s after it ended, taken from the frame archive (frames that arrive after the exception
// opened are still added). Stored in the edge database so they survive a restart and back a dispute. The same
// capture keeps the short clip of every pick the edge attributed by itself (pick-clips.ts), under its own id.
import type { EdgeDatabase } from '../db/edge-database.ts';
import type { StaffException } from '../fusion/exception-queue.ts';
import type { ArchivedFrame, FrameArchive } from '../vision/frame-archive.ts';

export interface FrameInfo {
  frameId: number;
  camera: string;
  captureTs: number;
}

export interface ExceptionFramesOptions {
  /** Cameras to take frames from for an event on these lanes. */
  camerasFor: (lanes: readonly string[]) => string[];
  /** Margin before the event's start and after its end (ms, default 2 s). */
  marginMs?: number;
  /** Most frames kept for one exception (default 60). */
  maxFrames?: number;
  /**
   * How long after an exception opened its frames may still come (edge clock, ms, default 60 s): cameras that
   * work deliver the window within seconds; a store whose cameras are dark or absent (the soak) would otherwise
   * keep a watch, its exception and a prepared statement until 200 more exceptions pushed it out.
   */
  giveUpAfterMs?: number;
  /** The frames of an exception changed; `complete` once no more will come. */
  onUpdate: (exceptionId: string, frames: FrameInfo[], complete: boolean) => void;
}

/** A window of camera frames to keep under one id. */
export interface ClipRequest {
  /** The id its frames are stored under: an exception's, or a pick clip's. */
  clipId: string;
  cameras: readonly string[];
  /** Capture-time window (ms, the cameras' clock). */
  fromTs: number;
  toTs: number;
  maxFrames: number;
  /** Store each frame as it comes (staff are watching), or all at once when the window is over. */
  live: boolean;
}

/** What a capture stored. */
export interface StoredClip {
  frames: number;
  /** JPEG bytes. */
  bytes: number;
}

interface Capture {
  /** Stops watching the archive. */
  cancel: () => void;
  /** Ends the capture (announces the frames as complete). */
  finish: () => void;
  /** Edge clock: no frames are waited for after this. */
  giveUpAt: number;
}

export class ExceptionFrames {
  /** by clip id (an exception's id, or a pick clip's): the captures still waiting for frames */
  private readonly capturing = new Map<string, Capture>();
  private readonly marginMs: number;
  private readonly maxFrames: number;
  private readonly giveUpAfterMs: number;

  constructor(
    private readonly db: EdgeDatabase,
    private readonly archive: FrameArchive,
    private readonly options: ExceptionFramesOptions,
  ) {
    this.marginMs = options.marginMs ?? 2000;
    this.maxFrames = options.maxFrames ?? 60;
    this.giveUpAfterMs = options.giveUpAfterMs ?? 60_000;
  }

  /** Starts keeping the frames around an exception's event; `now` is the edge clock (for retention). */
  capture(exception: StaffException, now: number): void {
    const { exceptionId, event } = exception;
    this.captureClip(
      {
        clipId: exceptionId,
        cameras: this.options.camerasFor(event.lanes),
        fromTs: event.startTs - this.marginMs,
        toTs: event.endTs + this.marginMs,
        maxFrames: this.maxFrames,
        live: true,
      },
      now,
      (complete) => this.options.onUpdate(exceptionId, this.list(exceptionId), complete),
    );
  }

  /**
   * Keeps the archive's frames of a clip's cameras and window under its id (the frames of an exception, or of
   * a pick's clip: pick-clips.ts). Live: each frame is stored as it comes and `update(false)` announces the
   * first ones (staff watch an exception's frames arrive). Batched: the frames are held (the archive's own
   * buffers, no copy) and stored in one transaction when the window is over, so a clip costs one disk sync
   * and the frame path a list push; `update(true)` then runs inside that transaction (what it writes commits
   * with the frames). `update(true, stored)` always comes once, when no more frames will (not for a store
   * without cameras: nothing to keep, nothing to announce).
   */
  captureClip(clip: ClipRequest, now: number, update: (complete: boolean, stored: StoredClip) => void): void {
    const { clipId, cameras } = clip;
    if (this.capturing.has(clipId) || cameras.length === 0) return;
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO exception_frames (exception_id, camera, capture_ts, jpeg, stored_at) VALUES (?, ?, ?, ?, ?)',
    );
    const stored: StoredClip = { frames: 0, bytes: 0 };
    const store = (frame: ArchivedFrame) => {
      if (insert.run(clipId, frame.camera, frame.captureTs, frame.jpeg, now).changes === 0) return;
      stored.frames++;
      stored.bytes += frame.jpeg.length;
    };
    const held: ArchivedFrame[] = [];
    let announced = false;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.capturing.delete(clipId);
      if (clip.live) update(true, stored);
      else
        this.db.transaction(() => {
          for (const frame of held) store(frame);
          update(true, stored);
        })();
    };
    const cancel = this.archive.watch(cameras, clip.fromTs, clip.toTs, {
      frame: (frame: ArchivedFrame) => {
        if (!clip.live) {
          if (held.length < clip.maxFrames) held.push(frame);
          return;
        }
        if (stored.frames >= clip.maxFrames) return;
        store(frame);
        // announce the first frames as soon as they are stored; the rest when the window is over
        if (!announced && this.capturing.has(clipId)) {
          announced = true;
          update(false, stored);
        }
      },
      done: finish,
    });
    if (done) return;
    this.capturing.set(clipId, { cancel, finish, giveUpAt: now + this.giveUpAfterMs });
    if (clip.live && stored.frames > 0) {
      announced = true;
      update(false, stored);
    }
  }

  /** Frames kept for an exception, oldest first. */
  list(exceptionId: string): FrameInfo[] {
    return this.db
      .prepare(
        'SELECT frame_id AS frameId, camera, capture_ts AS captureTs FROM exception_frames WHERE exception_id = ? ORDER BY capture_ts, camera',
      )
      .all(exceptionId) as FrameInfo[];
  }

  /** Frames of several exceptions, in one query (the floor view's snapshot); those without any are left out. */
  listMany(exceptionIds: readonly string[]): Record<string, { frames: FrameInfo[]; complete: boolean }> {
    const rows = this.db
      .prepare(
        'SELECT exception_id AS exceptionId, frame_id AS frameId, camera, capture_ts AS captureTs FROM exception_frames WHERE exception_id IN (SELECT value FROM json_each(?)) ORDER BY capture_ts, camera',
      )
      .all(JSON.stringify(exceptionIds)) as Array<FrameInfo & { exceptionId: string }>;
    const out: Record<string, { frames: FrameInfo[]; complete: boolean }> = {};
    for (const { exceptionId, ...frame } of rows) {
      out[exceptionId] ??= { frames: [], complete: !this.capturing.has(exceptionId) };
      out[exceptionId].frames.push(frame);
    }
    return out;
  }

  /** Ends the captures whose frames are overdue at `now` (edge clock); returns how many. */
  giveUpOverdue(now: number): number {
    let ended = 0;
    for (const capture of [...this.capturing.values()]) {
      if (now < capture.giveUpAt) continue;
      capture.cancel();
      capture.finish();
      ended++;
    }
    return ended;
  }

  isCapturing(exceptionId: string): boolean {
    return this.capturing.has(exceptionId);
  }

  /** One stored frame's JPEG, or undefined when it is not one of this exception's. */
  jpeg(exceptionId: string, frameId: number): Buffer | undefined {
    const row = this.db
      .prepare('SELECT jpeg FROM exception_frames WHERE frame_id = ? AND exception_id = ?')
      .get(frameId, exceptionId) as { jpeg: Buffer } | undefined;
    return row?.jpeg;
  }

  /** Deletes exceptions' frames stored before `before` (edge clock); returns how many. Pick clips: pick-clips.ts. */
  prune(before: number): number {
    return this.db
      .prepare(
        'DELETE FROM exception_frames WHERE stored_at < ? AND exception_id NOT IN (SELECT clip_id FROM pick_clips)',
      )
      .run(before).changes;
  }

  stop(): void {
    for (const capture of this.capturing.values()) capture.cancel();
    this.capturing.clear();
  }
}
