// The staff alert for people coming in through an entry gate beyond what the scan admitted: its id, and
// a message that says what happened and what to do. Pure.
import type { Alert } from '../../shared/schemas/alert.ts';
import type { AlertBook } from '../floor/alert-book.ts';
import type { Tailgating } from '../tracking/gate-binder.ts';

/** How long a tailgating alert stays up before it clears itself (staff have looked by then, or it is moot). */
export const TAILGATING_ALERT_MS = 120_000;

/** One alert per person who came in unadmitted. */
export const tailgatingAlertId = (event: Tailgating) => `tailgating:${event.gate}:${event.trackId}`;

export function tailgatingAlert(event: Tailgating, ts: number): Omit<Alert, 'v' | 'state'> {
  const people = (n: number) => `${n} ${n === 1 ? 'person' : 'people'}`;
  const what =
    event.sessionId === null
      ? `${people(event.entered)} came in through ${event.gate} without a scan`
      : `${people(event.entered)} came in through ${event.gate} on a scan for ${event.admitted}`;
  return {
    alertId: tailgatingAlertId(event),
    kind: 'tailgating',
    severity: 'warning',
    message: `${what} — check the entrance and ask them to scan the app`,
    ts,
  };
}

/** Raises (seen) or clears (later) a tailgating alert in the book; returns the alert to publish, if it changed. */
export function tailgatingAlertChange(
  change: { state: 'raised' | 'cleared'; event: Tailgating },
  alerts: AlertBook,
  now: number,
): Alert | undefined {
  const { event } = change;
  return change.state === 'raised'
    ? alerts.raise(tailgatingAlert(event, now))
    : alerts.clear(tailgatingAlertId(event), now, `tailgating at ${event.gate}: over`);
}
