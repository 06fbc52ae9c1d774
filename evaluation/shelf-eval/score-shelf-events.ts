// Scores detected shelf events against generated ground truth. A detection matches a true interaction of
// the same kind whose lane is among the event's lanes and whose start is within ±500 ms; tallies add up
// over runs into precision, recall, F1, product accuracy, ambiguity handling and boundary timing.
import type { DetectedShelfEvent } from '../../shared/schemas/shelf-event.ts';
import { percentile } from '../store-eval/percentile.ts';
import type { TruthEvent } from './shelf-script.ts';

export const MATCH_WINDOW_MS = 500;

export interface Tally {
  truth: number;
  detected: number;
  truePositives: number;
  /** Matched events whose truth is not ambiguous, and those whose best hypothesis is right. */
  clearMatched: number;
  productCorrect: number;
  /** Truly ambiguous matched events, and those the edge reported ambiguous. */
  ambiguousMatched: number;
  ambiguousReported: number;
  /** Matched events reported confidently (ambiguous: false) with the wrong product or count. */
  wrongButConfident: number;
  /** Clear events the edge called ambiguous (over-cautious: not billed, but not wrong). */
  clearReportedAmbiguous: number;
  startErrorsMs: number[];
  endErrorsMs: number[];
}

export function emptyTally(): Tally {
  return {
    truth: 0,
    detected: 0,
    truePositives: 0,
    clearMatched: 0,
    productCorrect: 0,
    ambiguousMatched: 0,
    ambiguousReported: 0,
    wrongButConfident: 0,
    clearReportedAmbiguous: 0,
    startErrorsMs: [],
    endErrorsMs: [],
  };
}

export interface Mismatch {
  what: 'missed' | 'false-positive' | 'wrong-product' | 'not-ambiguous';
  truth?: TruthEvent;
  event?: DetectedShelfEvent;
}

/** Adds one run's truth and detections to `tally`; returns what went wrong, for the detail report. */
export function scoreRun(
  truth: readonly TruthEvent[],
  detected: readonly DetectedShelfEvent[],
  tally: Tally,
): Mismatch[] {
  const mismatches: Mismatch[] = [];
  const used = new Set<DetectedShelfEvent>();
  tally.truth += truth.length;
  tally.detected += detected.length;
  for (const t of [...truth].sort((a, b) => a.startTs - b.startTs)) {
    let best: DetectedShelfEvent | undefined;
    for (const e of detected) {
      if (used.has(e) || e.kind !== t.kind || !e.lanes.includes(t.lane)) continue;
      const error = Math.abs(e.startTs - t.startTs);
      if (error > MATCH_WINDOW_MS) continue;
      if (best === undefined || error < Math.abs(best.startTs - t.startTs)) best = e;
    }
    if (best === undefined) {
      mismatches.push({ what: 'missed', truth: t });
      continue;
    }
    used.add(best);
    tally.truePositives++;
    tally.startErrorsMs.push(best.startTs - t.startTs);
    tally.endErrorsMs.push(best.endTs - t.endTs);
    const top = best.hypotheses[0];
    const right = top?.sku === t.sku && top.count === t.count;
    if (!right && !best.ambiguous) {
      tally.wrongButConfident++;
      mismatches.push({ what: 'wrong-product', truth: t, event: best });
    }
    if (t.ambiguous) {
      tally.ambiguousMatched++;
      if (best.ambiguous) tally.ambiguousReported++;
      else mismatches.push({ what: 'not-ambiguous', truth: t, event: best });
    } else {
      tally.clearMatched++;
      if (right) tally.productCorrect++;
      if (best.ambiguous) tally.clearReportedAmbiguous++;
    }
  }
  for (const e of detected) if (!used.has(e)) mismatches.push({ what: 'false-positive', event: e });
  return mismatches;
}

export function mergeTally(into: Tally, from: Tally): void {
  for (const key of Object.keys(from) as (keyof Tally)[]) {
    const value = from[key];
    if (Array.isArray(value)) (into[key] as number[]).push(...value);
    else (into[key] as number) += value;
  }
}

export interface Summary {
  events: number;
  eventPrecision: number;
  eventRecall: number;
  eventF1: number;
  productAccuracy: number;
  /** Share of truly ambiguous events reported ambiguous (1 when there were none). */
  ambiguousReported: number;
  ambiguousEvents: number;
  wrongButConfident: number;
  clearReportedAmbiguous: number;
  startErrorMs: { p50: number; p95: number };
  endErrorMs: { p50: number; p95: number };
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Percentile of timing errors, by magnitude, in whole ms. */
function errorPercentile(values: readonly number[], p: number): number {
  return Math.round(percentile(values.map(Math.abs), p));
}

export function summarize(t: Tally): Summary {
  const precision = ratio(t.truePositives, t.detected);
  const recall = ratio(t.truePositives, t.truth);
  return {
    events: t.truth,
    eventPrecision: round4(precision),
    eventRecall: round4(recall),
    eventF1: round4(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)),
    productAccuracy: round4(ratio(t.productCorrect, t.clearMatched)),
    ambiguousReported: round4(ratio(t.ambiguousReported, t.ambiguousMatched)),
    ambiguousEvents: t.ambiguousMatched,
    wrongButConfident: t.wrongButConfident,
    clearReportedAmbiguous: t.clearReportedAmbiguous,
    startErrorMs: { p50: errorPercentile(t.startErrorsMs, 0.5), p95: errorPercentile(t.startErrorsMs, 0.95) },
    endErrorMs: { p50: errorPercentile(t.endErrorsMs, 0.5), p95: errorPercentile(t.endErrorsMs, 0.95) },
  };
}
