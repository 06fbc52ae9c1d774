import { describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { ExceptionFrames, type FrameInfo } from '../../../../edge/floor/exception-frames.ts';
import type { StaffException } from '../../../../edge/fusion/exception-queue.ts';
import { FrameArchive } from '../../../../edge/vision/frame-archive.ts';

const exception = (id: string, startTs: number, endTs: number): StaffException => ({
  exceptionId: id,
  reason: 'unattributed',
  status: 'open',
  createdAt: endTs,
  candidateSessions: ['s1', 's2'],
  candidateProducts: [],
  event: {
    v: 1,
    eventId: id,
    kind: 'pick',
    shelf: 'S01',
    lane: 'S01-L05',
    lanes: ['S01-L05'],
    startTs,
    endTs,
    deltaGrams: -300,
    deltaSdGrams: 2,
    hypotheses: [],
    ambiguous: false,
    sessionId: null,
    attribution: 'unattributed',
  } as unknown as StaffException['event'],
});

describe('ExceptionFrames', () => {
  it('stores the frames from 2 s before to 2 s after the event, also those arriving after it opened', () => {
    const db = openEdgeDatabase(':memory:');
    const archive = new FrameArchive({ cameras: ['C1', 'C2', 'C3'], minIntervalMs: 500 });
    const updates: Array<{ frames: FrameInfo[]; complete: boolean }> = [];
    const frames = new ExceptionFrames(db, archive, {
      camerasFor: () => ['C1', 'C2'],
      onUpdate: (_id, f, complete) => updates.push({ frames: f, complete }),
    });
    for (let ts = 0; ts <= 12_000; ts += 500)
      for (const c of ['C1', 'C2', 'C3']) archive.add(c, ts, Buffer.from([ts % 256]));
    frames.capture(exception('x-1', 10_000, 11_000), 50);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.complete).toBe(false);
    for (let ts = 12_500; ts <= 14_000; ts += 500)
      for (const c of ['C1', 'C2', 'C3']) archive.add(c, ts, Buffer.from([1]));
    expect(updates.at(-1)?.complete).toBe(true);
    const kept = frames.list('x-1');
    expect(new Set(kept.map((f) => f.camera))).toEqual(new Set(['C1', 'C2']));
    expect(Math.min(...kept.map((f) => f.captureTs))).toBe(8000);
    expect(Math.max(...kept.map((f) => f.captureTs))).toBe(13_000);
    expect(kept).toHaveLength(2 * 11);
    const first = kept[0] as FrameInfo;
    expect(frames.jpeg('x-1', first.frameId)).toEqual(Buffer.from([8000 % 256]));
    expect(frames.jpeg('x-other', first.frameId)).toBeUndefined();
    expect(frames.listMany(['x-1'])['x-1']?.complete).toBe(true);
    expect(frames.prune(51)).toBe(22);
    expect(frames.list('x-1')).toEqual([]);
  });

  it('gives up on frames that never come (cameras dark or absent) 60 s after the exception opened', () => {
    const db = openEdgeDatabase(':memory:');
    const archive = new FrameArchive({ cameras: ['C1'] });
    const updates: Array<{ id: string; complete: boolean }> = [];
    const frames = new ExceptionFrames(db, archive, {
      camerasFor: () => ['C1'],
      onUpdate: (id, _f, complete) => updates.push({ id, complete }),
    });
    for (let i = 0; i < 3; i++) frames.capture(exception(`x-${i}`, 1000, 2000), 10_000 + i * 30_000);
    expect(archive.watching).toBe(3);
    expect(frames.giveUpOverdue(69_999)).toBe(0);
    expect(frames.giveUpOverdue(70_000)).toBe(1);
    expect(updates).toEqual([{ id: 'x-0', complete: true }]);
    expect(frames.isCapturing('x-0')).toBe(false);
    expect(frames.isCapturing('x-1')).toBe(true);
    expect(frames.giveUpOverdue(200_000)).toBe(2);
    expect(archive.watching).toBe(0);
  });
});
