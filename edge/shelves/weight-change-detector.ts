// Pure core: turns one load cell's sample stream into weight-change events
// (stable before → change → stable after), with sample-accurate start/end/peak times.
// No I/O and no clock: times come from the device's sample stamps.

export interface DetectorSettings {
  /** Samples in the stability window (0.4 s at 60 Hz). */
  stableWindow: number;
  /** A window is stable when its standard deviation is at most this (grams)… */
  stableSdGrams: number;
  /** …and it lies within this band (max − min, grams). */
  stableBandGrams: number;
  /** Deviation from the baseline that opens a change (grams). */
  triggerGrams: number;
  /** Smallest settled change reported as an event (grams); smaller ones were transients. */
  minEventGrams: number;
  /** Baseline tracks slow drift with this EMA weight per stable sample. */
  driftAlpha: number;
}

export const defaultDetectorSettings: DetectorSettings = {
  stableWindow: 24,
  stableSdGrams: 6,
  stableBandGrams: 24,
  triggerGrams: 12,
  minEventGrams: 10,
  driftAlpha: 0.02,
};

export interface WeightChange {
  /** First sample that left the stable band. */
  startTs: number;
  /** First sample of the stable-after window. */
  endTs: number;
  /** Sample with the largest deviation from the old baseline during the change. */
  peakTs: number;
  deltaGrams: number;
  deltaSdGrams: number;
}

type Phase = 'warming' | 'stable' | 'changing';

/** Detector state for one load cell. Feed samples in time order; it returns completed changes. */
export class WeightChangeDetector {
  private readonly window: Float64Array;
  private readonly windowTs: Float64Array;
  /** Samples in the ring buffer (≤ window length). */
  private filled = 0;
  private head = 0;
  private phase: Phase = 'warming';
  private baseline = 0;
  private baselineSd = 0;
  private changeStartTs = 0;
  private peakTs = 0;
  private peakDeviation = 0;
  private lastTs = Number.NEGATIVE_INFINITY;
  /** Samples rejected as invalid (NaN, infinite, absurd) or out of order. */
  invalidSamples = 0;

  constructor(private readonly settings: DetectorSettings = defaultDetectorSettings) {
    this.window = new Float64Array(settings.stableWindow);
    this.windowTs = new Float64Array(settings.stableWindow);
  }

  /** Start time of the change in progress, or undefined when the cell is at rest. */
  pendingSince(): number | undefined {
    return this.phase === 'changing' ? this.changeStartTs : undefined;
  }

  /** Settled level in grams (undefined until the first stable window). */
  level(): number | undefined {
    return this.phase === 'warming' ? undefined : this.baseline;
  }

  /** Feeds `count` samples starting at `t0`, `periodMs` apart; pushes completed changes to `out`. */
  push(samples: ArrayLike<number>, t0: number, periodMs: number, out: WeightChange[]): void {
    for (let i = 0; i < samples.length; i++) {
      const value = samples[i] as number;
      const ts = t0 + i * periodMs;
      if (!Number.isFinite(value) || Math.abs(value) > 1e7 || !(ts > this.lastTs)) {
        this.invalidSamples++;
        continue;
      }
      this.lastTs = ts;
      this.step(value, ts, out);
    }
  }

  private step(value: number, ts: number, out: WeightChange[]): void {
    const s = this.settings;
    this.window[this.head] = value;
    this.windowTs[this.head] = ts;
    this.head = (this.head + 1) % s.stableWindow;
    if (this.filled < s.stableWindow) this.filled++;

    if (this.phase === 'warming') {
      const stats = this.windowStats();
      if (stats?.stable) {
        this.baseline = stats.mean;
        this.baselineSd = stats.sd;
        this.phase = 'stable';
      }
      return;
    }
    const deviation = value - this.baseline;
    if (this.phase === 'stable') {
      if (Math.abs(deviation) > s.triggerGrams) {
        this.phase = 'changing';
        this.changeStartTs = ts;
        this.peakTs = ts;
        this.peakDeviation = Math.abs(deviation);
        return;
      }
      this.baseline += s.driftAlpha * deviation;
      return;
    }
    // changing
    if (Math.abs(deviation) > this.peakDeviation) {
      this.peakDeviation = Math.abs(deviation);
      this.peakTs = ts;
    }
    const stats = this.windowStats();
    if (stats === undefined || !stats.stable || stats.firstTs <= this.changeStartTs) return;
    const delta = stats.mean - this.baseline;
    const n = this.settings.stableWindow;
    const deltaSd = Math.sqrt((stats.sd * stats.sd + this.baselineSd * this.baselineSd) / n);
    if (Math.abs(delta) >= s.minEventGrams) {
      out.push({
        startTs: this.changeStartTs,
        endTs: stats.firstTs,
        peakTs: this.peakTs,
        deltaGrams: delta,
        deltaSdGrams: deltaSd,
      });
    }
    this.baseline = stats.mean;
    this.baselineSd = stats.sd;
    this.phase = 'stable';
  }

  private windowStats(): { mean: number; sd: number; stable: boolean; firstTs: number } | undefined {
    const n = this.settings.stableWindow;
    if (this.filled < n) return undefined;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      const v = this.window[i] as number;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const d = (this.window[i] as number) - mean;
      sq += d * d;
    }
    const sd = Math.sqrt(sq / (n - 1));
    const stable = sd <= this.settings.stableSdGrams && max - min <= this.settings.stableBandGrams;
    // the oldest sample in the ring sits at `head`
    return { mean, sd, stable, firstTs: this.windowTs[this.head] as number };
  }
}
