// One load cell's raw reading over time: plate tare + lane contents + hand interactions + drift + noise.
// Samples must be asked for in increasing time order (the noise and drift are a stream).
import type { Random } from '../../shared/random.ts';
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

  constructor(
    readonly cellId: string,
    readonly tareGrams: number,
    contentsGrams: number,
    private readonly noise: NoiseProfile,
    private readonly random: Random,
  ) {
    this.settledGrams = tareGrams + contentsGrams;
  }

  interact(interaction: HandInteraction): void {
    this.interactions.push(interaction);
  }

  /** Settled level the cell is heading to once every interaction has ended (no noise), grams. */
  targetGrams(): number {
    return this.interactions.reduce((sum, i) => sum + i.deltaGrams, this.settledGrams);
  }

  /** The raw reading at `ts`, rounded to 0.1 g as the ADC firmware reports it. */
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
