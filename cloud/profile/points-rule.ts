// The one points rule for every channel: whole currency units spent × points per unit. Pure; a refund takes
// back exactly the points the refunded money had earned.

export interface PointsRule {
  /** Points per whole currency unit (100 cents) spent, e.g. 1. */
  pointsPerUnit: number;
}

export const DEFAULT_POINTS_RULE: PointsRule = { pointsPerUnit: 1 };

export function pointsFor(totalCents: number, rule: PointsRule): number {
  if (totalCents <= 0) return 0;
  return Math.floor(totalCents / 100) * rule.pointsPerUnit;
}

/** Points to take back when `refundCents` of a purchase of `totalCents`, `refundedBeforeCents` already refunded. */
export function pointsTakenBack(
  totalCents: number,
  refundedBeforeCents: number,
  refundCents: number,
  rule: PointsRule,
): number {
  const before = pointsFor(totalCents - refundedBeforeCents, rule);
  const after = pointsFor(totalCents - refundedBeforeCents - refundCents, rule);
  return before - after;
}
