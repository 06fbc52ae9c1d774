// A short clip of camera frames around every pick the edge attributed by itself (no staff exception, so no
// exception frames), so that a dispute granted later on that line becomes a training sample with its frames
// (#17): the system's silent errors, the most valuable data a store produces. Captured by the exception
// frames' capture (same archive, same table, under the clip's id) but stored in one transaction when the
// window is over. Bounded by age and by the clips' total bytes, the oldest evicted first.
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';
import type { ExceptionFrames, StoredClip } from './exception-frames.ts';

export interface PickClipSettings {
  /**
   * Margin before the pick's start and after its end (ms). Default 1 s: the hand going in and out; the archive
   * keeps 2 frames a second, so a clip is ~6–8 frames a camera (half the exception frames' margin: every pick
   * gets one).
   */
  marginMs: number;
  /** Cameras per clip, nearest the lane first (default 2: the two best views). */
  maxCameras: number;
  /** Most frames in one clip (default 20). */
  maxFrames: number;
  /**
   * A camera whose newest frame is older than the clip's start by more than this is dark and left out (ms;
   * default 5 s: the frame archive's own lateness bound, above the devices' allowed clock skew of 2 s).
   */
  darkAfterMs: number;
  /** How long a clip is kept (ms; default 7 days: disputes come from the receipt, days after the visit). */
  retentionMs: number;
  /**
   * Most JPEG bytes of all clips together (default 2 GB: ~3000 clips of ~0.6 MB, 640×480 frames); above it the
   * oldest clips go first.
   */
  maxBytes: number;
}

export const PICK_CLIP_DEFAULTS: PickClipSettings = {
  marginMs: 1000,
  maxCameras: 2,
  maxFrames: 20,
  darkAfterMs: 5000,
  retentionMs: 7 * 86_400_000,
  maxBytes: 2_000_000_000,
};

/** What the clips did, for the metrics. */
export interface PickClipCounts {
  /** A clip was stored (`frames` > 0), or its window passed with no frame (cameras dark): `empty`. */
  captured: (outcome: 'kept' | 'empty', bytes: number) => void;
  /** Clips evicted: past their age, or the oldest above the byte bound. */
  evicted: (reason: 'age' | 'bytes', clips: number, bytes: number) => void;
  /** JPEG bytes all clips hold now. */
  held: (bytes: number) => void;
}

/** Frames kept around an event, as a training sample needs them. */
export interface HeldFrames {
  /** The id the frames are kept under (an exception's, or a pick clip's). */
  framesOf: string;
  kind: ShelfEvent['kind'];
  lanes: string[];
}

export interface PickClipsOptions {
  /** Cameras for an event on these lanes, nearest first, at most `max`. */
  camerasFor: (lanes: readonly string[], max: number) => string[];
  /** Capture time of the newest frame the archive holds of a camera (undefined: none). */
  newestFrameTs: (camera: string) => number | undefined;
  settings?: Partial<PickClipSettings>;
  counts?: Partial<PickClipCounts>;
}

export class PickClips {
  readonly settings: PickClipSettings;

  constructor(
    private readonly db: EdgeDatabase,
    private readonly frames: ExceptionFrames,
    private readonly options: PickClipsOptions,
  ) {
    this.settings = { ...PICK_CLIP_DEFAULTS, ...options.settings };
  }

  /** Starts the clip of a pick billed to a shopper by the edge itself; `now` is the edge clock. */
  capture(event: ShelfEvent, now: number): void {
    const { sessionId } = event;
    if (event.kind !== 'pick' || sessionId === null) return;
    const { marginMs, maxCameras, maxFrames } = this.settings;
    const clipId = `pick:${event.eventId}`;
    const fromTs = event.startTs - marginMs;
    // a pick is reported once its weight settled: a working camera has sent frames of the clip's start by then;
    // one that has not is dark, and an edge without vision watches nothing
    const cameras = this.options
      .camerasFor(event.lanes, maxCameras)
      .filter(
        (c) =>
          (this.options.newestFrameTs(c) ?? Number.NEGATIVE_INFINITY) >= fromTs - this.settings.darkAfterMs,
      );
    if (cameras.length === 0) {
      this.options.counts?.captured?.('empty', 0);
      return;
    }
    this.frames.captureClip(
      {
        clipId,
        cameras,
        fromTs,
        toTs: event.endTs + marginMs,
        maxFrames,
        live: false,
      },
      now,
      (complete, stored) => {
        if (complete) this.stored(clipId, event, sessionId, stored, now);
      },
    );
  }

  /** The clip of this pick while it is kept, if the edge billed it to this session. */
  heldFor(eventId: string, sessionId: string): HeldFrames | undefined {
    const row = this.db
      .prepare('SELECT clip_id, kind, lanes FROM pick_clips WHERE event_id = ? AND session_id = ?')
      .get(eventId, sessionId) as { clip_id: string; kind: ShelfEvent['kind']; lanes: string } | undefined;
    return row === undefined
      ? undefined
      : { framesOf: row.clip_id, kind: row.kind, lanes: JSON.parse(row.lanes) as string[] };
  }

  /** JPEG bytes all clips hold. */
  bytes(): number {
    return (this.db.prepare('SELECT coalesce(sum(bytes), 0) AS n FROM pick_clips').get() as { n: number }).n;
  }

  /** Evicts the clips stored before `now - retentionMs` (edge clock); returns how many. */
  prune(now: number): number {
    const old = this.db
      .prepare('SELECT clip_id, bytes FROM pick_clips WHERE stored_at < ?')
      .all(now - this.settings.retentionMs) as ClipRow[];
    this.evict(old, 'age');
    return old.length;
  }

  /** Runs inside the transaction that stored the clip's frames. */
  private stored(
    clipId: string,
    event: ShelfEvent,
    sessionId: string,
    stored: StoredClip,
    now: number,
  ): void {
    if (stored.frames === 0) {
      this.options.counts?.captured?.('empty', 0);
      return;
    }
    this.db
      .prepare(
        `INSERT OR REPLACE INTO pick_clips (clip_id, event_id, session_id, kind, lanes, stored_at, frames, bytes)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        clipId,
        event.eventId,
        sessionId,
        event.kind,
        JSON.stringify(event.lanes),
        now,
        stored.frames,
        stored.bytes,
      );
    this.options.counts?.captured?.('kept', stored.bytes);
    this.evictAboveBound();
  }

  /** The oldest clips, until all of them hold at most maxBytes. */
  private evictAboveBound(): void {
    let excess = this.bytes() - this.settings.maxBytes;
    if (excess <= 0) {
      this.options.counts?.held?.(excess + this.settings.maxBytes);
      return;
    }
    const oldest = this.db
      .prepare('SELECT clip_id, bytes FROM pick_clips ORDER BY stored_at, rowid')
      .iterate() as IterableIterator<ClipRow>;
    const evicted: ClipRow[] = [];
    for (const row of oldest) {
      if (excess <= 0) break;
      evicted.push(row);
      excess -= row.bytes;
    }
    this.evict(evicted, 'bytes');
  }

  private evict(rows: readonly ClipRow[], reason: 'age' | 'bytes'): void {
    if (rows.length > 0) {
      const frames = this.db.prepare('DELETE FROM exception_frames WHERE exception_id = ?');
      const clip = this.db.prepare('DELETE FROM pick_clips WHERE clip_id = ?');
      this.db.transaction(() => {
        for (const row of rows) {
          frames.run(row.clip_id);
          clip.run(row.clip_id);
        }
      })();
      this.options.counts?.evicted?.(
        reason,
        rows.length,
        rows.reduce((sum, r) => sum + r.bytes, 0),
      );
    }
    this.options.counts?.held?.(this.bytes());
  }
}

interface ClipRow {
  clip_id: string;
  bytes: number;
}
