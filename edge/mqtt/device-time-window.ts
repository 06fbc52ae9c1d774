// Pure: whether a device's own capture time is believable against the edge's clock. A batch stamped in the
// future would make checkout take its shelf as settled through that time; one far in the past is a replay.

export interface DeviceTimeWindow {
  /**
   * How far a capture time may be ahead of the edge's clock (ms). Devices are NTP-synchronised (a few ms
   * apart) and a message arrives after its capture, so a real one is never ahead by more than the clocks'
   * skew: 2 s allows a badly synchronised device and still stops a batch stamped minutes ahead.
   */
  maxAheadMs: number;
  /** How far a capture time may be behind the edge's clock (ms); Infinity: no bound. */
  maxBehindMs: number;
}

/**
 * The edge as a library (benches and recordings replay stamped times of the past): only the future is
 * bounded. The edge process (edge/main.ts) also bounds the past: `STORE_DEVICE_TIME_WINDOW`.
 */
export const DEFAULT_DEVICE_TIME_WINDOW: DeviceTimeWindow = { maxAheadMs: 2000, maxBehindMs: Infinity };

/**
 * A store's edge: a controller's batches are never held back longer than a reconnect; 10 minutes covers a
 * device buffering through a broker restart and stops anything older.
 */
export const STORE_DEVICE_TIME_WINDOW: DeviceTimeWindow = { maxAheadMs: 2000, maxBehindMs: 10 * 60_000 };

export type DeviceTimeCheck = 'ok' | 'future-dated' | 'stale';

/** Checks the span [firstTs, lastTs] a message covers against `now`. */
export function checkDeviceTime(
  firstTs: number,
  lastTs: number,
  now: number,
  window: DeviceTimeWindow,
): DeviceTimeCheck {
  if (lastTs > now + window.maxAheadMs) return 'future-dated';
  if (firstTs < now - window.maxBehindMs) return 'stale';
  return 'ok';
}
