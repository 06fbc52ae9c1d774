// What one played scenario (one seed) contributes to the evaluation, in a form a worker process can send back:
// per-visit outcomes, every decision set against the truth, lines taken and lines that needed staff.

import { addCounts } from './counts.ts';
import type { Decision } from './eval-report-types.ts';
import type { ScenarioRun } from './evaluate-scenario.ts';
import { scoreDecisions } from './score-decisions.ts';
import type { VisitOutcome } from './score-visits.ts';

export interface ScenarioResult {
  name: string;
  family: string;
  /** Variant played (0: the file as written) and the seed it used. */
  variant: number;
  seed: number;
  outcomes: VisitOutcome[];
  decisions: Decision[];
  /** Picks and put-backs that really happened. */
  linesTaken: number;
  /** Exceptions that needed staff (sent to staff and not settled by the cameras at the exit). */
  toStaff: number;
  /** Those exceptions by why they went to staff (the refusing rule, or the exception's reason). */
  toStaffWhy: Record<string, number>;
  /** Real time only: frames not rendered in time or dropped by the edge. */
  framesDropped: number;
  /** Camera frames the edge's detector ran on, and those its motion gate skipped. */
  framesInferred: number;
  framesSkipped: number;
  /** Wall time the run took, and the device seconds it played. */
  wallMs: number;
  deviceS: number;
}

export function scenarioResult(
  run: ScenarioRun,
  meta: { family: string; variant: number; seed: number; wallMs: number },
): ScenarioResult {
  const { truth } = run;
  return {
    name: run.name,
    family: meta.family,
    variant: meta.variant,
    seed: meta.seed,
    outcomes: run.outcomes.map(
      ({ shopper, expected, billed, toStaff, receiptLatencyMs, receiptWaitedFor }) => ({
        shopper,
        expected,
        billed,
        toStaff,
        receiptLatencyMs,
        receiptWaitedFor,
      }),
    ),
    decisions: scoreDecisions(run.events, truth.events, {
      scenario: run.name,
      family: meta.family,
      seed: meta.seed,
      startedAt: truth.startedAt,
      shopperOfSession: run.shopperOfSession,
    }),
    linesTaken: truth.events.length,
    toStaff: run.staffExceptions,
    toStaffWhy: addCounts(run.exceptions.flatMap((x) => (x.settledByVision ? [] : [[x.why, 1] as const]))),
    framesDropped: run.framesDropped,
    framesInferred: run.frames.inferred,
    framesSkipped: run.frames.skipped,
    wallMs: meta.wallMs,
    deviceS: Math.round((truth.endedAt - truth.startedAt) / 100) / 10,
  };
}
