// Pure core: the health of one load cell from its own samples: live, noisy (too much noise to trust
// small items), stuck (the same value over and over: a frozen ADC or a jammed plate) or offline
// (no valid sample for a while, or its controller's last will said so).

import type { SensorState } from '../../shared/schemas/lane-stock.ts';

export interface SensorHealthSettings {
  /** Identical consecutive samples that make a cell stuck (2 s at 60 Hz). */
  stuckSamples: number;
  /** Quiet noise (sd, grams) above which the cell is noisy… */
  noisySdGrams: number;
  /** …and below which it is live again (hysteresis). */
  recoveredSdGrams: number;
  /** No valid sample for this long (ms of device time) makes a cell offline. */
  offlineAfterMs: number;
}

export const defaultSensorHealthSettings: SensorHealthSettings = {
  stuckSamples: 120,
  noisySdGrams: 25,
  recoveredSdGrams: 15,
  offlineAfterMs: 3000,
};

export class SensorHealth {
  private state: SensorState = 'live';
  private identicalRun = 0;
  private lastValue = Number.NaN;
  private lastValidTs = Number.NEGATIVE_INFINITY;
  private controllerOffline = false;

  constructor(private readonly settings: SensorHealthSettings = defaultSensorHealthSettings) {}

  current(): SensorState {
    return this.state;
  }

  /** Feeds a batch of samples (NaN = no reading) and the cell's current noise; returns the new state. */
  observe(samples: ArrayLike<number>, t0: number, periodMs: number, noiseSd: number): SensorState {
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i] as number;
      if (!Number.isFinite(v)) continue;
      this.identicalRun = v === this.lastValue ? this.identicalRun + 1 : 0;
      this.lastValue = v;
      this.lastValidTs = t0 + i * periodMs;
    }
    const batchEnd = t0 + (samples.length - 1) * periodMs;
    return this.evaluate(batchEnd, noiseSd);
  }

  /** Device time has moved on (other cells of the shelf reported) without this cell: maybe offline. */
  tick(deviceTs: number): SensorState {
    return this.evaluate(deviceTs, Number.NaN);
  }

  /** The shelf controller's availability (its retained status and last will). */
  setControllerOffline(offline: boolean): SensorState {
    this.controllerOffline = offline;
    if (offline) this.state = 'offline';
    return this.state;
  }

  private evaluate(nowTs: number, noiseSd: number): SensorState {
    const s = this.settings;
    if (this.controllerOffline || nowTs - this.lastValidTs > s.offlineAfterMs) {
      this.state = 'offline';
    } else if (this.identicalRun >= s.stuckSamples) {
      this.state = 'stuck';
    } else if (Number.isFinite(noiseSd)) {
      if (noiseSd > s.noisySdGrams) this.state = 'noisy';
      else if (this.state !== 'noisy' || noiseSd < s.recoveredSdGrams) this.state = 'live';
    } else if (this.state === 'offline' || this.state === 'stuck') {
      this.state = 'live';
    }
    return this.state;
  }
}
