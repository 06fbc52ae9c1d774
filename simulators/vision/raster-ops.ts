// Pixel operations the camera renderer does itself on raw RGB frames (faster than a sharp round trip at this
// size): alpha-blending RGBA tiles in, blending a sparse overlay, lighting and Gaussian sensor noise.
// The models were trained on these exact bytes, so every fast path here computes the same doubles as the
// plain formula `frame * (1 - alpha) + colour * alpha` / `value * brightness + sd * noise` and stores them with
// the same conversion (a Uint8Array store truncates towards zero and wraps modulo 256; noise can push a value
// below 0 or past 255 and it wraps, which the training renders did too).
import { Random } from '../../shared/random.ts';
import type { Conditions } from './camera-conditions.ts';

const NOISE_TABLE_SIZE = 1 << 20;
/** Seed of the shared noise table: fixed, so no camera's own stream pays for it and every run draws the same. */
export const NOISE_TABLE_SEED = 0x5e45_0123;
/**
 * Standard normal draws from their own fixed stream (every camera shares them; each frame reads them from a
 * random offset drawn from its camera's stream), then repeated so that `offset + i` never has to wrap in the
 * hot loop: noise[k] === noise[k mod table size]. Grown when a longer frame comes.
 */
let noise: Float32Array | undefined;

/** Uint32 words are read and written as four bytes in memory order only on little-endian machines. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function noiseFor(length: number): Float32Array {
  let table = noise;
  if (table === undefined) {
    const random = new Random(NOISE_TABLE_SEED);
    table = new Float32Array(NOISE_TABLE_SIZE);
    for (let i = 0; i < table.length; i++) table[i] = random.normal();
  }
  if (table.length < NOISE_TABLE_SIZE + length) {
    const longer = new Float32Array(NOISE_TABLE_SIZE + length);
    for (let k = 0; k < longer.length; k += NOISE_TABLE_SIZE) {
      longer.set(table.subarray(0, Math.min(NOISE_TABLE_SIZE, longer.length - k)), k);
    }
    table = longer;
  }
  noise = table;
  return table;
}

/** Brightness times every pixel plus Gaussian sensor noise, from a fixed table at a random offset. */
export function addLightAndNoise(raw: Uint8Array, conditions: Conditions, random: Random): void {
  const table = noiseFor(raw.length);
  const offset = Math.floor(random.next() * NOISE_TABLE_SIZE);
  const { brightness, noiseSd } = conditions;
  // bytes before the first 4-byte boundary and after the last one go one by one; the rest a word at a time
  // (four bytes per load and store is what makes this loop fast)
  const head = LITTLE_ENDIAN ? Math.min(raw.length, (4 - (raw.byteOffset & 3)) & 3) : raw.length;
  const words = (raw.length - head) >> 2;
  const tail = head + words * 4;
  for (let i = 0; i < head; i++) {
    raw[i] = (raw[i] as number) * brightness + noiseSd * (table[offset + i] as number);
  }
  if (words > 0) {
    const w32 = new Uint32Array(raw.buffer, raw.byteOffset + head, words);
    for (let w = 0, j = offset + head; w < words; w++, j += 4) {
      const v = w32[w] as number;
      // `| 0` truncates and wraps like the byte store; its low 8 bits are the byte the store would keep
      const b0 = ((v & 255) * brightness + noiseSd * (table[j] as number)) | 0;
      const b1 = (((v >>> 8) & 255) * brightness + noiseSd * (table[j + 1] as number)) | 0;
      const b2 = (((v >>> 16) & 255) * brightness + noiseSd * (table[j + 2] as number)) | 0;
      const b3 = ((v >>> 24) * brightness + noiseSd * (table[j + 3] as number)) | 0;
      w32[w] = (b0 & 255) | ((b1 & 255) << 8) | ((b2 & 255) << 16) | (b3 << 24);
    }
  }
  for (let i = tail; i < raw.length; i++) {
    raw[i] = (raw[i] as number) * brightness + noiseSd * (table[offset + i] as number);
  }
}

/** a / 255 and 1 − a / 255 for every 8-bit alpha: the same doubles the blend formula computes inline. */
const ALPHA = Float64Array.from({ length: 256 }, (_, a) => a / 255);
const ONE_MINUS_ALPHA = ALPHA.map((a) => 1 - a);

/** Alpha-blends a square RGBA tile into an RGB frame at (left, top), clipping at the frame's border. */
export function blend(
  frame: Uint8Array,
  width: number,
  height: number,
  rgba: Uint8Array,
  size: number,
  left: number,
  top: number,
): void {
  const tileW = size;
  const tileH = rgba.length / 4 / size;
  const x0 = Math.max(0, -left);
  const x1 = Math.min(tileW, width - left);
  const y1 = Math.min(tileH, height - top);
  for (let ty = Math.max(0, -top); ty < y1; ty++) {
    let t = (ty * tileW + x0) * 4;
    let f = ((top + ty) * width + left + x0) * 3;
    for (let tx = x0; tx < x1; tx++, t += 4, f += 3) {
      const a = rgba[t + 3] as number;
      if (a === 0) continue;
      if (a === 255) {
        // frame * 0 + colour * 1 is exactly the colour
        frame[f] = rgba[t] as number;
        frame[f + 1] = rgba[t + 1] as number;
        frame[f + 2] = rgba[t + 2] as number;
        continue;
      }
      const alpha = ALPHA[a] as number;
      const keep = ONE_MINUS_ALPHA[a] as number;
      frame[f] = (frame[f] as number) * keep + (rgba[t] as number) * alpha;
      frame[f + 1] = (frame[f + 1] as number) * keep + (rgba[t + 1] as number) * alpha;
      frame[f + 2] = (frame[f + 2] as number) * keep + (rgba[t + 2] as number) * alpha;
    }
  }
}

/** True when a square RGBA tile placed at (left, top) has a drawn pixel (alpha > 0) inside the frame. */
export function coversAnyPixel(
  width: number,
  height: number,
  rgba: Uint8Array,
  size: number,
  left: number,
  top: number,
): boolean {
  const tileH = rgba.length / 4 / size;
  const x0 = Math.max(0, -left);
  const x1 = Math.min(size, width - left);
  const y1 = Math.min(tileH, height - top);
  for (let ty = Math.max(0, -top); ty < y1; ty++) {
    for (let tx = x0, t = (ty * size + x0) * 4 + 3; tx < x1; tx++, t += 4) if (rgba[t] !== 0) return true;
  }
  return false;
}

/** An overlay that covers few pixels: where it is drawn, with what colour and alpha. */
export interface SparsePixels {
  /** Pixel indices (y × width + x) the overlay covers, the `opaque` fully opaque ones first. */
  at: Uint32Array;
  /** Alpha in [0, 1], rounded to float32 as it always was (the blend multiplies by that rounded value). */
  alpha: Float32Array;
  rgb: Uint8Array;
  /** How many entries come first with alpha exactly 1: their blend is a plain copy of the colour. */
  opaque: number;
}

/** Collects the drawn pixels of an RGBA overlay, the fully opaque ones first. */
export function sparsePixels(rgba: Uint8Array): SparsePixels {
  const solid: number[] = [];
  const edge: number[] = [];
  for (let i = 0; i < rgba.length / 4; i++) {
    const a = rgba[i * 4 + 3] as number;
    if (a === 255) solid.push(i);
    else if (a > 0) edge.push(i);
  }
  const at = Uint32Array.from([...solid, ...edge]);
  const rgb = new Uint8Array(at.length * 3);
  const alpha = new Float32Array(at.length);
  at.forEach((p, i) => {
    alpha[i] = (rgba[p * 4 + 3] as number) / 255;
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = rgba[p * 4 + c] as number;
  });
  return { at, alpha, rgb, opaque: solid.length };
}

/** Blends a sparse overlay into an RGB frame (over whatever is drawn there already). */
export function blendSparse(frame: Uint8Array, overlay: SparsePixels): void {
  const { at, alpha, rgb, opaque } = overlay;
  for (let i = 0; i < opaque; i++) {
    const f = (at[i] as number) * 3;
    frame[f] = rgb[i * 3] as number;
    frame[f + 1] = rgb[i * 3 + 1] as number;
    frame[f + 2] = rgb[i * 3 + 2] as number;
  }
  for (let i = opaque; i < at.length; i++) {
    const f = (at[i] as number) * 3;
    const a = alpha[i] as number;
    const keep = 1 - a;
    frame[f] = (frame[f] as number) * keep + (rgb[i * 3] as number) * a;
    frame[f + 1] = (frame[f + 1] as number) * keep + (rgb[i * 3 + 1] as number) * a;
    frame[f + 2] = (frame[f + 2] as number) * keep + (rgb[i * 3 + 2] as number) * a;
  }
}
