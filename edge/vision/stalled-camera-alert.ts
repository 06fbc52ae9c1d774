// The staff alert for a camera whose detections stopped coming from the vision workers (worker modes): its
// id, and a message that says what it means on the floor and what to check. Pure.
import type { Alert } from '../../shared/schemas/alert.ts';
import type { AlertBook } from '../floor/alert-book.ts';
import type { StallChange } from './detection-intake.ts';

export const stalledCameraAlertId = (camera: string) => `vision-stalled:${camera}`;

/** Raises (stopped) or clears (resumed) the camera's alert in the book; returns the alert to publish, if it changed. */
export function stalledCameraAlertChange(
  change: StallChange,
  alerts: AlertBook,
  now: number,
): Alert | undefined {
  const { camera } = change;
  if (change.state === 'cleared')
    return alerts.clear(stalledCameraAlertId(camera), now, `detections of camera ${camera} are back`);
  return alerts.raise({
    alertId: stalledCameraAlertId(camera),
    // the floor's device alert: shoppers under this camera are not seen, as when the camera itself is offline
    kind: 'device-offline',
    severity: 'critical',
    message: `no detections from camera ${camera} since ${new Date(change.lastAt).toISOString()}: shoppers under it are not seen — check that a vision worker runs (npm run vision-worker) and that the camera is online`,
    ts: now,
  });
}
