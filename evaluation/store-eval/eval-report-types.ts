// The shape `npm run eval` writes (its --json) and the HTML report reads: scores per family, per scenario
// and overall, every receipt latency, and every shelf-event decision with the rule and evidence behind it.
import type { VisitScore } from './score-visits.ts';

/** Automatically billed lines whose confidence fell in [lo, hi) ([lo, hi] for the last bin). */
export interface CalibrationBin {
  /** e.g. "0.9-1.0" */
  bin: string;
  lo: number;
  hi: number;
  lines: number;
  correct: number;
}

export interface ScoreBlock {
  visits: number;
  /** Fraction (0–1) of visits whose receipt is exactly right with no staff involvement. */
  visitsExact: number;
  /** Wilson 95 % interval of visitsExact (fractions). */
  visitsExactCi95: [number, number];
  lineF1: number;
  /** Exceptions sent to staff. */
  toStaff: number;
  linesTaken: number;
  /** Fraction (0–1) of taken lines that staff had to decide. */
  linesToStaffShare: number;
  /**
   * The exceptions counted in `toStaff` by why they went to staff: the attributor's rule that refused the event
   * (`close-call`, `identity-doubtful`, `several-units-several-people`, …) or the exception's reason when no
   * rule did (`age-check`, `shopper-flag`, …); the commonest first. Sums to `toStaff`.
   */
  toStaffWhy: Record<string, number>;
  wrongConfident: number;
  receiptLatencyP99Ms: number;
  /** Exit scan → receipt p99 over visits with nothing sent to staff (issue #13's target is on these). */
  receiptLatencyP99NoStaffMs: number;
  /** Those visits slower than 1 s, by what the edge held their receipt for last (score-visits.ts). */
  slowNoStaffReceipts: VisitScore['slowNoStaffReceipts'];
  calibration: CalibrationBin[];
}

/** One shelf event the edge decided (or sent to staff). */
export interface Decision {
  scenario: string;
  family: string;
  seed: number;
  /** seconds from scenario start */
  atS: number;
  kind: 'pick' | 'put-back';
  lane: string;
  sku: string | null;
  count: number;
  /** who really did it (null: no matching true event) */
  truthShopper: string | null;
  /** shopper the edge charged (null: staff / nobody) */
  billedTo: string | null;
  /** 'sole-session' | 'vision' | 'staff' | 'unattributed' */
  attribution: string;
  confidence: number | null;
  /** null when sent to staff */
  correct: boolean | null;
  rule: string | null;
  candidates: string[];
  evidence: unknown;
}

export interface EvalReport {
  mode: 'lockstep' | 'realtime';
  seeds: number;
  startedAt: string;
  durationS: number;
  commit: string | null;
  families: Array<{ family: string } & ScoreBlock>;
  scenarios: Array<{ name: string; family: string; seed: number } & ScoreBlock>;
  overall: ScoreBlock;
  /** every visit's exit -> receipt latency */
  receiptLatenciesMs: number[];
  /** every decision (the page lists the wrong or doubtful ones) */
  decisions: Decision[];
}
