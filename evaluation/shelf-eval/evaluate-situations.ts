// Runs every shelf situation over several seeds and noise profiles through the shelf stage and scores it:
// per profile, per situation within a profile, and overall.
import { indexStore, type StoreIndex } from '../../shared/store-config.ts';
import { NOISE_PROFILES, type NoiseProfileName } from '../../simulators/devices/noise-profiles.ts';
import { deriveRandom } from '../../simulators/world/derived-random.ts';
import { evalStoreConfig } from './eval-store.ts';
import { runShelfScenario } from './run-shelf-scenario.ts';
import {
  emptyTally,
  type Mismatch,
  mergeTally,
  type Summary,
  scoreRun,
  summarize,
  type Tally,
} from './score-shelf-events.ts';
import { generateScript, SITUATION_NAMES } from './situations.ts';

export interface SituationEvaluation {
  overall: Summary;
  profiles: Record<string, Summary & { situations: Record<string, Summary> }>;
  /** What went wrong, with the run it happened in (first few per situation and profile). */
  mismatches: (Mismatch & { situation: string; profile: string; seed: number })[];
  runs: number;
  samples: number;
  wallMs: number;
}

export interface EvaluateOptions {
  seeds: number[];
  profiles: NoiseProfileName[];
  situations?: string[];
  store?: StoreIndex;
  onProgress?: (line: string) => void;
}

/** Mismatches kept per situation and profile for the report. */
const KEEP_MISMATCHES = 5;

export function evaluateSituations(options: EvaluateOptions): SituationEvaluation {
  const started = performance.now();
  const store = options.store ?? indexStore(evalStoreConfig());
  const situations = options.situations ?? SITUATION_NAMES;
  const overall = emptyTally();
  const profiles: SituationEvaluation['profiles'] = {};
  const mismatches: SituationEvaluation['mismatches'] = [];
  let runs = 0;
  let samples = 0;
  for (const profile of options.profiles) {
    const profileTally = emptyTally();
    const perSituation: Record<string, Summary> = {};
    for (const situation of situations) {
      const tally: Tally = emptyTally();
      let kept = 0;
      for (const seed of options.seeds) {
        const script = generateScript(situation, store.config, deriveRandom(seed, `script:${situation}`));
        const run = runShelfScenario(store, script, NOISE_PROFILES[profile], seed);
        samples += run.samples;
        runs++;
        for (const m of scoreRun(run.truth, run.detected, tally)) {
          if (kept++ < KEEP_MISMATCHES) mismatches.push({ ...m, situation, profile, seed });
        }
      }
      perSituation[situation] = summarize(tally);
      mergeTally(profileTally, tally);
      const s = perSituation[situation];
      options.onProgress?.(
        `${profile.padEnd(8)} ${situation.padEnd(26)} F1 ${pct(s.eventF1)}  product ${pct(s.productAccuracy)}  (${s.events} events)`,
      );
    }
    profiles[profile] = { ...summarize(profileTally), situations: perSituation };
    mergeTally(overall, profileTally);
  }
  return {
    overall: summarize(overall),
    profiles,
    mismatches,
    runs,
    samples,
    wallMs: Math.round(performance.now() - started),
  };
}

export const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)} %`;
