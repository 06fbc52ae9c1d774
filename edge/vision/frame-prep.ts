// Frame preparation for the models: JPEG → RGB at the model's input size (sharp, shrink-on-load), then
// normalised float32 NCHW written straight into a batch tensor. Also cuts per-person crops for the embedder.
import sharp from 'sharp';

export interface InputSize {
  width: number;
  height: number;
}

/** Decodes and resizes a JPEG to `size`, returning interleaved RGB bytes (HWC). */
export async function decodeToRgb(jpeg: Buffer, size: InputSize): Promise<Buffer> {
  return sharp(jpeg, { sequentialRead: true })
    .resize(size.width, size.height, { fit: 'fill', kernel: 'linear' })
    .removeAlpha()
    .raw()
    .toBuffer();
}

/**
 * byte / 255 rounded to float32 for every byte: exactly the float32 that storing `byte / 255` into a
 * Float32Array gives, looked up instead of divided (the division was most of writeNchw's time).
 */
const UNIT = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * Writes HWC RGB bytes into `batch` as CHW floats in [0, 1] for batch item `index`.
 * The models are trained on exactly this scaling (training/*.py divides the same bytes by 255).
 */
export function writeNchw(rgb: Uint8Array, size: InputSize, batch: Float32Array, index: number): void {
  const plane = size.width * size.height;
  if (rgb.length !== plane * 3) throw new RangeError(`expected ${plane * 3} RGB bytes, got ${rgb.length}`);
  const base = index * plane * 3;
  if (base + plane * 3 > batch.length) throw new RangeError(`batch too small for item ${index}`);
  const green = base + plane;
  const blue = base + 2 * plane;
  for (let p = 0, i = 0; p < plane; p++, i += 3) {
    batch[base + p] = UNIT[rgb[i] as number] as number;
    batch[green + p] = UNIT[rgb[i + 1] as number] as number;
    batch[blue + p] = UNIT[rgb[i + 2] as number] as number;
  }
}

/**
 * Cuts a `crop`×`crop` patch centred on (cx, cy) in input pixels from HWC RGB bytes into `out` as CHW floats
 * at item `index`; outside the image is black. Same code cuts the training crops.
 */
export function writeCrop(
  rgb: Uint8Array,
  size: InputSize,
  cx: number,
  cy: number,
  crop: number,
  out: Float32Array,
  index: number,
): void {
  const plane = crop * crop;
  const base = index * plane * 3;
  const x0 = Math.round(cx - crop / 2);
  const y0 = Math.round(cy - crop / 2);
  for (let y = 0; y < crop; y++) {
    const sy = y0 + y;
    for (let x = 0; x < crop; x++) {
      const sx = x0 + x;
      const inside = sx >= 0 && sy >= 0 && sx < size.width && sy < size.height;
      const s = (sy * size.width + sx) * 3;
      const p = y * crop + x;
      out[base + p] = inside ? (UNIT[rgb[s] as number] as number) : 0;
      out[base + plane + p] = inside ? (UNIT[rgb[s + 1] as number] as number) : 0;
      out[base + 2 * plane + p] = inside ? (UNIT[rgb[s + 2] as number] as number) : 0;
    }
  }
}
