import { describe, expect, it } from 'vitest';
import { AlertBook } from '../../../../edge/floor/alert-book.ts';
import { deviceStatusAlert } from '../../../../edge/floor/device-alerts.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';

const store = indexStore(loadStoreConfig('stores/sample-store.json'));

describe('device status alerts', () => {
  it('says a camera is offline, naming a lost video source, and clears when it is back', () => {
    const alerts = new AlertBook();
    const lost = deviceStatusAlert(store, alerts, 'CAM3', { state: 'offline', reason: 'source-lost' }, 1000);
    expect(lost).toMatchObject({ alertId: 'device-offline:CAM3', state: 'raised', severity: 'critical' });
    expect(lost?.message).toBe(
      "camera CAM3 is offline: its bridge gets no video from it, shoppers under it are not seen — check the camera's power, network and stream address",
    );
    const back = deviceStatusAlert(store, alerts, 'CAM3', { state: 'online' }, 2000);
    expect(back).toMatchObject({ alertId: 'device-offline:CAM3', state: 'cleared' });
    const will = deviceStatusAlert(store, alerts, 'CAM4', { state: 'offline' }, 3000);
    expect(will?.message).toBe(
      'camera CAM4 is offline: shoppers under it are not seen — check its power and network',
    );
    expect(deviceStatusAlert(store, alerts, 'G-IN', { state: 'offline' }, 3000)?.message).toMatch(
      /^gate G-IN/,
    );
    expect(deviceStatusAlert(store, alerts, 'S01', { state: 'offline' }, 3000)).toBeUndefined();
  });
});
