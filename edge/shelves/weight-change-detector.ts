// Pure core: turns one load cell's sample stream into weight changes (stable before → change → stable
// after) with sample-accurate start, end and peak times. Stability is judged against the cell's own
// noise: a window is settled when it shows no trend, so a plate that rings after a pick still settles.
// A settle is confirmed only if the level then holds for a moment (a resting hand pauses, then moves on),
// and a step with no transient at all (one sample) is a sensor reset, not a hand: re-baselined, not reported.
// No I/O and no clock: times are the device's sample stamps.

export interface DetectorSettings {
  /** Samples in the stability window (0.4 s at 60 Hz). */
  stableWindow: number;
  /** A window noisier than this (sd, grams) is never settled: something is moving. */
  maxStableSdGrams: number;
  /** After a change, a settled window is also no noisier than this many times the cell's quiet noise… */
  stableNoiseFactor: number;
  /** …with this floor (grams). */
  minStableSdGrams: number;
  /** Largest difference between the two half-window means of a settled window, at least (grams)… */
  minTrendGrams: number;
  /** …or this many standard errors of that difference, whichever is larger. */
  trendSigmas: number;
  /** Deviation from the baseline that opens a change: at least this (grams)… */
  minTriggerGrams: number;
  /** …or this many times the cell's quiet noise. */
  triggerSigmas: number;
  /** The mean of the last few samples opens a change this many of its own standard errors away. */
  shortTriggerSigmas: number;
  /** Settled changes smaller than this, or than `eventSigmas` × their uncertainty, are not reported. */
  minChangeGrams: number;
  eventSigmas: number;
  /** Baseline follows slow drift with this EMA weight per quiet sample. */
  driftAlpha: number;
  /** A change that has not settled after this long is abandoned and the cell re-baselined (ms). */
  maxChangeMs: number;
  /** Samples the new level must hold after a settled window before the change is final. */
  confirmSamples: number;
  /** A change that completes within this many sample periods had no hand in it: a sensor reset. */
  resetMaxPeriods: number;
}

export const defaultDetectorSettings: DetectorSettings = {
  stableWindow: 24,
  maxStableSdGrams: 45,
  stableNoiseFactor: 2.5,
  minStableSdGrams: 6,
  minTrendGrams: 5,
  trendSigmas: 3,
  minTriggerGrams: 10,
  triggerSigmas: 6,
  shortTriggerSigmas: 4,
  minChangeGrams: 5,
  eventSigmas: 4,
  driftAlpha: 0.02,
  maxChangeMs: 20_000,
  confirmSamples: 9,
  resetMaxPeriods: 1.5,
};

export interface WeightChange {
  /** First sample that left the quiet band. */
  startTs: number;
  /** First sample of the settled window after the change. */
  endTs: number;
  /** Sample furthest from the old baseline during the change. */
  peakTs: number;
  deltaGrams: number;
  deltaSdGrams: number;
}

/** Samples in the short mean that catches shifts smaller than one sample's noise. */
const SHORT_WINDOW = 4;

type Phase = 'warming' | 'stable' | 'changing' | 'confirming';

interface WindowStats {
  mean: number;
  sd: number;
  settled: boolean;
  firstTs: number;
}

/** Detector state for one load cell. Feed samples in time order; completed changes are pushed to `out`. */
export class WeightChangeDetector {
  private readonly window: Float64Array;
  private readonly windowTs: Float64Array;
  private filled = 0;
  private head = 0;
  private phase: Phase = 'warming';
  private baseline = 0;
  private baselineSd = 0;
  /** Quiet-time noise of this cell (sd, grams), learned while stable. */
  private noiseSd = 0;
  /** Samples since the cell last became stable: every full window of them re-measures its quiet noise. */
  private quietRun = 0;
  private changeStartTs = 0;
  private peakTs = 0;
  private peakDeviation = 0;
  private lastTs = Number.NEGATIVE_INFINITY;
  private periodMs = 1000 / 60;
  /** The sample that opened the change (a reset jumps straight to the new level). */
  private triggerValue = 0;
  /** While confirming: the settled window that ended the change, and samples left to confirm it. */
  private settledMean = 0;
  private settledSd = 0;
  private settledFirstTs = 0;
  private confirmLeft = 0;
  /** Samples rejected as invalid (NaN, infinite, absurd) or not newer than the previous one. */
  invalidSamples = 0;
  /** Changes abandoned because the signal never settled. */
  abandonedChanges = 0;
  /** Changes that settled below the reporting threshold (transients, noise). */
  droppedChanges = 0;
  /** Instant steps with no hand transient (controller resets, re-zeroing): re-baselined, not reported. */
  resets = 0;

  constructor(private readonly settings: DetectorSettings = defaultDetectorSettings) {
    this.window = new Float64Array(settings.stableWindow);
    this.windowTs = new Float64Array(settings.stableWindow);
  }

  /** Start of the change in progress, or undefined when the cell is at rest. */
  pendingSince(): number | undefined {
    return this.phase === 'changing' || this.phase === 'confirming' ? this.changeStartTs : undefined;
  }

  /** Settled level in grams (undefined until the first settled window). */
  level(): number | undefined {
    return this.phase === 'warming' ? undefined : this.baseline;
  }

  /** Quiet-time noise estimate (sd, grams). */
  noise(): number {
    return this.noiseSd;
  }

  /** Capture time of the newest sample accepted. */
  lastSampleTs(): number {
    return this.lastTs;
  }

  /** Feeds samples starting at `t0`, `periodMs` apart; pushes completed changes to `out`. */
  push(samples: ArrayLike<number>, t0: number, periodMs: number, out: WeightChange[]): void {
    this.periodMs = periodMs;
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
    this.head = this.head + 1 === s.stableWindow ? 0 : this.head + 1;
    if (this.filled < s.stableWindow) this.filled++;

    if (this.phase === 'warming') {
      const stats = this.windowStats();
      if (stats?.settled) this.settle(stats);
      return;
    }
    const deviation = value - this.baseline;
    const recent = this.recentMean();
    if (this.phase === 'stable') {
      const jumped = Math.abs(deviation) > this.triggerGrams();
      if (jumped || Math.abs(recent - this.baseline) > this.shortTriggerGrams()) {
        // a jump starts here; a small shift seen in the short mean started with its first sample
        this.phase = 'changing';
        this.changeStartTs = jumped ? ts : ts - (SHORT_WINDOW - 1) * this.periodMs;
        this.triggerValue = value;
        this.peakTs = ts;
        this.peakDeviation = Math.abs(deviation);
        return;
      }
      // drift: the baseline follows the short mean, so a shift is caught before it is absorbed
      if (++this.quietRun % SHORT_WINDOW === 0)
        this.baseline += SHORT_WINDOW * s.driftAlpha * (recent - this.baseline);
      // noise is learned from quiet windows only: a window that closes a change still carries its tail
      if (this.quietRun % s.stableWindow === 0) this.noiseSd = this.noiseSd * 0.8 + this.windowSd() * 0.2;
      return;
    }
    if (this.phase === 'confirming') {
      const moved =
        Math.abs(value - this.settledMean) > this.triggerGrams() ||
        Math.abs(recent - this.settledMean) > this.shortTriggerGrams();
      if (moved) {
        // the level moved on before it held: the settle was a pause within one interaction
        this.phase = 'changing';
      } else if (--this.confirmLeft <= 0) {
        this.finish(out);
        return;
      } else {
        return;
      }
    }
    if (Math.abs(deviation) > this.peakDeviation) {
      this.peakDeviation = Math.abs(deviation);
      this.peakTs = ts;
    }
    const stats = this.windowStats();
    if (stats === undefined || stats.firstTs <= this.changeStartTs) return;
    if (!stats.settled) {
      if (ts - this.changeStartTs > s.maxChangeMs) {
        this.abandonedChanges++;
        this.phase = 'warming';
      }
      return;
    }
    this.settledMean = stats.mean;
    this.settledSd = stats.sd;
    this.settledFirstTs = stats.firstTs;
    this.confirmLeft = s.confirmSamples;
    this.phase = 'confirming';
    if (this.confirmLeft <= 0) this.finish(out);
  }

  private triggerGrams(): number {
    return Math.max(this.settings.minTriggerGrams, this.settings.triggerSigmas * this.noiseSd);
  }

  /** Threshold for the mean of the last SHORT_WINDOW samples (its noise is half a sample's). */
  private shortTriggerGrams(): number {
    const s = this.settings;
    return Math.max(s.minTriggerGrams, (s.shortTriggerSigmas * this.noiseSd) / Math.sqrt(SHORT_WINDOW));
  }

  private recentMean(): number {
    const n = this.settings.stableWindow;
    let sum = 0;
    let at = this.head;
    for (let k = 0; k < SHORT_WINDOW; k++) {
      at = at === 0 ? n - 1 : at - 1;
      sum += this.window[at] as number;
    }
    return sum / SHORT_WINDOW;
  }

  /** The settled level held: report the change (unless it is a reset or too small) and re-baseline. */
  private finish(out: WeightChange[]): void {
    const s = this.settings;
    const delta = this.settledMean - this.baseline;
    const deltaSd = Math.sqrt((this.settledSd ** 2 + this.baselineSd ** 2) / s.stableWindow);
    // a reset: the sample that left the old level is already at the new one, and it settled at once
    // (a hand presses first, or moves the level over several samples)
    const instant =
      this.settledFirstTs - this.changeStartTs <= s.resetMaxPeriods * this.periodMs &&
      Math.abs(this.triggerValue - this.settledMean) <= Math.max(s.minTriggerGrams, 4 * this.noiseSd);
    if (instant && Math.abs(delta) >= s.minTriggerGrams) {
      this.resets++;
    } else if (Math.abs(delta) >= Math.max(s.minChangeGrams, s.eventSigmas * deltaSd)) {
      out.push({
        startTs: this.changeStartTs,
        endTs: this.settledFirstTs,
        peakTs: this.peakTs,
        deltaGrams: delta,
        deltaSdGrams: deltaSd,
      });
    } else {
      this.droppedChanges++;
    }
    this.settle({ mean: this.settledMean, sd: this.settledSd, settled: true, firstTs: this.settledFirstTs });
  }

  private settle(stats: WindowStats): void {
    if (this.noiseSd === 0) this.noiseSd = stats.sd;
    this.quietRun = 0;
    this.baseline = stats.mean;
    this.baselineSd = stats.sd;
    this.phase = 'stable';
  }

  private windowSd(): number {
    const n = this.settings.stableWindow;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += this.window[i] as number;
    const mean = sum / n;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const d = (this.window[i] as number) - mean;
      sq += d * d;
    }
    return Math.sqrt(sq / (n - 1));
  }

  private windowStats(): WindowStats | undefined {
    const n = this.settings.stableWindow;
    if (this.filled < n) return undefined;
    const half = n >> 1;
    let sumA = 0;
    let sumB = 0;
    // oldest sample sits at `head`
    for (let k = 0; k < n; k++) {
      const v = this.window[(this.head + k) % n] as number;
      if (k < half) sumA += v;
      else sumB += v;
    }
    const mean = (sumA + sumB) / n;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const d = (this.window[i] as number) - mean;
      sq += d * d;
    }
    const sd = Math.sqrt(sq / (n - 1));
    const trend = Math.abs(sumA / half - sumB / (n - half));
    const trendLimit = Math.max(
      this.settings.minTrendGrams,
      this.settings.trendSigmas * sd * Math.sqrt(4 / n),
    );

    const s = this.settings;
    const sdLimit =
      this.phase === 'warming'
        ? s.maxStableSdGrams
        : Math.min(s.maxStableSdGrams, Math.max(s.minStableSdGrams, s.stableNoiseFactor * this.noiseSd));
    const settled = sd <= sdLimit && trend <= trendLimit;
    return { mean, sd, settled, firstTs: this.windowTs[this.head] as number };
  }
}
