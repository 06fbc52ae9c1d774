// The edge over a real broker (embedded aedes, and Mosquitto when WALKOUT_TEST_MQTT_URL is set): malformed
// payloads on every subscribed topic are counted and dropped, gates stay shut for forged, expired and
// replayed tokens, and the edge keeps working afterwards.
import { randomUUID } from 'node:crypto';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Edge } from '../../../edge/edge-app.ts';
import { startEmbeddedBroker } from '../../../shared/broker/embedded-broker.ts';
import { gateCommandPublicKey, verifyGateCommand } from '../../../shared/gate-command-signature.ts';
import { ENTRY_TOKEN_ISSUER, ENTRY_TOKEN_TYPE } from '../../../shared/schemas/entry-token.ts';
import type { GateCommand } from '../../../shared/schemas/gate.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';
import { topics } from '../../../shared/topics.ts';
import { realMosquitto, waitFor } from '../../support/services.ts';

const store = loadStoreConfig('stores/sample-store.json');
const mosquitto = realMosquitto();

function suite(name: string, brokerUrl: () => Promise<{ url: string; stop: () => Promise<void> }>) {
  describe(`edge boundary on ${name}`, () => {
    // a store id per run keeps runs apart on a shared broker (retained messages, other suites)
    const storeConfig = { ...store, storeId: `it-${randomUUID().slice(0, 8)}` };
    const sid = storeConfig.storeId;
    let broker: { url: string; stop: () => Promise<void> };
    let edge: Edge;
    let device: MqttClient;
    let cloudKey: CryptoKey;
    const commands: GateCommand[] = [];

    const rejected = async (kind: string) => {
      const metric = await edge.metrics.messagesRejected.get();
      return metric.values.filter((v) => v.labels.kind === kind).reduce((s, v) => s + v.value, 0);
    };
    const rejectedFor = async (kind: string, reason: string) => {
      const metric = await edge.metrics.messagesRejected.get();
      return metric.values.find((v) => v.labels.kind === kind && v.labels.reason === reason)?.value ?? 0;
    };
    const sign = (key: CryptoKey, iat = Math.floor(Date.now() / 1000)) =>
      new SignJWT({ party: 1 })
        .setProtectedHeader({ alg: 'EdDSA', typ: ENTRY_TOKEN_TYPE })
        .setIssuer(ENTRY_TOKEN_ISSUER)
        .setSubject('acct-it')
        .setAudience(sid)
        .setJti(randomUUID())
        .setIssuedAt(iat)
        .setExpirationTime(iat + 60)
        .sign(key);
    const scan = async (token: string) => {
      const scanId = randomUUID();
      await device.publishAsync(
        topics.gateScan(sid, 'G-IN'),
        JSON.stringify({ v: 1, scanId, token, ts: Date.now() }),
        { qos: 1 },
      );
      return waitFor(`gate command for ${scanId}`, () => commands.find((c) => c.scanId === scanId));
    };

    beforeAll(async () => {
      broker = await brokerUrl();
      const pair = await generateKeyPair('EdDSA', { extractable: true });
      cloudKey = pair.privateKey;
      edge = new Edge({
        store: storeConfig,
        mqttUrl: broker.url,
        cloudUrl: 'http://127.0.0.1:9', // nothing listens: the outbox keeps what it owes
        storeCredential: 'test-credential',
        dbPath: ':memory:',
        entryTokenPublicKeyPem: await exportSPKI(pair.publicKey),
        logger: pino({ level: 'silent' }),
      });
      await edge.start();
      device = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
      await device.subscribeAsync(topics.gateCommand(sid, '+'), { qos: 1 });
      device.on('message', (_t, payload) => commands.push(JSON.parse(payload.toString()) as GateCommand));
    });

    afterAll(async () => {
      await device?.endAsync();
      await edge?.stop();
      await broker?.stop();
    });

    it('counts and drops malformed payloads on every subscribed topic', async () => {
      const weights = topics.shelfWeights(sid, 'S01');
      await device.publishAsync(weights, 'not json', { qos: 1 });
      await device.publishAsync(weights, JSON.stringify({ v: 1, device: 'S01', seq: -1 }), { qos: 1 });
      await device.publishAsync(
        weights,
        JSON.stringify({
          v: 1,
          device: 'S01',
          seq: 1,
          t0: 1,
          periodMs: 16,
          cells: [{ id: 'NOPE', grams: [1] }],
        }),
        { qos: 1 },
      );
      await device.publishAsync(topics.gateScan(sid, 'G-IN'), Buffer.from([0xff, 0x00, 0x13]), { qos: 1 });
      await device.publishAsync(
        topics.gateScan(sid, 'G-IN'),
        JSON.stringify({ v: 1, scanId: 'x', token: '' }),
        { qos: 1 },
      );
      await waitFor('3 shelf rejections', async () =>
        (await rejected('shelfWeights')) >= 3 ? true : undefined,
      );
      await waitFor('2 gate rejections', async () => ((await rejected('gateScan')) >= 2 ? true : undefined));
      expect(await rejected('shelfWeights')).toBe(3);
      expect(await rejected('gateScan')).toBe(2);
    });

    it('rejects and counts a future-dated batch, one naming another device, and an oversized one', async () => {
      const batch = (device: string, t0: number, samples = 12) =>
        JSON.stringify({
          v: 1,
          device,
          seq: 1,
          t0,
          periodMs: 16.667,
          cells: [{ id: 'S02-LC01', grams: Array.from({ length: samples }, () => 1500) }],
        });
      const weights = topics.shelfWeights(sid, 'S02');
      // an hour ahead: checkout would take the shelf as settled through then
      await device.publishAsync(weights, batch('S02', Date.now() + 3_600_000), { qos: 1 });
      // S03's name on S02's topic: not the controller the broker let write it
      await device.publishAsync(weights, batch('S03', Date.now()), { qos: 1 });
      // above the edge's JSON cap: dropped before JSON.parse
      await device.publishAsync(weights, `{"pad":"${'x'.repeat(300 * 1024)}"}`, { qos: 1 });
      await waitFor('future-dated counted', async () =>
        (await rejectedFor('shelfWeights', 'future-dated')) === 1 ? true : undefined,
      );
      await waitFor('wrong device counted', async () =>
        (await rejectedFor('shelfWeights', 'wrong-device')) === 1 ? true : undefined,
      );
      await waitFor('oversized counted', async () =>
        (await rejectedFor('shelfWeights', 'too-large')) === 1 ? true : undefined,
      );
      // a batch stamped now from the right controller goes through: nothing more rejected
      const before = await rejected('shelfWeights');
      await device.publishAsync(weights, batch('S02', Date.now() - 500), { qos: 1 });
      await waitFor('batch taken', () => (edge.messagesReceived('shelfWeights') >= 7 ? true : undefined));
      expect(await rejected('shelfWeights')).toBe(before);
    });

    it('raises an alert when a camera goes offline and clears it when it is back', async () => {
      const status = topics.deviceStatus(sid, 'CAM3');
      await device.publishAsync(status, JSON.stringify({ state: 'offline' }), { qos: 1 });
      const raised = await waitFor('camera alert', () =>
        edge.alerts.list().find((a) => a.alertId === 'device-offline:CAM3'),
      );
      expect(raised).toMatchObject({ kind: 'device-offline', severity: 'critical', state: 'raised' });
      await device.publishAsync(status, JSON.stringify({ state: 'online' }), { qos: 1 });
      await waitFor('alert cleared', () =>
        edge.alerts.list().some((a) => a.alertId === 'device-offline:CAM3') ? undefined : true,
      );
    });

    it('keeps the gate shut for forged, expired and replayed tokens, opens it for a valid one', async () => {
      const forger = await generateKeyPair('EdDSA');
      expect(await scan(await sign(forger.privateKey))).toMatchObject({
        action: 'deny',
        reason: 'bad-signature',
        admit: 0,
      });
      expect(await scan(await sign(cloudKey, Math.floor(Date.now() / 1000) - 300))).toMatchObject({
        action: 'deny',
        reason: 'expired',
      });
      const valid = await sign(cloudKey);
      const opened = await scan(valid);
      expect(opened).toMatchObject({ action: 'open', admit: 1 });
      // signed by the edge for this gate: the gate verifies it with the edge's public key
      const key = gateCommandPublicKey(edge.gateCommandPublicKeyPem);
      expect(verifyGateCommand(key, sid, 'G-IN', opened)).toBe(true);
      expect(verifyGateCommand(key, sid, 'G-OUT', opened)).toBe(false);
      expect(await scan(valid)).toMatchObject({ action: 'deny', reason: 'replayed' });
      expect(edge.state().inStore).toHaveLength(1);
    });
  });
}

suite('embedded aedes', async () => startEmbeddedBroker());
describe.skipIf(mosquitto.url === undefined)('real Mosquitto', () => {
  suite('Mosquitto', async () => ({ url: mosquitto.url ?? '', stop: async () => {} }));
});
