import fc from 'fast-check';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { JpegSplitter } from '../../../../bridges/camera-bridge/jpeg-splitter.ts';

const jpeg = (shade: number, size = 16) =>
  sharp({
    create: { width: size, height: size, channels: 3, background: { r: shade, g: 40, b: 200 - shade } },
  })
    .jpeg({ quality: 80 })
    .toBuffer();

/** Cuts `bytes` at the given offsets (sorted, deduplicated). */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    parts.push(bytes.subarray(from, p));
    from = p;
  }
  parts.push(bytes.subarray(from));
  return parts;
}

describe('JpegSplitter', () => {
  it('gives back every JPEG of a stream however it is chunked, garbage between frames skipped', async () => {
    const frames = await Promise.all([jpeg(10), jpeg(120), jpeg(250, 24)]);
    const stream = Buffer.concat([
      Buffer.from([0x00, 0xff, 0x13]),
      frames[0],
      frames[1],
      Buffer.from('xx'),
      frames[2],
    ]);
    await fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 40 }), (offsets) => {
        const splitter = new JpegSplitter(1 << 20);
        const out = cut(stream, offsets).flatMap((chunk) => splitter.push(chunk));
        expect(out).toEqual(frames);
        expect(splitter.stats.frames).toBe(3);
        expect(splitter.stats.skippedBytes).toBe(5);
      }),
      { numRuns: 60 },
    );
  });

  it('splits a stream fed one byte at a time (markers straddling chunks)', async () => {
    const frames = await Promise.all([jpeg(30), jpeg(90)]);
    const splitter = new JpegSplitter(1 << 20);
    const stream = Buffer.concat(frames);
    const out: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) out.push(...splitter.push(stream.subarray(i, i + 1)));
    expect(out).toEqual(frames);
  });

  it('drops and counts a frame above the bound, and keeps the next one', async () => {
    const big = await jpeg(50, 200);
    const small = await jpeg(60, 8);
    const splitter = new JpegSplitter(small.length + 10);
    const out = splitter.push(Buffer.concat([big, small]));
    expect(out).toEqual([small]);
    expect(splitter.stats).toEqual({ frames: 1, oversized: 1, skippedBytes: 0 });
  });

  it('forgets a partial frame on reset', async () => {
    const a = await jpeg(70);
    const splitter = new JpegSplitter(1 << 20);
    expect(splitter.push(a.subarray(0, 40))).toEqual([]);
    splitter.reset();
    expect(splitter.push(a)).toEqual([a]);
  });
});
