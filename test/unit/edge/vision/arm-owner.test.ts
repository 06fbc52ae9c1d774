// The arm-owner model's decoding: the best cell of its map, refined between cells, in patch pixels; and the
// patch cut around a hand starts where the owner point is measured from (the same origin training used).
import { describe, expect, it } from 'vitest';
import { bestCell, oneHandPerPlace, patchOrigin } from '../../../../edge/vision/arm-owner.ts';
import { writeCrop } from '../../../../edge/vision/frame-prep.ts';

describe('arm-owner decoding', () => {
  it('takes the most probable cell, at its centre, with the mass around it', () => {
    const w = 8;
    const h = 6;
    const map = new Float32Array(2 + w * h).fill(0);
    const at = (x: number, y: number, p: number) => {
      map[2 + y * w + x] = p;
    };
    at(5, 2, 0.6);
    at(1, 4, 0.3); // a second place, less likely
    const g = bestCell(map, 2, w, h, 2);
    expect(g.x).toBeCloseTo(11); // cell 5 covers pixels [10, 12)
    expect(g.y).toBeCloseTo(5);
    expect(g.mass).toBeCloseTo(0.6);
  });

  it('refines towards a neighbour that holds part of the probability', () => {
    const w = 4;
    const map = new Float32Array(w * w).fill(0);
    map[1 * w + 1] = 0.6;
    map[1 * w + 2] = 0.2;
    const g = bestCell(map, 0, w, w, 2);
    expect(g.x).toBeCloseTo((1 + 0.2 / 0.8 + 0.5) * 2);
    expect(g.y).toBeCloseTo(3);
    expect(g.mass).toBeCloseTo(0.8);
  });

  it('measures from the pixel writeCrop puts first', () => {
    const size = { width: 20, height: 10 };
    const rgb = new Uint8Array(size.width * size.height * 3);
    const o = patchOrigin(9.6, 4.4, 4); // → (8, 2)
    rgb[(o.y * size.width + o.x) * 3] = 255;
    const out = new Float32Array(3 * 16);
    writeCrop(rgb, size, 9.6, 4.4, 4, out, 0);
    expect(o).toEqual({ x: 8, y: 2 });
    expect(out[0]).toBe(1);
    expect(out.slice(1, 16).every((v) => v === 0)).toBe(true);
  });

  it('keeps one hand where two of a frame end up together (one long arm found twice), the stronger', () => {
    const short = { x: 40, y: 30, score: 0.5 };
    const tip = { x: 40.8, y: 30.6, score: 0.7 };
    const other = { x: 44, y: 30, score: 0.4 };
    expect(oneHandPerPlace([short, tip, other], 1.5)).toEqual([tip, other]);
    expect(oneHandPerPlace([short, other], 1.5)).toEqual([short, other]);
  });
});
