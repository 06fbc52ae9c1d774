// The load-cell emulator's faults, hand styles and noisy-profile ring, and the shelf evaluation's
// matching rule: what the situations of issue #3 are built from.
import { describe, expect, it } from 'vitest';
import { emptyTally, scoreRun, summarize } from '../../../../evaluation/shelf-eval/score-shelf-events.ts';
import type { TruthEvent } from '../../../../evaluation/shelf-eval/shelf-script.ts';
import { Random } from '../../../../shared/random.ts';
import type { DetectedShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { CellSignal } from '../../../../simulators/devices/cell-signal.ts';
import {
  interactionGrams,
  planBump,
  planInteraction,
} from '../../../../simulators/devices/hand-interaction.ts';
import { NOISE_PROFILES } from '../../../../simulators/devices/noise-profiles.ts';

const PERIOD = 1000 / 60;
const quietCell = () => new CellSignal('C1', 1000, 500, NOISE_PROFILES.quiet, new Random(3));
const readings = (cell: CellSignal, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => cell.read(from + i * PERIOD));
const sd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

describe('cell faults', () => {
  it('a dead cell reads null from its fault time on, and reads again after it', () => {
    const cell = quietCell();
    cell.fault({ kind: 'dead', fromTs: 1000, untilTs: 2000 });
    expect(readings(cell, 0, 60).every((g) => g !== null)).toBe(true);
    expect(readings(cell, 1000, 60).every((g) => g === null)).toBe(true);
    expect(readings(cell, 2000, 10).every((g) => g !== null)).toBe(true);
  });

  it('a stuck cell repeats the reading it had just before, whatever happens on the plate', () => {
    const cell = quietCell();
    const before = readings(cell, 0, 60).at(-1);
    cell.fault({ kind: 'stuck', fromTs: 1000 });
    cell.interact(planInteraction(1200, -300, new Random(1)));
    expect(new Set(readings(cell, 1000, 180))).toEqual(new Set([before]));
  });

  it('a tare jump moves the reading by its grams within one sample; temperature ramps it', () => {
    const cell = quietCell();
    cell.fault({ kind: 'tare-jump', atTs: 1000, grams: -800 });
    const around = readings(cell, 1000 - 2 * PERIOD, 4) as number[];
    expect((around[1] ?? 0) - (around[2] ?? 0)).toBeGreaterThan(790);
    const warm = quietCell();
    warm.fault({ kind: 'temperature', fromTs: 0, gramsPerMin: 60 });
    const early = readings(warm, 0, 30) as number[];
    const late = readings(warm, 30_000, 30) as number[];
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(late) - mean(early)).toBeCloseTo(30, -1);
  });
});

describe('hand styles and the noisy profile', () => {
  it('a resting hand presses for 0.5–1.5 s and still ends exactly at the new level', () => {
    for (let seed = 1; seed < 50; seed++) {
      const hand = planInteraction(0, -200, new Random(seed), 'resting');
      expect(hand.pressEndTs - hand.pressStartTs).toBeGreaterThanOrEqual(500);
      expect(hand.pressEndTs - hand.pressStartTs).toBeLessThanOrEqual(1500);
      expect(hand.wobbleGrams).toBeGreaterThanOrEqual(30);
      expect(interactionGrams(hand, hand.endTs)).toBe(-200);
    }
  });

  it('a bump moves the reading and returns it to the same level', () => {
    const hand = planBump(0, new Random(5));
    expect(hand.deltaGrams).toBe(0);
    expect(Math.abs(interactionGrams(hand, (hand.pressStartTs + hand.pressEndTs) / 2))).toBeGreaterThan(30);
    expect(interactionGrams(hand, hand.endTs)).toBe(0);
  });

  it("noisy reads about 14 g sd per sample, ringing near 10 Hz (the recording's worst plates)", () => {
    const cell = new CellSignal('C1', 1000, 0, NOISE_PROFILES.noisy, new Random(9));
    const xs = readings(cell, 0, 6000) as number[];
    expect(sd(xs.slice(0, 30))).toBeGreaterThan(5);
    const windows = Array.from({ length: 200 }, (_, w) => sd(xs.slice(w * 30, w * 30 + 30))).sort(
      (a, b) => a - b,
    );
    expect(windows[100]).toBeGreaterThan(11);
    expect(windows[100]).toBeLessThan(17);
  });
});

describe('shelf event scoring', () => {
  const truth: TruthEvent = {
    kind: 'pick',
    shelf: 'E1',
    lane: 'E1-L2',
    sku: 'A',
    count: 1,
    grams: 100,
    startTs: 10_000,
    changeTs: 10_300,
    endTs: 10_900,
    ambiguous: false,
  };
  const event = (over: Partial<DetectedShelfEvent>): DetectedShelfEvent => ({
    v: 1,
    eventId: 'e',
    kind: 'pick',
    shelf: 'E1',
    lane: 'E1-L2',
    lanes: ['E1-L2', 'E1-L3'],
    loadCell: 'C2',
    startTs: 10_100,
    endTs: 10_600,
    peakTs: 10_200,
    deltaGrams: -100,
    deltaSdGrams: 1,
    hypotheses: [{ sku: 'A', count: 1, likelihood: 1 }],
    ambiguous: false,
    ...over,
  });

  it('matches same kind, lane among the event lanes, start within ±500 ms', () => {
    const tally = emptyTally();
    expect(scoreRun([truth], [event({})], tally)).toEqual([]);
    expect(summarize(tally)).toMatchObject({ eventF1: 1, productAccuracy: 1, startErrorMs: { p50: 100 } });
    const late = emptyTally();
    expect(scoreRun([truth], [event({ startTs: 10_501 })], late).map((m) => m.what)).toEqual([
      'missed',
      'false-positive',
    ]);
    const wrongKind = emptyTally();
    scoreRun([truth], [event({ kind: 'put-back' })], wrongKind);
    expect(wrongKind.truePositives).toBe(0);
  });

  it('counts a confident wrong product, and an ambiguous truth reported ambiguous', () => {
    const wrong = emptyTally();
    scoreRun([truth], [event({ hypotheses: [{ sku: 'B', count: 1, likelihood: 1 }] })], wrong);
    expect(wrong.wrongButConfident).toBe(1);
    const doubt = emptyTally();
    scoreRun([{ ...truth, ambiguous: true }], [event({ ambiguous: true })], doubt);
    expect(summarize(doubt).ambiguousReported).toBe(1);
  });
});
