// Every pick the edge bills by itself keeps a short clip of the lane's cameras (the disputes that prove it
// wrong become training data, #17); a doubtful pick keeps its exception's frames instead. Clips are stored
// in one go when their window is over, and bounded by age and by total bytes, the oldest evicted first.
import { describe, expect, it } from 'vitest';
import { createEdgeMetrics } from '../../../../edge/edge-metrics.ts';
import { FloorRecorder } from '../../../../edge/floor/floor-recorder.ts';
import { camerasForLanes } from '../../../../edge/floor/lane-cameras.ts';
import type { PickClipSettings } from '../../../../edge/floor/pick-clips.ts';
import { DecisionBook } from '../../../../edge/fusion/decision-book.ts';
import { ManualClock } from '../../../../shared/clock.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';
import { decisionBookDeps } from '../../../support/decision-book-deps.ts';

const store = indexStore(loadStoreConfig('stores/sample-store.json'));
const T0 = 1_700_000_000_000;
const LANE = 'S03-L01';
const DAY = 86_400_000;
/** The cameras of the store's lane, nearest first: a clip takes the first two. */
const CAMERAS = camerasForLanes(store, [LANE]);

function pick(eventId: string, startTs: number, sessionId: string | null): ShelfEvent {
  const lane = store.laneById.get(LANE)?.lane;
  return {
    v: 1,
    eventId,
    kind: 'pick',
    shelf: 'S03',
    lane: LANE,
    lanes: [LANE],
    loadCell: lane?.loadCell ?? 'LC',
    startTs,
    endTs: startTs + 1000,
    peakTs: startTs + 500,
    deltaGrams: -400,
    deltaSdGrams: 2,
    hypotheses: [{ sku: lane?.sku ?? 'X', count: 1, likelihood: 1 }],
    ambiguous: false,
    sessionId,
    attribution: sessionId === null ? 'unattributed' : 'sole-session',
    confidence: sessionId === null ? 0 : 1,
  };
}

function setup(pickClips: Partial<PickClipSettings> = {}) {
  const clock = new ManualClock(T0);
  const metrics = createEdgeMetrics();
  const { db, exceptions, deps } = decisionBookDeps({
    store,
    clock,
    shoppers: ['alice', 'bob'],
    metrics,
    recorder: (db) =>
      new FloorRecorder({
        store,
        db,
        clock,
        onFrames: () => {},
        pickClips,
        pickClipCounts: {
          captured: (outcome) => metrics.pickClips.inc({ outcome }),
          evicted: (reason, clips) => metrics.pickClipsEvicted.inc({ reason }, clips),
          held: (bytes) => metrics.pickClipBytes.set(bytes),
        },
      }),
  });
  const recorder = deps.recorder;
  const decisions = new DecisionBook(deps);
  /** Every camera of the store sends a frame of `bytes` bytes every 250 ms in [from, to]. */
  const film = (from: number, to: number, bytes = 1000) => {
    for (let ts = from; ts <= to; ts += 250)
      for (const camera of store.config.cameras)
        recorder.frameArrived(camera.id, ts, Buffer.alloc(bytes, ts % 251));
  };
  const clipFrames = (eventId: string) =>
    db
      .prepare(
        'SELECT camera, capture_ts AS ts FROM exception_frames WHERE exception_id = ? ORDER BY ts, camera',
      )
      .all(`pick:${eventId}`) as Array<{ camera: string; ts: number }>;
  const metric = async (name: string) =>
    ((await metrics.registry.getSingleMetric(name)?.get())?.values ?? []).map(({ value, labels }) => ({
      value,
      labels,
    }));
  return { clock, db, exceptions, decisions, recorder, film, clipFrames, metric };
}

describe('pick clips', () => {
  it('keep the two nearest cameras 1 s around a pick the edge billed by itself, stored once the window is over', async () => {
    const { decisions, recorder, film, clipFrames, metric } = setup();
    expect(CAMERAS.length).toBeGreaterThanOrEqual(2);
    film(T0, T0 + 10_000);
    decisions.attributed(pick('p1', T0 + 10_000, 'alice'), ['alice']);
    // the window (to 1 s after the pick's end) is still open: nothing is written yet
    expect(clipFrames('p1')).toEqual([]);
    film(T0 + 10_250, T0 + 13_000);
    const frames = clipFrames('p1');
    // 9 s to 12 s at the archive's 2 frames a second: 7 frames from each of the two nearest cameras
    expect(new Set(frames.map((f) => f.camera))).toEqual(new Set(CAMERAS.slice(0, 2)));
    expect(frames).toHaveLength(14);
    expect(frames[0]?.ts).toBe(T0 + 9000);
    expect(frames.at(-1)?.ts).toBe(T0 + 12_000);
    expect(recorder.pickClips.heldFor('p1', 'alice')).toEqual({
      framesOf: 'pick:p1',
      kind: 'pick',
      lanes: [LANE],
    });
    // only for the shopper it billed
    expect(recorder.pickClips.heldFor('p1', 'bob')).toBeUndefined();
    expect(recorder.pickClips.bytes()).toBe(14 * 1000);
    expect(await metric('walkout_edge_pick_clips_total')).toEqual([
      { value: 1, labels: { outcome: 'kept' } },
    ]);
    expect((await metric('walkout_edge_pick_clip_bytes'))[0]?.value).toBe(14_000);
  });

  it('are not kept for doubtful picks (their exception keeps frames), put-backs, or when no frame came', async () => {
    const { clock, db, exceptions, decisions, recorder, film, clipFrames, metric } = setup();
    film(T0, T0 + 5000);
    decisions.attributed(pick('doubt', T0 + 4000, null), ['alice', 'bob']);
    decisions.attributed({ ...pick('back', T0 + 4000, 'alice'), kind: 'put-back', deltaGrams: 400 }, [
      'alice',
    ]);
    film(T0 + 5250, T0 + 9000);
    expect(exceptions.list()).toHaveLength(1);
    expect(clipFrames('doubt')).toEqual([]);
    expect(clipFrames('back')).toEqual([]);
    const [exception] = exceptions.list();
    expect(recorder.frames.list(exception?.exceptionId ?? '').length).toBeGreaterThan(0);
    // the cameras stop just before the pick: the capture gives up after 60 s and keeps nothing
    decisions.attributed(pick('stopped', T0 + 11_000, 'alice'), ['alice']);
    clock.advance(61_000);
    expect(recorder.frames.giveUpOverdue(clock.now())).toBe(1);
    expect(recorder.pickClips.heldFor('stopped', 'alice')).toBeUndefined();
    expect((db.prepare('SELECT count(*) AS n FROM pick_clips').get() as { n: number }).n).toBe(0);
    expect(await metric('walkout_edge_pick_clips_total')).toEqual([
      { value: 1, labels: { outcome: 'empty' } },
    ]);
  });

  it('watch nothing on an edge whose cameras send no frames (no vision) or went dark', async () => {
    const { decisions, recorder, film, metric } = setup();
    decisions.attributed(pick('blind', T0 + 4000, 'alice'), ['alice']);
    // frames until 10 s, then none: a pick at 20 s starts its clip 9 s after the cameras' last frame
    film(T0, T0 + 10_000);
    decisions.attributed(pick('dark', T0 + 20_000, 'alice'), ['alice']);
    expect(recorder.archive.watching).toBe(0);
    expect(recorder.frames.isCapturing('pick:blind')).toBe(false);
    expect(await metric('walkout_edge_pick_clips_total')).toEqual([
      { value: 2, labels: { outcome: 'empty' } },
    ]);
  });

  it('evict the oldest clips above the byte bound, and clips past their age', async () => {
    // 14 frames of 1000 bytes a clip: three clips fit in 45 000 bytes, not four
    const { clock, decisions, recorder, film, clipFrames, metric } = setup({
      maxBytes: 45_000,
      retentionMs: 7 * DAY,
    });
    for (const [i, id] of ['a', 'b', 'c', 'd'].entries()) {
      const at = T0 + i * 20_000;
      film(at, at + 10_000);
      decisions.attributed(pick(id, at + 10_000, 'alice'), ['alice']);
      film(at + 10_250, at + 13_000);
      clock.advance(60_000);
    }
    expect(clipFrames('a')).toEqual([]);
    expect(recorder.pickClips.heldFor('a', 'alice')).toBeUndefined();
    for (const id of ['b', 'c', 'd']) expect(clipFrames(id)).toHaveLength(14);
    expect(recorder.pickClips.bytes()).toBe(42_000);
    // the exceptions' retention (3 days) does not touch the clips; theirs (7 days) does
    clock.advance(4 * DAY);
    recorder.prune();
    expect(recorder.pickClips.bytes()).toBe(42_000);
    clock.advance(3 * DAY - 150_000);
    recorder.prune();
    // c and d were stored less than 7 days ago
    expect(recorder.pickClips.heldFor('b', 'alice')).toBeUndefined();
    expect(clipFrames('b')).toEqual([]);
    expect(recorder.pickClips.bytes()).toBe(28_000);
    expect(await metric('walkout_edge_pick_clips_evicted_total')).toEqual([
      { value: 1, labels: { reason: 'bytes' } },
      { value: 1, labels: { reason: 'age' } },
    ]);
    expect((await metric('walkout_edge_pick_clip_bytes'))[0]?.value).toBe(28_000);
  });
});
