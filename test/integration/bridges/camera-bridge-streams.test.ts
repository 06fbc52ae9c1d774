// The camera bridge against real streams on loopback: simulator frames of CAM1 encoded by ffmpeg into an
// H.264 clip, served as MJPEG over HTTP and pushed over RTSP by ffmpeg itself (to the bridge listening, or to an
// RTSP server on loopback that the bridge pulls from as from an IP camera); the bridge decodes them with
// ffmpeg and publishes them with CAM1's own login on a secured Mosquitto, where a real edge with vision tracks
// the shopper. Killing the stream raises the `camera offline` alert; its return clears it and frames flow again.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSPKI, generateKeyPair } from 'jose';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBridgeConfig } from '../../../bridges/camera-bridge/bridge-config.ts';
import { CameraBridges } from '../../../bridges/camera-bridge/camera-bridges.ts';
import { Edge } from '../../../edge/edge-app.ts';
import { DEFAULT_VISION } from '../../../edge/vision/vision-config.ts';
import { freePort } from '../../../evaluation/harness/local-ports.ts';
import { loginFor, writeCredentialsFile } from '../../../shared/broker/broker-credentials.ts';
import { systemClock } from '../../../shared/clock.ts';
import type { Alert } from '../../../shared/schemas/alert.ts';
import type { TrackUpdate } from '../../../shared/schemas/track.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';
import { topics } from '../../../shared/topics.ts';
import { ffmpegSkipReason, pushRtsp, renderClip, serveMjpeg } from '../../support/camera-streams.ts';
import {
  mosquittoSkipReason,
  startTestMosquitto,
  type TestMosquitto,
} from '../../support/mosquitto-process.ts';
import { startRtspRelayServer } from '../../support/rtsp-relay-server.ts';
import { waitFor } from '../../support/services.ts';

const STORE_PATH = 'stores/sample-store.json';
const store = loadStoreConfig(STORE_PATH);
const skip = mosquittoSkipReason() ?? ffmpegSkipReason();
const FPS = 5;

describe.skipIf(skip !== undefined)('camera bridge on real streams', () => {
  let mosquitto: TestMosquitto;
  let edge: Edge;
  let observer: MqttClient;
  let clip: string;
  let credentialsFile: string;
  const alerts: Alert[] = [];
  const updates: TrackUpdate[] = [];
  const statuses: string[] = [];

  beforeAll(async () => {
    [mosquitto, clip] = await Promise.all([
      startTestMosquitto(store),
      renderClip(store, 'CAM1', { seconds: 6, fps: FPS }),
    ]);
    credentialsFile = join(mkdtempSync(join(tmpdir(), 'walkout-bridge-')), 'credentials.json');
    writeCredentialsFile(credentialsFile, mosquitto.credentials);
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    edge = new Edge({
      store,
      mqttUrl: mosquitto.url,
      mqttAuth: { login: loginFor(mosquitto.credentials, 'edge') },
      cloudUrl: 'http://127.0.0.1:9', // nothing listens: the outbox keeps what it owes
      storeCredential: 'test-credential',
      dbPath: ':memory:',
      entryTokenPublicKeyPem: await exportSPKI(pair.publicKey),
      logger: pino({ level: 'silent' }),
      vision: { ...DEFAULT_VISION, publishHz: 5 },
    });
    edge.onAlert((alert) => alerts.push(alert));
    await edge.start();
    observer = await mqtt.connectAsync(mosquitto.url, {
      protocolVersion: 4,
      ...loginFor(mosquitto.credentials, 'simulator'),
    });
    await observer.subscribeAsync([topics.tracks(store.storeId), topics.deviceStatus(store.storeId, 'CAM1')]);
    observer.on('message', (topic, payload) => {
      if (topic === topics.tracks(store.storeId)) updates.push(JSON.parse(payload.toString()) as TrackUpdate);
      else statuses.push(payload.toString());
    });
  });

  afterAll(async () => {
    await observer?.endAsync();
    await edge?.stop();
    await mosquitto?.stop();
  });

  /** The bridge of CAM1 from `source`, and of any `others`, from a config file as a store would write it. */
  function startBridge(source: string, listen: boolean, others: { camera: string; source: string }[] = []) {
    const configPath = join(mkdtempSync(join(tmpdir(), 'walkout-bridge-')), 'bridge.json');
    writeFileSync(
      configPath,
      JSON.stringify({
        storeConfig: STORE_PATH,
        mqttCredentials: credentialsFile,
        cameras: [{ camera: 'CAM1', source, fps: FPS, listen }, ...others.map((o) => ({ ...o, fps: FPS }))],
      }),
    );
    const config = loadBridgeConfig({ configPath }, { MQTT_URL: mosquitto.url });
    return new CameraBridges({
      config,
      clock: systemClock,
      logger: pino({ level: 'silent' }),
      // a stream's loss closes ffmpeg's input at once; the stall watchdog only has to spare a slow first frame
      // (a reader joining an RTSP stream mid-GOP on a loaded 2-core machine waited ~4 s for its first picture)
      settings: { initialBackoffMs: 200, maxBackoffMs: 1000, stallMs: 8000 },
    });
  }

  const offline = (since: number) =>
    alerts.find((a) => a.alertId === 'device-offline:CAM1' && a.state === 'raised' && a.ts >= since);
  const backOnline = (since: number) =>
    alerts.find((a) => a.alertId === 'device-offline:CAM1' && a.state === 'cleared' && a.ts >= since);

  /** Frames reach the edge and a shopper is tracked; the stream dies (alert) and comes back (cleared). */
  async function streamLostAndBack(bridges: CameraBridges, restart: () => void, kill: () => Promise<void>) {
    const startedAt = Date.now();
    // CAM1 hangs over (4, 3.4): the shopper it sees is tracked on its part of the floor
    await waitFor(
      'a confirmed track from the bridged frames, under CAM1',
      () =>
        updates
          .flatMap((u) => u.tracks)
          .find(
            (t) =>
              t.state === 'confirmed' &&
              t.lastSeenTs >= startedAt &&
              Math.abs(t.x - 4) < 4 &&
              Math.abs(t.y - 3.4) < 4,
          ),
      15_000,
    );
    const bridge = bridges.bridges.get('CAM1');
    expect(bridge?.sourceState).toBe('streaming');
    // at the camera's rate, not some fraction of it (an MJPEG stream has no timestamps of its own: read as
    // ffmpeg's default 25 fps, a 5 fps camera came through at 1 fps); half the rate allows for a loaded machine
    const before = bridge?.stats.published ?? 0;
    await new Promise((r) => setTimeout(r, 2000));
    expect((bridge?.stats.published ?? 0) - before).toBeGreaterThanOrEqual(FPS);
    const lostAt = Date.now();
    await kill();
    const alert = await waitFor('the camera offline alert', () => offline(lostAt), 8000);
    expect(alert.message).toContain('camera CAM1 is offline');
    expect(alert.message).toContain('gets no video');
    // the status is retained on a topic of its own: the alert may reach the observer before it does
    const lostStatus = JSON.stringify({ state: 'offline', reason: 'source-lost' });
    await waitFor('the offline status', () => (statuses.at(-1) === lostStatus ? true : undefined), 2000);
    expect(statuses.at(-1)).toBe(lostStatus);
    const publishedBefore = bridge?.stats.published ?? 0;
    const backAt = Date.now();
    restart();
    await waitFor('the alert cleared', () => backOnline(backAt), 10_000);
    await waitFor(
      'frames flowing again',
      () => ((bridge?.stats.published ?? 0) > publishedBefore + FPS ? true : undefined),
      10_000,
    );
    expect(statuses.at(-1)).toBe(JSON.stringify({ state: 'online' }));
    expect(bridge?.stats.reconnects).toBeGreaterThanOrEqual(1);
    expect(bridge?.stats.oversized).toBe(0);
  }

  it('bridges an MJPEG stream over HTTP through its loss and return, beside a recording in the same process', async () => {
    const port = await freePort();
    let server = serveMjpeg(clip, port);
    const bridges = startBridge(`http://127.0.0.1:${port}/cam.mjpeg`, false, [
      { camera: 'CAM2', source: clip },
    ]);
    try {
      await bridges.start();
      await streamLostAndBack(
        bridges,
        () => {
          server = serveMjpeg(clip, port);
        },
        async () => {
          await server.kill();
          // CAM2's recording plays on, unaffected, with CAM2's own login
          const cam2 = bridges.bridges.get('CAM2');
          const published = cam2?.stats.published ?? 0;
          await waitFor('CAM2 still publishing', () => (cam2?.stats.published ?? 0) > published + 2, 5000);
          expect(cam2?.sourceState).toBe('streaming');
        },
      );
    } finally {
      await bridges.stop();
      await server.kill();
    }
  }, 45_000);

  it('bridges an H.264 stream over RTSP, through its loss and return', async () => {
    const url = `rtsp://127.0.0.1:${await freePort()}/cam1`;
    const bridges = startBridge(url, true);
    let pusher: ReturnType<typeof pushRtsp> | undefined;
    try {
      await bridges.start();
      pusher = pushRtsp(clip, url);
      await streamLostAndBack(
        bridges,
        () => {
          pusher = pushRtsp(clip, url);
        },
        async () => pusher?.kill(),
      );
    } finally {
      await bridges.stop();
      await pusher?.kill();
    }
  }, 45_000);

  it('pulls an H.264 stream from an RTSP server as from an IP camera, through its loss and return', async () => {
    // ffmpeg publishes to the server (ANNOUNCE/RECORD); the bridge pulls (DESCRIBE/SETUP/PLAY, RTP over TCP)
    const server = await startRtspRelayServer(await freePort());
    const url = `rtsp://127.0.0.1:${server.port}/stream1`;
    let publisher = pushRtsp(clip, url);
    const bridges = startBridge(url, false);
    try {
      await waitFor('the stream published on the server', () => server.publishing().includes('/stream1'));
      await bridges.start();
      await streamLostAndBack(
        bridges,
        () => {
          publisher = pushRtsp(clip, url);
        },
        async () => {
          await publisher.kill();
          // ffmpeg has exited; the server sees its connection close a moment later (a loaded machine: later)
          await waitFor('the server to drop the killed publisher', () => server.publishing().length === 0);
        },
      );
    } finally {
      await bridges.stop();
      await publisher.kill();
      await server.stop();
    }
  }, 45_000);
});
