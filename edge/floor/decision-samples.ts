// The data flywheel's store: every staff decision on the floor view (an exception assigned or dropped), and
// every dispute staff granted in the cloud on an event staff had assigned or the edge billed by itself (its
// pick clip), kept with the camera frames around its event and, for each frame, the people the edge tracked
// in it (their floor position projected into the picture as a box; the one billed marked). `npm run dataset:export` writes them as a labelled dataset.
// Bounded: by age (edge retention) and by count (the oldest go first).
import { floorToImage } from '../../shared/camera-projection.ts';
import type { Camera } from '../../shared/store-config.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';
import type { StaffException } from '../fusion/exception-queue.ts';
import type { HeldFrames } from './pick-clips.ts';

/** What staff decided, as the dataset labels it. `sessionId` stays on the edge: the export leaves it out. */
export interface DecidedAnswer {
  /**
   * assigned / dropped: staff on the floor view. not-this-shopper: a dispute granted in the cloud — the shopper
   * billed (marked in the frames) did not take `count` of `sku`: the event's attribution was wrong.
   */
  outcome: 'assigned' | 'dropped' | 'not-this-shopper';
  /** Where the decision was taken: the floor view, or a shopper's dispute staff granted in the cloud. */
  source: DecisionSource;
  kind: 'pick' | 'put-back';
  lanes: string[];
  /** Why the edge could not decide alone (unattributed, ambiguous-product, …), or `dispute-granted`. */
  reason: string;
  /** Assigned: the product and count staff saw, and who was billed; not-this-shopper: what was refunded, to whom. */
  sku?: string;
  count?: number;
  sessionId?: string;
  /**
   * not-this-shopper: who had billed the line — `staff` (an exception assigned on the floor view) or `edge`
   * (attributed by the edge alone: one of its silent errors).
   */
  billedBy?: BilledBy;
}

export type DecisionSource = 'floor' | 'dispute';

export type BilledBy = 'staff' | 'edge';

/** A person in a kept frame: a box in the camera's pixels around their tracked floor position. */
export interface FramePerson {
  /** [left, top, right, bottom], image pixels, clipped to the picture. */
  box: [number, number, number, number];
  /** The shopper staff billed for the event. */
  actor: boolean;
}

export interface DecisionSample {
  sampleId: number;
  decidedAt: number;
  answer: DecidedAnswer;
  frames: Array<{ camera: string; captureTs: number; jpeg: Buffer; people: FramePerson[] }>;
}

export interface DecisionSamplesOptions {
  /** The camera as projected now (its calibration). */
  cameraOf: (id: string) => Camera | undefined;
  /** Most samples kept (default 5000, ~60 frames of ~40 KB each at most: ~12 GB at worst, 1–2 GB typically). */
  maxSamples?: number;
}

/** Half the side of a person's box on the floor (m): shoulders seen from above are ~0.5 m across. */
const PERSON_HALF_M = 0.3;
/** A tracked point further than this from a frame's capture time does not place the person in it (ms). */
const TRACK_GAP_MS = 400;

interface TrackRow {
  session_id: string;
  track_id: string;
  ts: number;
  x: number;
  y: number;
}

export class DecisionSamples {
  private readonly maxSamples: number;

  constructor(
    private readonly db: EdgeDatabase,
    private readonly options: DecisionSamplesOptions,
  ) {
    this.maxSamples = options.maxSamples ?? 5000;
  }

  /** Staff decided an exception: keep the answer, and the frames stored for it so far. */
  decided(exception: StaffException, answer: DecidedAnswer, now: number): void {
    this.keep(exception.exceptionId, exception.exceptionId, answer, now);
  }

  /**
   * Staff granted a dispute of a line whose event the edge still holds frames of (`held`: the exception staff
   * had assigned, or the clip of a pick the edge billed by itself): the shopper billed did not take it. Kept
   * once per dispute and event, only with frames; returns the frames copied (0: none held). `line`: the refunded
   * line (the shopper it billed, what, how many) and who had billed it.
   */
  disputeGranted(
    disputeId: string,
    held: HeldFrames,
    line: { sessionId: string; sku: string; count: number; billedBy: BilledBy },
    now: number,
  ): number {
    const any = this.db.prepare('SELECT 1 FROM exception_frames WHERE exception_id = ? LIMIT 1');
    if (any.get(held.framesOf) === undefined) return 0;
    const answer: DecidedAnswer = {
      outcome: 'not-this-shopper',
      source: 'dispute',
      kind: held.kind,
      lanes: held.lanes,
      reason: 'dispute-granted',
      ...line,
    };
    return this.keep(`dispute:${disputeId}:${held.framesOf}`, held.framesOf, answer, now);
  }

  /** Stores a sample (once per key) with the frames kept for `framesOf`; drops the oldest above the bound. */
  private keep(sampleKey: string, framesOf: string, answer: DecidedAnswer, now: number): number {
    this.db
      .prepare('INSERT OR IGNORE INTO decision_samples (exception_id, decided_at, answer) VALUES (?, ?, ?)')
      .run(sampleKey, now, JSON.stringify(answer));
    const copied = this.copyFrames(sampleKey, framesOf);
    this.db
      .prepare(
        'DELETE FROM decision_samples WHERE sample_id <= (SELECT sample_id FROM decision_samples ORDER BY sample_id DESC LIMIT 1 OFFSET ?)',
      )
      .run(this.maxSamples);
    return copied;
  }

  /**
   * Copies the stored frames of exception `framesOf` (those not copied yet) to the sample keyed `sampleKey` (a
   * floor decision's key is its exception), with the people in each.
   */
  copyFrames(sampleKey: string, framesOf = sampleKey): number {
    const sample = this.db
      .prepare('SELECT sample_id AS sampleId, answer FROM decision_samples WHERE exception_id = ?')
      .get(sampleKey) as { sampleId: number; answer: string } | undefined;
    if (sample === undefined) return 0;
    const answer = JSON.parse(sample.answer) as DecidedAnswer;
    const frames = this.db
      .prepare(
        `SELECT camera, capture_ts AS captureTs, jpeg FROM exception_frames f WHERE exception_id = ? AND NOT EXISTS
           (SELECT 1 FROM decision_frames d WHERE d.sample_id = ? AND d.camera = f.camera AND d.capture_ts = f.capture_ts)`,
      )
      .all(framesOf, sample.sampleId) as Array<{ camera: string; captureTs: number; jpeg: Buffer }>;
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO decision_frames (sample_id, camera, capture_ts, jpeg, people) VALUES (?, ?, ?, ?, ?)',
    );
    let copied = 0;
    this.db.transaction(() => {
      for (const f of frames) {
        const people = this.peopleIn(f.camera, f.captureTs, answer.sessionId);
        copied += insert.run(sample.sampleId, f.camera, f.captureTs, f.jpeg, JSON.stringify(people)).changes;
      }
    })();
    return copied;
  }

  /** Samples decided at or after `since` (edge clock), oldest first, with their frames. */
  *since(since: number): Generator<DecisionSample> {
    const samples = this.db
      .prepare(
        'SELECT sample_id AS sampleId, decided_at AS decidedAt, answer FROM decision_samples WHERE decided_at >= ? ORDER BY decided_at, sample_id',
      )
      .all(since) as Array<{ sampleId: number; decidedAt: number; answer: string }>;
    const framesOf = this.db.prepare(
      'SELECT camera, capture_ts AS captureTs, jpeg, people FROM decision_frames WHERE sample_id = ? ORDER BY capture_ts, camera',
    );
    for (const s of samples) {
      const frames = framesOf.all(s.sampleId) as Array<{
        camera: string;
        captureTs: number;
        jpeg: Buffer;
        people: string;
      }>;
      yield {
        sampleId: s.sampleId,
        decidedAt: s.decidedAt,
        // samples kept before disputes were (#17) came from the floor view
        answer: { source: 'floor', ...(JSON.parse(s.answer) as Omit<DecidedAnswer, 'source'>) },
        frames: frames.map((f) => ({ ...f, people: JSON.parse(f.people) as FramePerson[] })),
      };
    }
  }

  /**
   * The shoppers the edge tracked at a frame's capture time (each track's stored points, interpolated), as
   * boxes in the camera's picture; those outside it are left out.
   */
  private peopleIn(cameraId: string, captureTs: number, actorSession: string | undefined): FramePerson[] {
    const camera = this.options.cameraOf(cameraId);
    if (camera === undefined) return [];
    const rows = this.db
      .prepare('SELECT session_id, track_id, ts, x, y FROM visit_tracks WHERE ts BETWEEN ? AND ? ORDER BY ts')
      .all(captureTs - TRACK_GAP_MS, captureTs + TRACK_GAP_MS) as TrackRow[];
    /** by track id */
    const byTrack = new Map<string, TrackRow[]>();
    for (const r of rows) byTrack.set(r.track_id, [...(byTrack.get(r.track_id) ?? []), r]);
    const people: FramePerson[] = [];
    for (const points of byTrack.values()) {
      const at = positionAt(points, captureTs);
      if (at === undefined) continue;
      const box = boxOf(camera, at.x, at.y);
      if (box !== undefined) people.push({ box, actor: points[0]?.session_id === actorSession });
    }
    return people;
  }
}

/** Where a track was at `ts`: between its points before and after, or the nearest one. */
function positionAt(points: readonly TrackRow[], ts: number): { x: number; y: number } | undefined {
  const after = points.findIndex((p) => p.ts >= ts);
  const b = after < 0 ? undefined : points[after];
  const a = after < 0 ? points.at(-1) : after > 0 ? points[after - 1] : undefined;
  if (a !== undefined && b !== undefined && b.ts > a.ts) {
    const k = (ts - a.ts) / (b.ts - a.ts);
    return { x: a.x + (b.x - a.x) * k, y: a.y + (b.y - a.y) * k };
  }
  return b ?? a;
}

/** A person's box in the picture: the square of floor around them, projected and clipped (undefined: not in it). */
function boxOf(camera: Camera, x: number, y: number): FramePerson['box'] | undefined {
  const corners = [
    [x - PERSON_HALF_M, y - PERSON_HALF_M],
    [x + PERSON_HALF_M, y - PERSON_HALF_M],
    [x + PERSON_HALF_M, y + PERSON_HALF_M],
    [x - PERSON_HALF_M, y + PERSON_HALF_M],
  ].map(([cx, cy]) => floorToImage(camera, cx as number, cy as number));
  if (corners.some((c) => c === undefined)) return undefined;
  const xs = corners.map((c) => c?.x as number);
  const ys = corners.map((c) => c?.y as number);
  const centre = floorToImage(camera, x, y);
  if (
    centre === undefined ||
    centre.x < 0 ||
    centre.y < 0 ||
    centre.x >= camera.imageWidth ||
    centre.y >= camera.imageHeight
  )
    return undefined;
  const clip = (v: number, max: number) => Math.round(Math.min(max, Math.max(0, v)) * 10) / 10;
  return [
    clip(Math.min(...xs), camera.imageWidth),
    clip(Math.min(...ys), camera.imageHeight),
    clip(Math.max(...xs), camera.imageWidth),
    clip(Math.max(...ys), camera.imageHeight),
  ];
}

/** The answer to keep for a decision (assigned: what staff chose; dropped: nothing billed). */
export function answerOf(
  exception: StaffException,
  choice: { sessionId: string; sku: string; count: number } | undefined,
): DecidedAnswer {
  const base = {
    source: 'floor' as const,
    kind: exception.event.kind,
    lanes: exception.event.lanes,
    reason: exception.reason,
  };
  return choice === undefined
    ? { outcome: 'dropped', ...base }
    : { outcome: 'assigned', ...base, sku: choice.sku, count: choice.count, sessionId: choice.sessionId };
}
