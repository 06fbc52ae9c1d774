// Pure scoring of receipts against ground truth, per visit: exactly right or not, receipt-line
// precision/recall/F1 over units (the AutoCheckout competition's measure), lines billed wrongly with
// confidence, lines sent to staff.
import { receiptWaitLabel } from '../../edge/checkout/checkout.ts';
import type { SessionEvent } from '../../shared/schemas/session-event.ts';
import { percentile } from './percentile.ts';

/** What the edge said still held a receipt the last moment it was held (edge/checkout/checkout.ts › ReceiptHold). */
export type ReceiptWaitedFor = NonNullable<SessionEvent['waitedFor']>;

/** A receipt slower than this (ms) after the exit scan misses issue #13's target for visits staff never saw. */
export const SLOW_RECEIPT_MS = 1000;

export interface Line {
  sku: string;
  quantity: number;
}

export interface VisitOutcome {
  shopper: string;
  expected: Line[];
  /** Lines on the receipt the cloud holds; undefined when no receipt arrived. */
  billed: Line[] | undefined;
  /** Exceptions the edge sent to staff that named this visit as a candidate. */
  toStaff: number;
  /** Exit scan → receipt acknowledged, wall ms; undefined when it never arrived. */
  receiptLatencyMs: number | undefined;
  /** What the edge held the receipt for last; undefined when it never said (no receipt, an older edge). */
  receiptWaitedFor?: ReceiptWaitedFor | undefined;
}

export interface VisitScore {
  visits: number;
  /** Fraction of visits whose receipt is exactly right with no staff involvement. */
  visitsExact: number;
  lineF1: number;
  linePrecision: number;
  lineRecall: number;
  toStaff: number;
  /**
   * Receipt lines billed without asking anyone that are wrong: a SKU not taken, more units than taken, or
   * fewer units when nothing of the visit went to staff (a unit missing because staff did not decide in
   * time is a miss, not a confident mistake).
   */
  wrongConfident: number;
  receiptLatencyP99Ms: number;
  /** p99 over visits with nothing sent to staff: what a shopper waits when the cameras decided everything. */
  receiptLatencyP99NoStaffMs: number;
  /**
   * Visits with nothing sent to staff whose receipt took longer than `SLOW_RECEIPT_MS`, counted by what still
   * held it the last moment it was held, joined by '+' ('exit-watch+open-exceptions'; 'nothing': held by
   * nothing, slow on the way to the cloud; 'unknown': the edge did not say): where the no-staff p99 goes.
   */
  slowNoStaffReceipts: Record<string, number>;
  missingReceipts: number;
}

const key = (lines: Line[]) => new Map(lines.map((l) => [l.sku, l.quantity]));

export function scoreVisits(outcomes: readonly VisitOutcome[]): VisitScore {
  let exact = 0;
  let truePositive = 0;
  let predicted = 0;
  let actual = 0;
  let wrongConfident = 0;
  let toStaff = 0;
  let missing = 0;
  const latencies: number[] = [];
  const noStaffLatencies: number[] = [];
  const slowNoStaff: VisitScore['slowNoStaffReceipts'] = {};
  for (const visit of outcomes) {
    toStaff += visit.toStaff;
    const expected = key(visit.expected);
    const billed = key(visit.billed ?? []);
    if (visit.billed === undefined) missing++;
    if (visit.receiptLatencyMs !== undefined) latencies.push(visit.receiptLatencyMs);
    if (visit.receiptLatencyMs !== undefined && visit.toStaff === 0) {
      noStaffLatencies.push(visit.receiptLatencyMs);
      if (visit.receiptLatencyMs > SLOW_RECEIPT_MS) {
        const held = visit.receiptWaitedFor;
        const wait = held === undefined ? 'unknown' : receiptWaitLabel(held);
        slowNoStaff[wait] = (slowNoStaff[wait] ?? 0) + 1;
      }
    }
    for (const q of expected.values()) actual += q;
    for (const [sku, q] of billed) {
      predicted += q;
      truePositive += Math.min(q, expected.get(sku) ?? 0);
      const taken = expected.get(sku) ?? 0;
      if (q > taken || (q < taken && visit.toStaff === 0)) wrongConfident++;
    }
    const same =
      visit.billed !== undefined &&
      expected.size === billed.size &&
      [...expected].every(([s, q]) => billed.get(s) === q);
    if (same && visit.toStaff === 0) exact++;
  }
  const precision = predicted === 0 ? (actual === 0 ? 1 : 0) : truePositive / predicted;
  const recall = actual === 0 ? 1 : truePositive / actual;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    visits: outcomes.length,
    visitsExact: outcomes.length === 0 ? 1 : exact / outcomes.length,
    lineF1: f1,
    linePrecision: precision,
    lineRecall: recall,
    toStaff,
    wrongConfident,
    receiptLatencyP99Ms: Math.round(percentile(latencies, 0.99)),
    receiptLatencyP99NoStaffMs: Math.round(percentile(noStaffLatencies, 0.99)),
    slowNoStaffReceipts: slowNoStaff,
    missingReceipts: missing,
  };
}
