// One load cell's raw reading over time: plate tare + lane contents + hand interactions + drift + ring +
// noise, then its faults. Samples must be asked for in increasing time order (noise and drift are a stream).
import type { Random } from '../../shared/random.ts';
import { type CellFault, CellFaults } from './cell-faults.ts';
import { type HandInteraction, interactionGrams } from './hand-interaction.ts';
import type { NoiseProfile } from './noise-profiles.ts';

/** Drift pulls back towards zero with this time constant so long runs stay bounded. */
const DRIFT_REVERSION_MS = 5 * 60_000;

export class CellSignal {
  /** Tare plus the settled weight of the units, grams. */
  private settledGrams: number;
  private driftGrams = 0;
  private lastTs: number | undefined;
  private readonly interactions: HandInteraction[] = [];
  private readonly faults = new CellFaults();
  /** Ring of the plate: AR(2) state (the last two values) and coefficients, when the profile has one. */
  private ring = { a1: 0, a2: 0, drive: 0, x1: 0, x2: 0 };

  constructor(
    readonly cellId: string,
    readonly tareGrams: number,
    contentsGrams: number,
    private readonly noise: NoiseProfile,
    private readonly random: Random,
  ) {
    this.settledGrams = tareGrams + contentsGrams;
    const vibration = noise.vibrationSdGrams ?? 0;
    if (vibration > 0) this.ring = ringCoefficients(vibration, noise.vibrationHz ?? 10);
  }

  fault(fault: CellFault): void {
    this.faults.add(fault);
  }

  /** The reading at `ts` as the controller reports it: null while the cell is dead. */
  read(ts: number): number | null {
    const grams = this.sample(ts);
    const faulty = this.faults.apply(ts, grams);
    return faulty === null ? null : Math.round(faulty * 10) / 10;
  }

  interact(interaction: HandInteraction): void {
    this.interactions.push(interaction);
  }

  /** Settled level the cell is heading to once every interaction has ended (no noise), grams. */
  targetGrams(): number {
    return this.interactions.reduce((sum, i) => sum + i.deltaGrams, this.settledGrams);
  }

  /** The healthy raw reading at `ts`, rounded to 0.1 g as the ADC firmware reports it. */
  sample(ts: number): number {
    this.stepDrift(ts);
    let grams = this.settledGrams + this.driftGrams;
    for (let k = this.interactions.length - 1; k >= 0; k--) {
      const interaction = this.interactions[k];
      if (interaction === undefined) continue;
      if (ts >= interaction.endTs) {
        this.settledGrams += interaction.deltaGrams;
        grams += interaction.deltaGrams;
        this.interactions.splice(k, 1);
      } else {
        grams += interactionGrams(interaction, ts);
      }
    }
    grams += this.noise.whiteSdGrams * this.random.normal();
    if (this.ring.drive > 0) {
      const x =
        this.ring.a1 * this.ring.x1 + this.ring.a2 * this.ring.x2 + this.ring.drive * this.random.normal();
      this.ring.x2 = this.ring.x1;
      this.ring.x1 = x;
      grams += x;
    }
    if (this.noise.spikeProbability > 0 && this.random.next() < this.noise.spikeProbability) {
      const [min, max] = this.noise.spikeGrams;
      const size = min + (max - min) * this.random.next();
      grams += this.random.next() < 0.5 ? -size : size;
    }
    return Math.round(grams * 10) / 10;
  }

  private stepDrift(ts: number): void {
    const dtMs = this.lastTs === undefined ? 0 : Math.max(0, ts - this.lastTs);
    this.lastTs = ts;
    if (this.noise.driftGramsPerMin === 0 || dtMs === 0) return;
    // Random walk whose typical excursion over a minute is driftGramsPerMin.
    const stepSd = this.noise.driftGramsPerMin * Math.sqrt(dtMs / 60_000);
    this.driftGrams += stepSd * this.random.normal() - (this.driftGrams * dtMs) / DRIFT_REVERSION_MS;
  }
}

/** Sample period the ring is tuned for (the store's 60 Hz). */
const RING_SAMPLE_HZ = 60;
/** Pole radius: how slowly the ring dies away (0.85 ≈ 6 samples). */
const RING_RADIUS = 0.85;

/** AR(2) x_t = a1·x_{t−1} + a2·x_{t−2} + drive·e_t, resonant at `hz`, with stationary sd `sdGrams`. */
function ringCoefficients(sdGrams: number, hz: number) {
  const a1 = 2 * RING_RADIUS * Math.cos((2 * Math.PI * hz) / RING_SAMPLE_HZ);
  const a2 = -RING_RADIUS * RING_RADIUS;
  const variancePerDrive = (1 - a2) / ((1 + a2) * ((1 - a2) ** 2 - a1 * a1));
  return { a1, a2, drive: sdGrams / Math.sqrt(variancePerDrive), x1: 0, x2: 0 };
}
