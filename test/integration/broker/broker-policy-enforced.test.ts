// The store's broker policy enforced by both brokers it is written for: the embedded aedes (demo, tests) and a
// real Mosquitto started here from the files `npm run broker:config` writes. Anonymous and wrong logins are
// refused, devices write only their own topics, only the edge commands gates, and TLS with a CA made at test
// time admits the store's devices and refuses a certificate from any other CA.
import { randomUUID } from 'node:crypto';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BrokerCredentials,
  hashCredentials,
  loginFor,
} from '../../../shared/broker/broker-credentials.ts';
import { brokerPolicy } from '../../../shared/broker/broker-policy.ts';
import { startEmbeddedBroker, startSecuredBroker } from '../../../shared/broker/embedded-broker.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';
import { topics } from '../../../shared/topics.ts';
import { mosquittoSkipReason, startTestMosquitto } from '../../support/mosquitto-process.ts';
import { waitFor } from '../../support/services.ts';
import { makeTestCertificates, type TestCertificates } from '../../support/test-certificates.ts';

const store = { ...loadStoreConfig('stores/sample-store.json'), storeId: `bp-${randomUUID().slice(0, 8)}` };
const sid = store.storeId;
const certs: TestCertificates = makeTestCertificates();

interface RunningBroker {
  url: string;
  tlsUrl: string;
  credentials: BrokerCredentials;
  stop(): Promise<void>;
}

/** Connects once; refused when the broker says so or closes the connection (a TLS handshake it refused). */
const connect = (url: string, options: IClientOptions = {}) =>
  new Promise<MqttClient>((resolve, reject) => {
    const client = mqtt.connect(url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 4000,
      clientId: `t-${randomUUID().slice(0, 12)}`,
      ...options,
    });
    const fail = (err?: Error) => {
      client.end(true);
      reject(err ?? new Error('connection closed before CONNACK'));
    };
    const closed = () => fail();
    client.once('error', fail);
    client.once('close', closed);
    client.once('connect', () => {
      client.off('error', fail);
      client.off('close', closed);
      resolve(client);
    });
  });

/** Resolves once the broker has decided on the publish: acknowledged (QoS 1) or the connection closed for it. */
const attempt = (client: MqttClient, topic: string, payload: string) =>
  new Promise<'acked' | 'closed'>((resolve) => {
    client.once('close', () => resolve('closed'));
    client.publishAsync(topic, payload, { qos: 1 }).then(
      () => resolve('acked'),
      () => resolve('closed'),
    );
  });

function suite(name: string, start: () => Promise<RunningBroker>) {
  describe(`broker policy on ${name}`, () => {
    let broker: RunningBroker;
    const clients: MqttClient[] = [];
    const as = async (username: string, extra: IClientOptions = {}, url?: string) => {
      const login = loginFor(broker.credentials, username);
      if (login === undefined) throw new Error(`no login for ${username}`);
      const client = await connect(url ?? broker.url, { ...login, ...extra });
      clients.push(client);
      return client;
    };
    /** A subscriber that keeps what it receives. */
    const listen = async (username: string, filter: string) => {
      const client = await as(username);
      const got: { topic: string; payload: string }[] = [];
      client.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }));
      const granted = await client.subscribeAsync(filter, { qos: 1 });
      expect(granted[0]?.qos).toBe(1);
      return got;
    };

    beforeAll(async () => {
      broker = await start();
    });
    afterAll(async () => {
      // a client the broker closed (a refused publish, a newer session under its id) ends without waiting
      await Promise.all(clients.map((c) => (c.connected ? c.endAsync(true) : c.end(true))));
      await broker?.stop();
    });

    it('refuses anonymous clients and wrong passwords', async () => {
      await expect(connect(broker.url)).rejects.toThrow(/not authori[sz]ed|bad user/i);
      await expect(
        connect(broker.url, { username: 'S01', password: 'guessed-password-1234' }),
      ).rejects.toThrow(/not authori[sz]ed|bad user/i);
      await expect(connect(broker.url, { username: 'nobody', password: 'x'.repeat(20) })).rejects.toThrow(
        /not authori[sz]ed|bad user/i,
      );
    });

    it("a shelf controller writes its own shelf's weights, never another shelf's or a gate command", async () => {
      const weights = await listen('edge', topics.shelfWeights(sid, '+'));
      const commands = await listen('G-IN', topics.gateCommand(sid, 'G-IN'));
      const s01 = await as('S01');
      await attempt(s01, topics.shelfWeights(sid, 'S02'), 'forged by S01');
      const s01again = await as('S01');
      await attempt(s01again, topics.gateCommand(sid, 'G-IN'), 'forged by S01');
      // the broker has decided on both; a sentinel after them arrives, the forgeries never do
      const s02 = await as('S02');
      expect(await attempt(s02, topics.shelfWeights(sid, 'S02'), 'sentinel')).toBe('acked');
      await waitFor('sentinel', () => weights.find((m) => m.payload === 'sentinel'));
      const edge = await as('edge');
      await edge.publishAsync(topics.gateCommand(sid, 'G-IN'), 'from the edge', { qos: 1 });
      await waitFor('edge command', () => commands.find((m) => m.payload === 'from the edge'));
      expect(weights.map((m) => m.payload)).toEqual(['sentinel']);
      expect(commands.map((m) => m.payload)).toEqual(['from the edge']);
    });

    it('a shelf controller cannot read gate commands; a camera cannot write one', async () => {
      const s01 = await as('S01');
      const overheard: string[] = [];
      s01.on('message', (_t, payload) => overheard.push(payload.toString()));
      // Mosquitto 2.0 grants the SUBACK and then delivers nothing it may not read; aedes refuses it (0x80)
      const granted = await s01.subscribeAsync(topics.gateCommand(sid, '+'), { qos: 1 }).then(
        (g) => g[0]?.qos,
        () => 128,
      );
      expect([1, 128]).toContain(granted);
      const commands = await listen('G-OUT', topics.gateCommand(sid, 'G-OUT'));
      const camera = await as('CAM1');
      expect(await attempt(camera, topics.gateCommand(sid, 'G-OUT'), 'forged by CAM1')).toBeDefined();
      const edge = await as('edge');
      await edge.publishAsync(topics.gateCommand(sid, 'G-OUT'), 'open from the edge', { qos: 1 });
      await waitFor('edge command at the gate', () =>
        commands.find((m) => m.payload === 'open from the edge'),
      );
      // a round trip on S01's own connection: anything the broker sent it before is in by now
      await s01.publishAsync(topics.deviceStatus(sid, 'S01'), '{"state":"online"}', { qos: 1 });
      expect(overheard).toEqual([]);
      expect(commands.map((m) => m.payload)).toEqual(['open from the edge']);
    });

    it('over TLS admits a device with the store CA and its password, refuses a certificate from another CA', async () => {
      const tls = { ca: certs.ca, rejectUnauthorized: true, servername: 'localhost' };
      const ok = await as('CAM2', { ...tls, cert: certs.client.cert, key: certs.client.key }, broker.tlsUrl);
      expect(ok.connected).toBe(true);
      const login = loginFor(broker.credentials, 'CAM2');
      // a device whose certificate another CA signed: the broker refuses the handshake
      await expect(
        connect(broker.tlsUrl, {
          ...login,
          ...tls,
          cert: certs.rogueClient.cert,
          key: certs.rogueClient.key,
        }),
      ).rejects.toThrow();
      // a device that trusts another CA: the broker's certificate is refused (a man in the middle looks so)
      await expect(
        connect(broker.tlsUrl, {
          ...login,
          ...tls,
          ca: certs.rogueCa,
          cert: certs.client.cert,
          key: certs.client.key,
        }),
      ).rejects.toThrow(/certificate|self.signed/i);
    });
  });
}

suite('embedded aedes', async () => {
  const plain = await startSecuredBroker(store);
  // one policy and one set of logins on two listeners, as Mosquitto's plain and TLS ones
  const secured = await startEmbeddedBroker({
    security: { policy: brokerPolicy(store), hashes: hashCredentials(plain.credentials) },
    tls: {
      key: certs.serverKey,
      cert: certs.serverCert,
      ca: certs.ca,
      requestCert: true,
      rejectUnauthorized: true,
    },
  });
  return {
    url: plain.url,
    tlsUrl: secured.url,
    credentials: plain.credentials,
    async stop() {
      await plain.stop();
      await secured.stop();
    },
  };
});

const skip = mosquittoSkipReason();
describe.skipIf(skip !== undefined)('real Mosquitto (own process, generated config)', () => {
  suite('Mosquitto', async () => {
    const mosquitto = await startTestMosquitto(store, {
      caFile: certs.caFile,
      certFile: certs.serverCertFile,
      keyFile: certs.serverKeyFile,
      requireClientCertificate: true,
    });
    return {
      url: mosquitto.url,
      tlsUrl: mosquitto.tlsUrl ?? '',
      credentials: mosquitto.credentials,
      stop: () => mosquitto.stop(),
    };
  });
});
