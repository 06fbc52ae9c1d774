import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeToRgb, writeCrop, writeNchw } from '../../../../edge/vision/frame-prep.ts';
import { LatestFrameQueue } from '../../../../edge/vision/frame-queue.ts';
import { decodeHeatmap } from '../../../../edge/vision/heatmap-decode.ts';

describe('frame preparation', () => {
  it('decodes a 640×480 JPEG to the model size and lays it out as normalised NCHW', async () => {
    // left half red, right half blue
    const raw = Buffer.alloc(640 * 480 * 3);
    for (let y = 0; y < 480; y++) {
      for (let x = 0; x < 640; x++) raw.set(x < 320 ? [250, 0, 0] : [0, 0, 250], (y * 640 + x) * 3);
    }
    const jpeg = await sharp(raw, { raw: { width: 640, height: 480, channels: 3 } })
      .jpeg({ quality: 95 })
      .toBuffer();
    const size = { width: 128, height: 96 };
    const rgb = await decodeToRgb(jpeg, size);
    expect(rgb.length).toBe(128 * 96 * 3);
    const batch = new Float32Array(2 * 3 * 128 * 96).fill(-1);
    writeNchw(rgb, size, batch, 1);
    expect(batch[0]).toBe(-1); // item 0 untouched
    const base = 3 * 128 * 96;
    const plane = 128 * 96;
    const px = (c: number, x: number, y: number) => batch[base + c * plane + y * 128 + x] ?? Number.NaN;
    expect(px(0, 10, 50)).toBeGreaterThan(0.9); // red channel, left
    expect(px(2, 10, 50)).toBeLessThan(0.1);
    expect(px(2, 120, 50)).toBeGreaterThan(0.9); // blue channel, right
    expect(Math.min(...batch.subarray(base))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...batch.subarray(base))).toBeLessThanOrEqual(1);
    expect(() => writeNchw(rgb.subarray(3), size, batch, 0)).toThrow(RangeError);
  });

  it('cuts crops centred on a point, black outside the image', () => {
    const size = { width: 4, height: 4 };
    const rgb = new Uint8Array(4 * 4 * 3).map((_, i) => (Math.floor(i / 3) === 5 ? 255 : 0)); // pixel (1, 1) white
    const out = new Float32Array(3 * 2 * 2);
    writeCrop(rgb, size, 1, 1, 2, out, 0); // crop covers x 0–1, y 0–1
    expect([...out.subarray(0, 4)]).toEqual([0, 0, 0, 1]);
    writeCrop(rgb, size, 0, 0, 2, out, 0); // crop covers x −1–0: outside is black
    expect([...out.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
  });

  it('decodes heatmap peaks with sub-cell precision', () => {
    const w = 8;
    const h = 6;
    const heat = new Float32Array(w * h);
    heat[2 * w + 3] = 0.9;
    heat[2 * w + 4] = 0.9 * 0.5; // mass to the right pulls the peak right
    heat[4 * w + 6] = 0.2; // below threshold
    const peaks = decodeHeatmap(heat, 0, w, h, 2, 0.3);
    expect(peaks).toHaveLength(1);
    expect(peaks[0]?.x).toBeCloseTo((3 + 0.45 / 1.35) * 2, 6);
    expect(peaks[0]?.y).toBeCloseTo(4, 6);
  });

  it('keeps only the latest frame per camera and counts the dropped ones', async () => {
    const queue = new LatestFrameQueue<number>();
    queue.put('A', 1);
    queue.put('A', 2);
    queue.put('B', 3);
    expect(queue.dropped).toBe(1);
    await queue.whenReady();
    expect(queue.takeAll().sort()).toEqual([2, 3]);
    expect(queue.size).toBe(0);
  });
});
