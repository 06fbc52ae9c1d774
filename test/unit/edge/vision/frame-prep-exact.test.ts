// The model inputs are exactly the float32 of byte / 255 (the scaling the models were trained on), however
// frame-prep computes them: every byte value, in every channel, for whole frames and for crops.
import { describe, expect, it } from 'vitest';
import { writeCrop, writeNchw } from '../../../../edge/vision/frame-prep.ts';

/** Four pixels per byte value: R, G and B cycle through all 256 values in different orders. */
const size = { width: 32, height: 32 };
const rgb = Uint8Array.from(
  { length: 32 * 32 * 3 },
  (_, i) => (i % 3 === 0 ? i / 3 : i % 3 === 1 ? 7 * i : 255 - i) & 255,
);

const expectedPlanes = (pixels: number[]) => {
  const out = new Float32Array(pixels.length * 3);
  pixels.forEach((s, p) => {
    for (let c = 0; c < 3; c++) out[c * pixels.length + p] = s < 0 ? 0 : (rgb[s * 3 + c] as number) / 255;
  });
  return out;
};

describe('model input scaling', () => {
  it('writes every byte value as the float32 of byte / 255, channel-planar', () => {
    const batch = new Float32Array(2 * 3 * 32 * 32);
    writeNchw(rgb, size, batch, 1);
    const expected = expectedPlanes(Array.from({ length: 32 * 32 }, (_, p) => p));
    expect(Buffer.from(batch.buffer, 3 * 32 * 32 * 4)).toEqual(Buffer.from(expected.buffer));
    // all 256 byte values occur in each channel
    for (let c = 0; c < 3; c++) expect(new Set(rgb.filter((_, i) => i % 3 === c)).size).toBe(256);
  });

  it('cuts crops with the same scaling, black outside the image', () => {
    const crop = 6;
    const out = new Float32Array(3 * crop * crop);
    writeCrop(rgb, size, 1, 30, crop, out, 0); // x −2…3, y 27…32: a column and a row fall outside
    const pixels: number[] = [];
    for (let y = 27; y < 33; y++)
      for (let x = -2; x < 4; x++) pixels.push(x < 0 || y >= 32 ? -1 : y * 32 + x);
    expect(Buffer.from(out.buffer)).toEqual(Buffer.from(expectedPlanes(pixels).buffer));
  });
});
