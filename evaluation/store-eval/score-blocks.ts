// Pure: the evaluation's score for a group of played scenarios (one scenario over its seeds, a family, all):
// visits exactly right with their 95 % interval, line F1, staff load, confident mistakes, receipt latency and
// the calibration of the confidence the edge billed with.

import { addCounts } from './counts.ts';
import type { ScoreBlock } from './eval-report-types.ts';
import { calibrationBins, wilsonInterval } from './interval-stats.ts';
import type { ScenarioResult } from './scenario-result.ts';
import { scoreVisits } from './score-visits.ts';

const round4 = (x: number) => Number(x.toFixed(4));

export function scoreBlock(results: readonly ScenarioResult[]): ScoreBlock {
  const visits = scoreVisits(results.flatMap((r) => r.outcomes));
  const exact = Math.round(visits.visitsExact * visits.visits);
  const [lo, hi] = wilsonInterval(exact, visits.visits);
  const linesTaken = results.reduce((s, r) => s + r.linesTaken, 0);
  const toStaff = results.reduce((s, r) => s + r.toStaff, 0);
  return {
    visits: visits.visits,
    visitsExact: round4(visits.visitsExact),
    visitsExactCi95: [round4(lo), round4(hi)],
    lineF1: round4(visits.lineF1),
    toStaff,
    linesTaken,
    linesToStaffShare: linesTaken === 0 ? 0 : round4(toStaff / linesTaken),
    toStaffWhy: addCounts(results.flatMap((r) => Object.entries(r.toStaffWhy))),
    wrongConfident: visits.wrongConfident,
    receiptLatencyP99Ms: visits.receiptLatencyP99Ms,
    receiptLatencyP99NoStaffMs: visits.receiptLatencyP99NoStaffMs,
    slowNoStaffReceipts: visits.slowNoStaffReceipts,
    calibration: calibrationBins(results.flatMap((r) => r.decisions)),
  };
}

/** Groups results by a key, in first-seen order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
