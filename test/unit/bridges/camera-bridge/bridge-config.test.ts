import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBridgeConfig, parseBridgeArgs } from '../../../../bridges/camera-bridge/bridge-config.ts';
import { writeCredentialsFile } from '../../../../shared/broker/broker-credentials.ts';

const dir = mkdtempSync(join(tmpdir(), 'walkout-bridge-config-'));
const file = (name: string, value: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};
const env = { STORE_CONFIG: 'stores/sample-store.json' };

describe('camera bridge config', () => {
  it('reads one camera from the command line with the default rate', () => {
    const config = loadBridgeConfig(parseBridgeArgs(['--camera', 'CAM3', '--source', 'rtsp://10.0.0.3/s1']), {
      ...env,
      MQTT_URL: 'mqtt://broker:1883',
    });
    expect(config.cameras).toEqual([{ camera: 'CAM3', source: 'rtsp://10.0.0.3/s1', fps: 10 }]);
    expect(config.mqttUrl).toBe('mqtt://broker:1883');
    expect(config.store.storeId).toBeDefined();
  });

  it('reads several cameras from a file, each with its own login', () => {
    const credentials = join(dir, 'creds.json');
    writeCredentialsFile(credentials, {
      storeId: 'x',
      purpose: 'store',
      logins: { CAM1: 'a'.repeat(20), CAM2: 'b'.repeat(20) },
    });
    const path = file('two.json', {
      storeConfig: 'stores/sample-store.json',
      mqttUrl: 'mqtts://broker:8883',
      mqttCredentials: credentials,
      cameras: [
        { camera: 'CAM1', source: 'rtsp://c1/s', fps: 5 },
        { camera: 'CAM2', source: 'http://c2/video.mjpeg' },
      ],
    });
    const config = loadBridgeConfig({ configPath: path }, {});
    expect(config.cameras.map((c) => [c.camera, c.fps])).toEqual([
      ['CAM1', 5],
      ['CAM2', 10],
    ]);
    expect(config.credentials?.logins.CAM2).toBe('b'.repeat(20));
  });

  it('refuses with the path and the reason', () => {
    const bad = file('bad.json', {
      cameras: [
        { camera: 'CAM99', source: 'rtsp://x/y' },
        { camera: 'CAM1', source: 'http://x/y', listen: true },
        { camera: 'CAM1', source: 'ftp://x/y' },
      ],
    });
    expect(() => loadBridgeConfig({ configPath: bad }, env)).toThrow(
      new RegExp(
        [
          '/cameras/0/camera: CAM99 is not a camera of store',
          '/cameras/1/listen: only an rtsp:// source can listen',
          '/cameras/2/camera: CAM1 is bridged twice',
          '/cameras/2/source: unsupported source ftp://x/y',
        ].join('[^]*'),
      ),
    );
    const wrongRate = file('rate.json', { cameras: [{ camera: 'CAM1', source: 'a.mp4', fps: 100 }] });
    expect(() => loadBridgeConfig({ configPath: wrongRate }, env)).toThrow(/\/cameras\/0\/fps/);
    expect(() => loadBridgeConfig({ configPath: join(dir, 'missing.json') }, env)).toThrow(
      /cannot read camera bridge config/,
    );
    expect(() => parseBridgeArgs(['--cam', 'CAM1'])).toThrow(/unknown argument --cam/);
    expect(() => loadBridgeConfig({ camera: 'CAM1' }, env)).toThrow(/--source/);
  });

  it('refuses a camera without its own real login in production', () => {
    expect(() =>
      loadBridgeConfig({ camera: 'CAM1', source: 'a.mp4' }, { ...env, NODE_ENV: 'production' }),
    ).toThrow(/production needs CAM1's own broker login/);
  });
});
