import { describe, expect, it } from 'vitest';
import { type ArchivedFrame, FrameArchive } from '../../../../edge/vision/frame-archive.ts';

const jpeg = (bytes = 100) => Buffer.alloc(bytes, 1);

function sink() {
  const got: ArchivedFrame[] = [];
  let done = 0;
  return {
    got,
    done: () => done,
    sink: { frame: (f: ArchivedFrame) => got.push(f), done: () => void done++ },
  };
}

describe('FrameArchive', () => {
  it('keeps at most one frame per interval per camera, only for known cameras, and copies the bytes', () => {
    const archive = new FrameArchive({ cameras: ['C1', 'C2'], minIntervalMs: 500 });
    const kept = [0, 200, 400, 600, 800, 1000, 1200].map((ts) => archive.add('C1', ts, jpeg()));
    expect(kept).toEqual([true, false, false, true, false, false, true]);
    expect(archive.add('C9', 0, jpeg())).toBe(false);
    const source = jpeg();
    archive.add('C2', 0, source);
    source.fill(7);
    expect(archive.between(['C2'], 0, 0)[0]?.jpeg[0]).toBe(1);
    expect(archive.between(['C1', 'C2'], 0, 700).map((f) => [f.camera, f.captureTs])).toEqual([
      ['C1', 0],
      ['C2', 0],
      ['C1', 600],
    ]);
  });

  it('forgets frames older than its window and beyond its byte budget', () => {
    const archive = new FrameArchive({
      cameras: ['C1'],
      windowMs: 2000,
      minIntervalMs: 0,
      maxBytesPerCamera: 350,
    });
    for (let ts = 0; ts <= 3000; ts += 500) archive.add('C1', ts, jpeg(100));
    // window: 1000..3000 is 5 frames, 500 bytes; the budget keeps the newest 3
    expect(archive.between(['C1'], 0, 5000).map((f) => f.captureTs)).toEqual([2000, 2500, 3000]);
    expect(archive.bytes).toBe(300);
  });

  it('watches hand over past frames at once, later ones as they arrive, and end once every camera is past', () => {
    const archive = new FrameArchive({ cameras: ['C1', 'C2'], minIntervalMs: 0 });
    archive.add('C1', 1000, jpeg());
    archive.add('C1', 2000, jpeg());
    const w = sink();
    archive.watch(['C1', 'C2'], 1500, 3000, w.sink);
    expect(w.got.map((f) => f.captureTs)).toEqual([2000]);
    archive.add('C2', 2500, jpeg());
    archive.add('C1', 3000, jpeg());
    archive.add('C1', 3100, jpeg());
    expect(w.done()).toBe(0);
    archive.add('C2', 3200, jpeg());
    expect(w.done()).toBe(1);
    archive.add('C2', 2900, jpeg()); // older than its newest: not kept, not delivered
    expect(w.got.map((f) => [f.camera, f.captureTs])).toEqual([
      ['C1', 2000],
      ['C2', 2500],
      ['C1', 3000],
    ]);
    expect(archive.watching).toBe(0);
  });

  it('ends a watch whose camera went dark once another is lateMs past the window, and ends at once when all is past', () => {
    const archive = new FrameArchive({ cameras: ['C1', 'C2'], minIntervalMs: 0, lateMs: 1000 });
    const w = sink();
    archive.watch(['C1', 'C2'], 0, 1000, w.sink);
    archive.add('C1', 1500, jpeg());
    expect(w.done()).toBe(0);
    archive.add('C1', 2100, jpeg());
    expect(w.done()).toBe(1);
    const late = sink();
    archive.watch(['C1'], 0, 1000, late.sink);
    expect(late.done()).toBe(1);
  });
});
