// Measures the noise of a recording in the AutoCheckout folder format, the numbers the simulator's noise
// profiles are calibrated against: sd over 0.5 s windows per plate and per shelf sum, and frozen plates.
import { loadRecording } from '../recordings/autocheckout-recording.ts';

export interface RecordingNoise {
  plates: number;
  windowSd: { p50: number; p90: number; p95: number; p99: number };
  shelfSumSd: { p50: number; p95: number };
  /** Plates whose reading never changes (dead or frozen load cells). */
  constantPlates: number;
}

/** Samples per window (0.5 s at 60 Hz). */
const WINDOW = 30;

function windowSds(series: readonly number[], into: number[]): void {
  for (let start = 0; start + WINDOW <= series.length; start += WINDOW) {
    let sum = 0;
    for (let i = start; i < start + WINDOW; i++) sum += series[i] as number;
    const mean = sum / WINDOW;
    let sq = 0;
    for (let i = start; i < start + WINDOW; i++) sq += ((series[i] as number) - mean) ** 2;
    into.push(Math.sqrt(sq / (WINDOW - 1)));
  }
}

const quantile = (sorted: readonly number[], p: number) =>
  Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) * 10) / 10;

export function measureRecordingNoise(dir: string): RecordingNoise {
  const recording = loadRecording(dir);
  /** by load cell id */
  const series = new Map<string, number[]>();
  /** by shelf id: sum over its plates, per batch sample */
  const sums = new Map<string, number[]>();
  const seenBatches = new Map<string, number>();
  for (const { shelf, batch } of recording.batches) {
    const offset = (seenBatches.get(shelf) ?? 0) * 12;
    seenBatches.set(shelf, (seenBatches.get(shelf) ?? 0) + 1);
    const sum = sums.get(shelf) ?? [];
    sums.set(shelf, sum);
    for (const cell of batch.cells) {
      const s = series.get(cell.id) ?? [];
      series.set(cell.id, s);
      cell.grams.forEach((g, i) => {
        const v = g ?? 0;
        s.push(v);
        sum[offset + i] = (sum[offset + i] ?? 0) + v;
      });
    }
  }
  const plateSds: number[] = [];
  let constantPlates = 0;
  for (const s of series.values()) {
    if (s.every((v) => v === s[0])) constantPlates++;
    windowSds(s, plateSds);
  }
  const shelfSds: number[] = [];
  for (const s of sums.values()) windowSds(s, shelfSds);
  plateSds.sort((a, b) => a - b);
  shelfSds.sort((a, b) => a - b);
  return {
    plates: series.size,
    windowSd: {
      p50: quantile(plateSds, 0.5),
      p90: quantile(plateSds, 0.9),
      p95: quantile(plateSds, 0.95),
      p99: quantile(plateSds, 0.99),
    },
    shelfSumSd: { p50: quantile(shelfSds, 0.5), p95: quantile(shelfSds, 0.95) },
    constantPlates,
  };
}
