import { describe, expect, it } from 'vitest';
import {
  cosineLettingThrough,
  lookCosines,
  lookPass,
  lookTests,
  OTHERS_PASS_TARGET,
  TRACKER_COSINES,
} from '../../../../evaluation/vision-eval/look-check.ts';
import type { EmbeddedPerson } from '../../../../evaluation/vision-eval/model-check.ts';

/** A unit vector at `deg` degrees in the plane of the first two axes. */
const look = (deg: number) => {
  const r = (deg * Math.PI) / 180;
  return Float32Array.from([Math.cos(r), Math.sin(r), 0, 0]);
};
const person = (id: number, deg: number, nearestM = Number.POSITIVE_INFINITY): EmbeddedPerson => ({
  id,
  emb: look(deg),
  nearestM,
});

describe('look tests of an embedder', () => {
  it("compares each look with the person's reference (left out) and with everyone else's", () => {
    // person 1 around 0°, person 2 around 90°: three looks each
    const people = [person(1, -5), person(1, 0), person(1, 5), person(2, 85), person(2, 90), person(2, 95)];
    const c = lookCosines(people);
    expect(c.own).toHaveLength(6);
    expect(c.others).toHaveLength(6);
    // own: a look at ±5° against the mean of 0° and ∓5° (2.5° the other side), 7.5° apart
    expect(c.own[0]).toBeCloseTo(Math.cos((7.5 * Math.PI) / 180), 5);
    expect(Math.max(...c.others)).toBeLessThan(0.2);
    expect(lookPass(c, 0.9)).toEqual({ cosine: 0.9, ownPass: 1, othersPass: 0 });
  });

  it('learns no reference from crowded looks, but still counts them against others', () => {
    const people = [
      person(1, 0),
      person(1, 0),
      person(1, 0, 0.5),
      person(2, 90),
      person(2, 90),
      person(2, 90),
    ];
    const c = lookCosines(people);
    // person 1 has two uncrowded looks: no reference; their three looks are compared with person 2's
    expect(c.own).toHaveLength(3);
    expect(c.others).toHaveLength(3);
  });

  it('finds the lowest cosine letting through no more than a share of the others', () => {
    const c = { own: [0.9], others: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.95] };
    expect(cosineLettingThrough(c, 0.1)).toBe(0.86);
    expect(cosineLettingThrough(c, 0.2)).toBe(0.81);
    expect(cosineLettingThrough(c, 0)).toBe(0.96);
    const tests = lookTests(c);
    expect(tests.recover.cosine).toBe(TRACKER_COSINES.recover);
    expect(tests.recover.target).toBe(OTHERS_PASS_TARGET.recover);
  });
});
