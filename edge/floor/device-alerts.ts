// Pure: the staff alert for a camera or gate going offline (its last will, or a camera bridge whose video
// source is lost) or coming back, with a message that says what it means for the floor and what to check.
// Shelf controllers have their own health alerts.
import type { Alert } from '../../shared/schemas/alert.ts';
import type { DeviceStatus } from '../../shared/schemas/device-status.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { AlertBook } from './alert-book.ts';

/** Raises or clears the device's alert in the book; returns the alert to publish, if it changed. */
export function deviceStatusAlert(
  store: StoreIndex,
  alerts: AlertBook,
  device: string,
  status: DeviceStatus,
  now: number,
): Alert | undefined {
  const kind = store.config.cameras.some((c) => c.id === device)
    ? 'camera'
    : store.gateById.has(device)
      ? 'gate'
      : undefined;
  if (kind === undefined) return undefined;
  const alertId = `device-offline:${device}`;
  if (status.state === 'online') return alerts.clear(alertId, now, `${kind} ${device} is back online`);
  return alerts.raise({
    alertId,
    kind: 'device-offline',
    severity: 'critical',
    message:
      kind !== 'camera'
        ? `gate ${device} is offline: shoppers cannot scan there — check the gate controller`
        : status.reason === 'source-lost'
          ? `camera ${device} is offline: its bridge gets no video from it, shoppers under it are not seen — check the camera's power, network and stream address`
          : `camera ${device} is offline: shoppers under it are not seen — check its power and network`,
    ts: now,
  });
}
