// The staff alert for a return the edge set aside (#13): a put-back given to a shopper after their receipt
// whose refund the cloud can never make (its visit will never arrive, or it waited past the bound). Someone has
// to refund the shopper by hand or resend it; the alert says which item, for which visit, and why. Cleared when
// the return is delivered after all (an operator's `npm run outbox -- retry`). Pure.
import type { Alert } from '../../shared/schemas/alert.ts';
import type { VisitReturn } from '../../shared/schemas/visit-return.ts';
import type { AlertBook } from '../floor/alert-book.ts';

const alertIdOf = (returnId: string) => `refund-owed:${returnId}`;

/** Raises the alert for a return set aside; returns it to publish, or undefined when it is already up. */
export function refundOwedAlert(
  alerts: AlertBook,
  visitReturn: VisitReturn,
  reason: string,
  now: number,
): Alert | undefined {
  const { returnId, visitId, sku, quantity, lane } = visitReturn;
  return alerts.raise({
    alertId: alertIdOf(returnId),
    kind: 'refund-owed',
    severity: 'warning',
    message:
      `Refund owed: ${quantity} × ${sku} put back on ${lane} after visit ${visitId}'s receipt could not be ` +
      `refunded by the cloud — ${reason.slice(0, 300)}`,
    lane,
    ts: now,
  });
}

/** Clears it once the return went through after all; returns the clearing message, or undefined. */
export function refundDeliveredAlert(alerts: AlertBook, returnId: string, now: number): Alert | undefined {
  return alerts.clear(alertIdOf(returnId), now, `return ${returnId} was refunded by the cloud`);
}
