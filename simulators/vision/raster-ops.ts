// Pixel operations the camera renderer does itself on raw RGB frames (faster than a sharp round trip at this
// size): alpha-blending RGBA tiles in, blending a sparse overlay, lighting and Gaussian sensor noise.
import type { Random } from '../../shared/random.ts';
import type { Conditions } from './frame-renderer.ts';

const NOISE_TABLE_SIZE = 1 << 20;
let noiseTable: Float32Array | undefined;

/** Brightness times every pixel plus Gaussian sensor noise, from a fixed table at a random offset. */
export function addLightAndNoise(raw: Buffer, conditions: Conditions, random: Random): void {
  if (noiseTable === undefined) {
    const table = new Float32Array(NOISE_TABLE_SIZE);
    for (let i = 0; i < table.length; i++) table[i] = random.normal();
    noiseTable = table;
  }
  const table = noiseTable;
  const mask = NOISE_TABLE_SIZE - 1;
  const offset = Math.floor(random.next() * NOISE_TABLE_SIZE);
  const { brightness, noiseSd } = conditions;
  for (let i = 0; i < raw.length; i++) {
    raw[i] = (raw[i] ?? 0) * brightness + noiseSd * (table[(offset + i) & mask] ?? 0);
  }
}

/** Alpha-blends a square RGBA tile into an RGB frame at (left, top), clipping at the frame's border. */
export function blend(
  frame: Buffer,
  width: number,
  height: number,
  rgba: Buffer,
  size: number,
  left: number,
  top: number,
) {
  const tileW = size;
  const tileH = rgba.length / 4 / size;
  for (let ty = Math.max(0, -top); ty < tileH && top + ty < height; ty++) {
    for (let tx = Math.max(0, -left); tx < tileW && left + tx < width; tx++) {
      const t = (ty * tileW + tx) * 4;
      const alpha = (rgba[t + 3] ?? 0) / 255;
      if (alpha === 0) continue;
      const f = ((top + ty) * width + left + tx) * 3;
      for (let c = 0; c < 3; c++)
        frame[f + c] = (frame[f + c] ?? 0) * (1 - alpha) + (rgba[t + c] ?? 0) * alpha;
    }
  }
}

export interface SparsePixels {
  at: Uint32Array;
  alpha: Float32Array;
  rgb: Uint8Array;
}

export function sparsePixels(rgba: Buffer): SparsePixels {
  const at: number[] = [];
  for (let i = 0; i < rgba.length / 4; i++) if ((rgba[i * 4 + 3] ?? 0) > 0) at.push(i);
  const rgb = new Uint8Array(at.length * 3);
  const alpha = new Float32Array(at.length);
  at.forEach((p, i) => {
    alpha[i] = (rgba[p * 4 + 3] ?? 0) / 255;
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = rgba[p * 4 + c] ?? 0;
  });
  return { at: Uint32Array.from(at), alpha, rgb };
}
