// The renderer's fast pixel loops give exactly the bytes of the plain formulas they replaced (the models were
// trained on those bytes): the reference implementations below are the original loops, kept as the spec.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../../shared/random.ts';
import type { Conditions } from '../../../../simulators/vision/camera-conditions.ts';
import {
  addLightAndNoise,
  blend,
  blendSparse,
  NOISE_TABLE_SEED,
  sparsePixels,
} from '../../../../simulators/vision/raster-ops.ts';

const TABLE_SIZE = 1 << 20;

/** The plain noise pass: the table from its own fixed stream, the offset from the frame's, byte by byte. */
function referenceNoise(random: Random) {
  let table: Float32Array | undefined;
  return (raw: Uint8Array, conditions: Conditions) => {
    if (table === undefined) {
      const tableRandom = new Random(NOISE_TABLE_SEED);
      table = new Float32Array(TABLE_SIZE);
      for (let i = 0; i < table.length; i++) table[i] = tableRandom.normal();
    }
    const offset = Math.floor(random.next() * TABLE_SIZE);
    for (let i = 0; i < raw.length; i++) {
      raw[i] =
        (raw[i] ?? 0) * conditions.brightness +
        conditions.noiseSd * (table[(offset + i) & (TABLE_SIZE - 1)] ?? 0);
    }
  };
}

function referenceBlend(
  frame: Uint8Array,
  width: number,
  height: number,
  rgba: Uint8Array,
  size: number,
  left: number,
  top: number,
) {
  const tileH = rgba.length / 4 / size;
  for (let ty = Math.max(0, -top); ty < tileH && top + ty < height; ty++) {
    for (let tx = Math.max(0, -left); tx < size && left + tx < width; tx++) {
      const t = (ty * size + tx) * 4;
      const alpha = (rgba[t + 3] ?? 0) / 255;
      if (alpha === 0) continue;
      const f = ((top + ty) * width + left + tx) * 3;
      for (let c = 0; c < 3; c++)
        frame[f + c] = (frame[f + c] ?? 0) * (1 - alpha) + (rgba[t + c] ?? 0) * alpha;
    }
  }
}

function referenceSparseBlend(frame: Uint8Array, rgba: Uint8Array) {
  for (let p = 0; p < rgba.length / 4; p++) {
    const a = rgba[p * 4 + 3] ?? 0;
    if (a === 0) continue;
    const alpha = Math.fround(a / 255); // the overlay kept its alpha as float32
    for (let c = 0; c < 3; c++) {
      frame[p * 3 + c] = (frame[p * 3 + c] ?? 0) * (1 - alpha) + (rgba[p * 4 + c] ?? 0) * alpha;
    }
  }
}

/** Alpha bytes as rasterised shapes have them: mostly transparent or opaque, some anti-aliased edges. */
const alphaByte = fc.oneof(fc.constant(0), fc.constant(255), fc.integer({ min: 0, max: 255 }));
const rgbaPixels = (count: number) =>
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: 255 }), alphaByte), { minLength: count, maxLength: count })
    .map((pixels) => Uint8Array.from(pixels.flatMap(([v, a]) => [v, 255 - v, (v * 7) & 255, a])));

const conditions = (brightness: number, noiseSd: number): Conditions => ({
  brightness,
  noiseSd,
  blurSigma: 0,
  jpegQuality: 75,
});

describe('raster operations are bit-exact with the plain formulas', () => {
  // one stream pair for the whole file: both draw the same offsets
  const fast = new Random(77);
  const reference = referenceNoise(new Random(77));

  it('lights and noises any bytes at any alignment like the byte-by-byte loop, wrapping past 0 and 255', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 3000 }),
        fc.integer({ min: 0, max: 3 }),
        fc.double({ min: 0.3, max: 1.6, noNaN: true }),
        fc.double({ min: 0, max: 40, noNaN: true }),
        (bytes, shift, brightness, noiseSd) => {
          // a view starting `shift` bytes into its buffer, so the word loop has a head and a tail
          const fastFrame = new Uint8Array(bytes.length + 3).subarray(shift, shift + bytes.length);
          fastFrame.set(bytes);
          const expected = Uint8Array.from(bytes);
          addLightAndNoise(fastFrame, conditions(brightness, noiseSd), fast);
          reference(expected, conditions(brightness, noiseSd));
          expect(fastFrame).toEqual(expected);
        },
      ),
    );
  });

  it('wraps around the noise table on a frame longer than the table', () => {
    const length = TABLE_SIZE + 12_345;
    const bytes = new Uint8Array(length).map((_, i) => (i * 2_654_435_761) >>> 24);
    const fastFrame = new Uint8Array(length + 1).subarray(1);
    fastFrame.set(bytes);
    addLightAndNoise(fastFrame, conditions(0.9, 6), fast);
    reference(bytes, conditions(0.9, 6));
    expect(Buffer.compare(fastFrame, bytes)).toBe(0);
  });

  it('blends tiles like the plain formula, clipped at every border', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((size) =>
          fc.record({
            size: fc.constant(size),
            rgba: rgbaPixels(size * size),
            width: fc.integer({ min: 1, max: 20 }),
            height: fc.integer({ min: 1, max: 20 }),
            left: fc.integer({ min: -15, max: 25 }),
            top: fc.integer({ min: -15, max: 25 }),
            seed: fc.integer(),
          }),
        ),
        ({ size, rgba, width, height, left, top, seed }) => {
          const random = new Random(seed);
          const frame = Uint8Array.from({ length: width * height * 3 }, () => random.int(0, 255));
          const expected = Uint8Array.from(frame);
          blend(frame, width, height, rgba, size, left, top);
          referenceBlend(expected, width, height, rgba, size, left, top);
          expect(frame).toEqual(expected);
        },
      ),
    );
  });

  it('blends a sparse overlay like the plain formula', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 300 })
          .chain((pixels) => fc.record({ rgba: rgbaPixels(pixels), seed: fc.integer() })),
        ({ rgba, seed }) => {
          const random = new Random(seed);
          const frame = Uint8Array.from({ length: (rgba.length / 4) * 3 }, () => random.int(0, 255));
          const expected = Uint8Array.from(frame);
          blendSparse(frame, sparsePixels(rgba));
          referenceSparseBlend(expected, rgba);
          expect(frame).toEqual(expected);
        },
      ),
    );
  });
});
