// The data flywheel's store: every staff decision on the floor view (an exception assigned or dropped) kept
// with the camera frames around its event and, for each frame, the people the edge tracked in it (their floor
// position projected into the picture as a box; the one staff billed marked). `npm run dataset:export` writes
// them as a labelled dataset. Bounded: by age (edge retention) and by count (the oldest go first).
import { floorToImage } from '../../shared/camera-projection.ts';
import type { Camera } from '../../shared/store-config.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';
import type { StaffException } from '../fusion/exception-queue.ts';

/** What staff decided, as the dataset labels it. `sessionId` stays on the edge: the export leaves it out. */
export interface DecidedAnswer {
  outcome: 'assigned' | 'dropped';
  kind: 'pick' | 'put-back';
  lanes: string[];
  /** Why the edge could not decide alone (unattributed, ambiguous-product, unknown-product). */
  reason: string;
  /** Assigned: the product and count staff saw, and who was billed. */
  sku?: string;
  count?: number;
  sessionId?: string;
}

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
    this.db
      .prepare('INSERT OR IGNORE INTO decision_samples (exception_id, decided_at, answer) VALUES (?, ?, ?)')
      .run(exception.exceptionId, now, JSON.stringify(answer));
    this.copyFrames(exception.exceptionId);
    this.db
      .prepare(
        'DELETE FROM decision_samples WHERE sample_id <= (SELECT sample_id FROM decision_samples ORDER BY sample_id DESC LIMIT 1 OFFSET ?)',
      )
      .run(this.maxSamples);
  }

  /** Copies the exception's stored frames (those not copied yet) to its sample, with the people in each. */
  copyFrames(exceptionId: string): number {
    const sample = this.db
      .prepare('SELECT sample_id AS sampleId, answer FROM decision_samples WHERE exception_id = ?')
      .get(exceptionId) as { sampleId: number; answer: string } | undefined;
    if (sample === undefined) return 0;
    const answer = JSON.parse(sample.answer) as DecidedAnswer;
    const frames = this.db
      .prepare(
        `SELECT camera, capture_ts AS captureTs, jpeg FROM exception_frames f WHERE exception_id = ? AND NOT EXISTS
           (SELECT 1 FROM decision_frames d WHERE d.sample_id = ? AND d.camera = f.camera AND d.capture_ts = f.capture_ts)`,
      )
      .all(exceptionId, sample.sampleId) as Array<{ camera: string; captureTs: number; jpeg: Buffer }>;
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
        answer: JSON.parse(s.answer) as DecidedAnswer,
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
  const base = { kind: exception.event.kind, lanes: exception.event.lanes, reason: exception.reason };
  return choice === undefined
    ? { outcome: 'dropped', ...base }
    : { outcome: 'assigned', ...base, sku: choice.sku, count: choice.count, sessionId: choice.sessionId };
}
