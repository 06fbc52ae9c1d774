// Device capture times against the edge's clock: a batch or frame stamped ahead of it is refused, and, on a
// store's edge, one older than the window.
import { describe, expect, it } from 'vitest';
import {
  checkDeviceTime,
  DEFAULT_DEVICE_TIME_WINDOW,
  STORE_DEVICE_TIME_WINDOW,
} from '../../../../edge/mqtt/device-time-window.ts';

const now = 1_764_064_800_000;

describe('device time window', () => {
  it('takes a batch captured just before now, and one up to 2 s ahead (clock skew)', () => {
    expect(checkDeviceTime(now - 200, now - 17, now, STORE_DEVICE_TIME_WINDOW)).toBe('ok');
    expect(checkDeviceTime(now + 1000, now + 2000, now, STORE_DEVICE_TIME_WINDOW)).toBe('ok');
  });

  it('refuses a batch whose last sample is more than 2 s ahead', () => {
    expect(checkDeviceTime(now + 1000, now + 2001, now, STORE_DEVICE_TIME_WINDOW)).toBe('future-dated');
    expect(checkDeviceTime(now + 3_600_000, now + 3_600_200, now, DEFAULT_DEVICE_TIME_WINDOW)).toBe(
      'future-dated',
    );
  });

  it('refuses on a store edge a batch older than 10 minutes; the library default bounds only the future', () => {
    expect(checkDeviceTime(now - 600_001, now - 599_800, now, STORE_DEVICE_TIME_WINDOW)).toBe('stale');
    expect(checkDeviceTime(now - 86_400_000, now - 86_399_800, now, DEFAULT_DEVICE_TIME_WINDOW)).toBe('ok');
  });
});
