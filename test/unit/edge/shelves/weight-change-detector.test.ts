import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type WeightChange, WeightChangeDetector } from '../../../../edge/shelves/weight-change-detector.ts';
import { Random } from '../../../../shared/random.ts';

const PERIOD = 1000 / 60;

/**
 * A level signal with white noise, `step` grams added from sample `at` + 15 over 3 samples, as units leave
 * a plate (after a hand transient when `pressGrams` is given).
 */
function signal(
  length: number,
  base: number,
  steps: { at: number; grams: number; pressGrams?: number }[],
  sd: number,
  seed = 1,
) {
  const rng = new Random(seed);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    let v = base;
    for (const s of steps) {
      if (i >= s.at + 15) v += s.grams * Math.min(1, (i - s.at - 14) / 3);
      else if (i >= s.at && s.pressGrams) v += s.pressGrams;
    }
    out[i] = v + sd * rng.normal();
  }
  return out;
}

function run(samples: Float64Array, batch = 12): WeightChange[] {
  const detector = new WeightChangeDetector();
  const out: WeightChange[] = [];
  for (let i = 0; i < samples.length; i += batch)
    detector.push(samples.subarray(i, i + batch), 1_000_000 + i * PERIOD, PERIOD, out);
  return out;
}

describe('WeightChangeDetector', () => {
  it('reports a 300 g pick with its delta and sample-accurate start', () => {
    const events = run(signal(300, 1200, [{ at: 120, grams: -300 }], 2));
    expect(events).toHaveLength(1);
    const [e] = events;
    expect(e?.deltaGrams).toBeCloseTo(-300, -1);
    expect(Math.abs((e?.deltaGrams ?? 0) + 300)).toBeLessThan(3);
    // the step lands at sample 135 (120 + 15)
    expect(e?.startTs).toBeCloseTo(1_000_000 + 135 * PERIOD, 5);
    expect(e?.endTs).toBeGreaterThan(e?.startTs ?? 0);
  });

  it('reports a put-back as a positive change and ignores a hand press that returns to the old level', () => {
    const events = run(
      signal(
        400,
        800,
        [
          { at: 100, grams: 0, pressGrams: 250 },
          { at: 250, grams: 90 },
        ],
        2,
      ),
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.deltaGrams).toBeGreaterThan(85);
    expect(events[0]?.deltaGrams).toBeLessThan(95);
  });

  it('takes a one-sample jump with no transient for a sensor reset: re-baselined, not reported', () => {
    const rng = new Random(3);
    const samples = Float64Array.from({ length: 300 }, (_, i) => (i < 150 ? 900 : 1700) + 2 * rng.normal());
    const detector = new WeightChangeDetector();
    const out: WeightChange[] = [];
    for (let i = 0; i < samples.length; i += 12)
      detector.push(samples.subarray(i, i + 12), i * PERIOD, PERIOD, out);
    expect(out).toEqual([]);
    expect(detector.resets).toBe(1);
    expect(detector.level()).toBeCloseTo(1700, -1);
  });

  it('reports nothing on noise alone, and nothing before the first stable window', () => {
    expect(run(signal(3600, 500, [], 3, 7))).toHaveLength(0);
  });

  it('counts invalid and out-of-order samples without using them', () => {
    const detector = new WeightChangeDetector();
    const out: WeightChange[] = [];
    detector.push([1, Number.NaN, Number.POSITIVE_INFINITY, 2], 1000, PERIOD, out);
    detector.push([3], 900, PERIOD, out);
    expect(detector.invalidSamples).toBe(3);
  });

  it('never throws and never reports a non-finite delta, whatever the samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double(), fc.constant(Number.NaN), fc.integer({ min: -1e9, max: 1e9 })), {
          maxLength: 400,
        }),
        (values) => {
          const detector = new WeightChangeDetector();
          const out: WeightChange[] = [];
          detector.push(values, 0, PERIOD, out);
          return out.every((e) => Number.isFinite(e.deltaGrams) && e.endTs > e.startTs);
        },
      ),
    );
  });
});
