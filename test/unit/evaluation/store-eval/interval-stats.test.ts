import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../../../evaluation/store-eval/eval-report-types.ts';
import {
  calibrationBins,
  IntervalStatsError,
  wilsonInterval,
} from '../../../../evaluation/store-eval/interval-stats.ts';

describe('wilsonInterval', () => {
  it('matches the published 95 % Wilson intervals', () => {
    const [lo, hi] = wilsonInterval(9, 10);
    expect(lo).toBeCloseTo(0.5958, 4);
    expect(hi).toBeCloseTo(0.9821, 4);
    const [lo5, hi5] = wilsonInterval(5, 10);
    expect(lo5).toBeCloseTo(0.2366, 4);
    expect(hi5).toBeCloseTo(0.7634, 4);
  });

  it('is [n/(n+z²), 1] when every trial succeeded and [0, z²/(n+z²)] when none did', () => {
    const [lo, hi] = wilsonInterval(300, 300);
    expect(lo).toBeCloseTo(300 / (300 + 1.96 ** 2), 10); // 0.98736
    expect(lo).toBeCloseTo(0.98736, 5);
    expect(hi).toBe(1);
    const [zero, upper] = wilsonInterval(0, 10);
    expect(zero).toBe(0);
    expect(upper).toBeCloseTo(1.96 ** 2 / (10 + 1.96 ** 2), 10); // 0.27754
  });

  it('tells nothing without trials', () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });

  it('widens with a larger z', () => {
    const [lo95, hi95] = wilsonInterval(9, 10);
    const [lo99, hi99] = wilsonInterval(9, 10, 2.576);
    expect(lo99).toBeLessThan(lo95);
    expect(hi99).toBeGreaterThan(hi95);
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(IntervalStatsError);
    expect(() => wilsonInterval(-1, 10)).toThrow(IntervalStatsError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(IntervalStatsError);
  });

  const trials = fc
    .integer({ min: 1, max: 5000 })
    .chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));

  it('holds the observed rate and stays inside [0, 1]', () => {
    fc.assert(
      fc.property(trials, ([s, n]) => {
        const [lo, hi] = wilsonInterval(s, n);
        expect(lo).toBeGreaterThanOrEqual(0);
        expect(hi).toBeLessThanOrEqual(1);
        expect(lo).toBeLessThanOrEqual(s / n);
        expect(hi).toBeGreaterThanOrEqual(s / n);
        expect(hi).toBeGreaterThan(lo);
      }),
    );
  });

  it('narrows as the same rate is seen over more trials', () => {
    fc.assert(
      fc.property(trials, fc.integer({ min: 2, max: 50 }), ([s, n], k) => {
        const [lo, hi] = wilsonInterval(s, n);
        const [loK, hiK] = wilsonInterval(s * k, n * k);
        expect(hiK - loK).toBeLessThan(hi - lo);
      }),
    );
  });
});

const decision = (confidence: number | null, correct: boolean | null, attribution = 'vision'): Decision => ({
  scenario: 's',
  family: 'f',
  seed: 1,
  atS: 1,
  kind: 'pick',
  lane: 'S01-L01',
  sku: 'SKU-1',
  count: 1,
  truthShopper: 'alice',
  billedTo: attribution === 'staff' ? null : 'alice',
  attribution,
  confidence,
  correct,
  rule: 'reach',
  candidates: ['alice'],
  evidence: {},
});

describe('calibrationBins', () => {
  it('returns all ten bins of 0.1, labelled, with 1.0 in the last one and bin edges exact', () => {
    const bins = calibrationBins([
      decision(1.0, true),
      decision(0.95, false),
      decision(0.9, true),
      decision(0.3, true), // 0.3 / 0.1 is 2.999…: still the 0.3-0.4 bin
      decision(0.7, false),
      decision(0, true),
    ]);
    expect(bins).toHaveLength(10);
    expect(bins.map((b) => b.bin)).toEqual([
      '0.0-0.1',
      '0.1-0.2',
      '0.2-0.3',
      '0.3-0.4',
      '0.4-0.5',
      '0.5-0.6',
      '0.6-0.7',
      '0.7-0.8',
      '0.8-0.9',
      '0.9-1.0',
    ]);
    expect(bins[9]).toEqual({ bin: '0.9-1.0', lo: 0.9, hi: 1, lines: 3, correct: 2 });
    expect(bins[3]).toMatchObject({ lines: 1, correct: 1 });
    expect(bins[7]).toMatchObject({ lines: 1, correct: 0 });
    expect(bins[0]).toMatchObject({ lo: 0, lines: 1, correct: 1 });
    expect(bins[2]).toMatchObject({ lines: 0, correct: 0 });
  });

  it('counts only what the edge billed on its own', () => {
    const bins = calibrationBins([
      decision(0.95, true, 'sole-session'),
      decision(0.95, null, 'staff'),
      decision(0.95, false, 'unattributed'),
      decision(null, true, 'vision'),
      decision(0.95, null, 'vision'),
    ]);
    expect(bins.reduce((n, b) => n + b.lines, 0)).toBe(1);
    expect(bins[9]).toMatchObject({ lines: 1, correct: 1 });
  });

  it('takes other widths that divide 1', () => {
    const bins = calibrationBins([decision(0.5, true), decision(0.49, false)], 0.25);
    expect(bins.map((b) => b.bin)).toEqual(['0.00-0.25', '0.25-0.50', '0.50-0.75', '0.75-1.00']);
    expect(bins.map((b) => b.lines)).toEqual([0, 1, 1, 0]);
    expect(() => calibrationBins([], 0.3)).toThrow(IntervalStatsError);
    expect(() => calibrationBins([decision(1.2, true)])).toThrow(/outside \[0, 1\]/);
  });

  it('puts every automatic line in exactly one bin whose range holds its confidence', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean())), (rows) => {
        const bins = calibrationBins(rows.map(([c, ok]) => decision(c, ok)));
        expect(bins.reduce((n, b) => n + b.lines, 0)).toBe(rows.length);
        expect(bins.reduce((n, b) => n + b.correct, 0)).toBe(rows.filter(([, ok]) => ok).length);
        for (const [c] of rows) {
          const one = calibrationBins([decision(c, true)]).find((b) => b.lines === 1);
          expect(one).toBeDefined();
          if (one === undefined) continue;
          expect(c).toBeGreaterThanOrEqual(one.lo - 1e-9);
          expect(c <= one.hi).toBe(true);
        }
      }),
    );
  });
});
