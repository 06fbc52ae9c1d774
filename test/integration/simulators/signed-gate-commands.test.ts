// Gate commands carry the edge's Ed25519 signature and the gate (here the simulator's gate scanner) acts on
// nothing else. On the secured embedded broker a camera's login cannot even publish a command; with the edge's
// broker login stolen (or a broker misconfigured) a command with a valid scan id but no signature, another
// key's signature or an old time still leaves the gate shut, counted, and the edge's own command opens it.
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrokerCredentials, loginFor } from '../../../shared/broker/broker-credentials.ts';
import { type EmbeddedBroker, startSecuredBroker } from '../../../shared/broker/embedded-broker.ts';
import { systemClock } from '../../../shared/clock.ts';
import { generateGateCommandKeys, signGateCommand } from '../../../shared/gate-command-signature.ts';
import type { GateCommand, GateScan } from '../../../shared/schemas/gate.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';
import { topics } from '../../../shared/topics.ts';
import { GateEmulator } from '../../../simulators/devices/gate-emulator.ts';
import { waitFor } from '../../support/services.ts';

const store = { ...loadStoreConfig('stores/sample-store.json'), storeId: `sg-${randomUUID().slice(0, 8)}` };
const sid = store.storeId;
const edgeKeys = generateGateCommandKeys();
let broker: EmbeddedBroker & { credentials: BrokerCredentials };
let gate: GateEmulator;
/** Plays the edge: reads scans with the edge's login. */
let edge: MqttClient;
const scans: GateScan[] = [];

const as = (username: string) =>
  mqtt.connectAsync(broker.url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    ...loginFor(broker.credentials, username),
  });
const command = (scanId: string, ts = Date.now()): Omit<GateCommand, 'sig'> => ({
  v: 1,
  scanId,
  action: 'open',
  admit: 1,
  message: 'Welcome!',
  ts,
});

beforeAll(async () => {
  broker = await startSecuredBroker(store);
  gate = new GateEmulator({
    storeId: sid,
    gateId: 'G-IN',
    mqttUrl: broker.url,
    auth: { login: loginFor(broker.credentials, 'G-IN') },
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    // a shut gate is what is asserted: its deadline ends the wait
    deadlineMs: 1500,
    commandKeyPem: edgeKeys.publicKeyPem,
  });
  await gate.start();
  edge = await as('edge');
  edge.on('message', (_t, payload) => scans.push(JSON.parse(payload.toString()) as GateScan));
  await edge.subscribeAsync(topics.gateScan(sid, 'G-IN'), { qos: 1 });
});
afterAll(async () => {
  await edge?.endAsync();
  await gate?.stop();
  await broker?.stop();
});

const nextScan = async (already: number) => {
  await waitFor('the scan at the edge', () => (scans.length > already ? true : undefined));
  return scans[already] as GateScan;
};

describe('signed gate commands', () => {
  it("a camera's login cannot open a gate, even with the scan id", async () => {
    const camera = await as('CAM1');
    const seen = scans.length;
    const result = gate.scan('token');
    const scan = await nextScan(seen);
    const denied = broker.denied.publish;
    camera.publish(topics.gateCommand(sid, 'G-IN'), JSON.stringify(command(scan.scanId)), { qos: 0 });
    expect(await result).toMatchObject({ action: 'timeout' });
    expect(broker.denied.publish).toBe(denied + 1);
    camera.end(true);
  });

  it('with the edge login but not its key, forged and stale commands are refused and counted; the signed one opens', async () => {
    const seen = scans.length;
    const result = gate.scan('token');
    const { scanId } = await nextScan(seen);
    const topic = topics.gateCommand(sid, 'G-IN');
    const send = (c: GateCommand) => edge.publishAsync(topic, JSON.stringify(c), { qos: 1 });
    const forger = generateGateCommandKeys();
    await send(command(scanId)); // unsigned
    await send(signGateCommand(forger.privateKey, sid, 'G-IN', command(scanId))); // another key
    await send({ ...signGateCommand(edgeKeys.privateKey, sid, 'G-IN', command(scanId)), admit: 6 }); // altered
    await send(signGateCommand(edgeKeys.privateKey, sid, 'G-OUT', command(scanId))); // another gate's
    await send(signGateCommand(edgeKeys.privateKey, sid, 'G-IN', command(scanId, Date.now() - 60_000))); // old
    await waitFor('5 refusals', () => (gate.refused.forged + gate.refused.stale >= 5 ? true : undefined));
    expect(gate.refused).toEqual({ forged: 4, stale: 1 });
    await send(signGateCommand(edgeKeys.privateKey, sid, 'G-IN', command(scanId)));
    expect(await result).toMatchObject({ action: 'open', command: { admit: 1 } });
  });
});
