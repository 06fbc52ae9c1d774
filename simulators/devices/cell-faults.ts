// Faults a load cell can show besides noise: dead (no readings), stuck (the same reading over and over), a
// reset that jumps its tare, and temperature drift far beyond the noise profile's. Applied to raw readings.

export type CellFault =
  /** The cell stops measuring: its samples are null. */
  | { kind: 'dead'; fromTs: number; untilTs?: number }
  /** The ADC freezes: every sample repeats the reading taken just before `fromTs`. */
  | { kind: 'stuck'; fromTs: number; untilTs?: number }
  /** The controller resets and re-zeroes: the reading jumps by `grams` within one sample, no hand involved. */
  | { kind: 'tare-jump'; atTs: number; grams: number }
  /** The shelf warms or cools: a slow ramp of `gramsPerMin` from `fromTs`. */
  | { kind: 'temperature'; fromTs: number; gramsPerMin: number };

/** The faults of one cell, applied to its readings in time order. */
export class CellFaults {
  private readonly faults: CellFault[] = [];
  private lastReading: number | null = null;
  private frozen: number | null = null;

  add(fault: CellFault): void {
    this.faults.push(fault);
  }

  /** The reading a healthy cell would give at `ts`, as the faulty cell reports it. */
  apply(ts: number, healthy: number): number | null {
    if (this.faults.length === 0) {
      this.lastReading = healthy;
      return healthy;
    }
    let grams = healthy;
    let dead = false;
    let stuck = false;
    for (const f of this.faults) {
      if (f.kind === 'tare-jump') {
        if (ts >= f.atTs) grams += f.grams;
      } else if (f.kind === 'temperature') {
        if (ts > f.fromTs) grams += (f.gramsPerMin * (ts - f.fromTs)) / 60_000;
      } else if (ts >= f.fromTs && (f.untilTs === undefined || ts < f.untilTs)) {
        if (f.kind === 'dead') dead = true;
        else stuck = true;
      }
    }
    if (!stuck) this.frozen = null;
    else if (this.frozen === null) this.frozen = this.lastReading ?? grams;
    const reading = dead ? null : stuck ? this.frozen : grams;
    if (reading !== null) this.lastReading = reading;
    return reading;
  }
}
