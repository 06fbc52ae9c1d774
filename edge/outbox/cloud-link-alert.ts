// The staff alert for a cloud that refuses the edge's credential or address: visits are held, not lost, and
// someone has to fix the link. One alert for the store; cleared when a delivery goes through again. Pure.
import type { Alert } from '../../shared/schemas/alert.ts';
import type { AlertBook } from '../floor/alert-book.ts';

export const CLOUD_LINK_ALERT_ID = 'cloud-link:credential';

/** Raises the alert (once); returns it to publish, or undefined when it is already up. */
export function cloudLinkHeldAlert(alerts: AlertBook, reason: string, now: number): Alert | undefined {
  return alerts.raise({
    alertId: CLOUD_LINK_ALERT_ID,
    kind: 'cloud-link',
    severity: 'critical',
    message:
      "The cloud refuses this store's credential: receipts are held on the edge, not lost, and nobody is billed " +
      'until it is fixed — set STORE_CREDENTIAL to the current credential and restart the edge (or run ' +
      `npm run outbox -- retry --all-held). Last answer: ${reason.slice(0, 200)}`,
    ts: now,
  });
}

/** Clears the alert; returns the clearing message, or undefined when none was up. */
export function cloudLinkRestoredAlert(alerts: AlertBook, released: number, now: number): Alert | undefined {
  return alerts.clear(
    CLOUD_LINK_ALERT_ID,
    now,
    `the cloud takes this store's deliveries again: ${released} held receipt(s) are on their way`,
  );
}
