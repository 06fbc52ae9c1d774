// Pure scoring of a fault case: every visit of the ground truth against what the cloud billed. A visit is
// lost when no receipt came; a unit is lost when it was taken and is on no receipt; a double charge is a
// second provider charge or ledger charge for one visit, or a second receipt for one real visit. Exactness
// is the evaluation's own (score-visits.ts).

import type { GroundTruth } from '../../simulators/scenario/ground-truth.ts';
import { scoreVisits, type VisitOutcome } from '../store-eval/score-visits.ts';
import type { BilledVisit } from './fault-database.ts';

export interface FaultCaseScore {
  visits: number;
  /** Visits without a receipt (counted once each, or by their units when they had some) plus units unbilled. */
  lost: number;
  doubleCharges: number;
  /** Every visit billed exactly what was taken, no staff needed. */
  exact: boolean;
  /** Readable findings, one per problem. */
  problems: string[];
}

interface TruthVisit {
  shopper: string;
  accountId: string;
  enteredAt: number;
  expected: { sku: string; quantity: number }[];
}

function visitsOf(truth: GroundTruth): TruthVisit[] {
  return truth.shoppers.flatMap((s) =>
    s.accountId === null
      ? []
      : s.visits
          .filter((v) => v.exitedAt !== null)
          .map((v) => ({
            shopper: s.id,
            accountId: s.accountId as string,
            enteredAt: v.enteredAt,
            expected: v.expectedLines,
          })),
  );
}

const units = (lines: readonly { quantity: number }[]) => lines.reduce((n, l) => n + l.quantity, 0);

/**
 * `toStaff`: by account, units the edge sent to staff naming one of the account's sessions as a candidate —
 * not billed, but not silently lost either (someone was asked). Default none.
 */
export function scoreFaultCase(
  truth: GroundTruth,
  billed: readonly BilledVisit[],
  toStaff: ReadonlyMap<string, number> = new Map(),
): FaultCaseScore {
  const problems: string[] = [];
  const visits = visitsOf(truth);
  const byAccount = new Map<string, BilledVisit[]>();
  for (const receipt of billed) {
    const list = byAccount.get(receipt.accountId) ?? [];
    list.push(receipt);
    byAccount.set(receipt.accountId, list);
  }
  let lost = 0;
  let doubleCharges = 0;
  const outcomes: VisitOutcome[] = [];
  for (const receipt of billed) {
    const extra = Math.max(0, receipt.providerCharges - 1) + Math.max(0, receipt.ledgerCharges - 1);
    if (extra > 0) problems.push(`visit ${receipt.visitId} charged ${extra + 1} times`);
    doubleCharges += extra;
    if (receipt.status !== 'paid') problems.push(`visit ${receipt.visitId} is ${receipt.status}, not paid`);
  }
  const accounts = new Set(visits.map((v) => v.accountId));
  for (const accountId of accounts) {
    const real = visits.filter((v) => v.accountId === accountId).sort((a, b) => a.enteredAt - b.enteredAt);
    const receipts = byAccount.get(accountId) ?? [];
    if (receipts.length > real.length) {
      doubleCharges += receipts.length - real.length;
      problems.push(`${real[0]?.shopper}: ${receipts.length} receipts for ${real.length} visit(s)`);
    }
    real.forEach((visit, i) => {
      const receipt = receipts[i];
      const expectedUnits = units(visit.expected);
      if (receipt === undefined) {
        lost += Math.max(1, expectedUnits);
        problems.push(`${visit.shopper}: no receipt (${expectedUnits} unit(s) taken)`);
      } else {
        const got = new Map(receipt.lines.map((l) => [l.sku, l.quantity]));
        let asked = toStaff.get(accountId) ?? 0;
        for (const line of visit.expected) {
          const unbilled = line.quantity - Math.min(line.quantity, got.get(line.sku) ?? 0);
          const withStaff = Math.min(unbilled, asked);
          asked -= withStaff;
          const missing = unbilled - withStaff;
          if (missing > 0) problems.push(`${visit.shopper}: ${missing} × ${line.sku} taken, not billed`);
          lost += missing;
        }
      }
      outcomes.push({
        shopper: visit.shopper,
        expected: visit.expected,
        billed: receipt?.lines,
        toStaff: toStaff.get(accountId) ?? 0,
        receiptLatencyMs: undefined,
      });
    });
  }
  const score = scoreVisits(outcomes);
  const exact = score.visitsExact === 1 && doubleCharges === 0 && lost === 0;
  if (score.wrongConfident > 0) problems.push(`${score.wrongConfident} line(s) billed that were not taken`);
  return { visits: visits.length, lost, doubleCharges, exact, problems };
}
