// Starts a whole store in one process, as the demo, the end-to-end tests and the evaluations need it:
// MQTT broker (embedded aedes enforcing the store's broker policy with fresh demo credentials, or a given URL
// such as Mosquitto), cloud (PGlite or PostgreSQL) and edge.
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { type Cloud, createCloud } from '../../cloud/server.ts';
import { Edge, type EdgeOptions } from '../../edge/edge-app.ts';
import { DEMO_FLOOR_STAFF, fetchEntryTokenKey } from '../../edge/edge-config.ts';
import type { VisionConfig } from '../../edge/vision/vision-config.ts';
import {
  type AuthByUsername,
  authFrom,
  type BrokerCredentials,
} from '../../shared/broker/broker-credentials.ts';
import { PROCESS_USERNAMES } from '../../shared/broker/broker-policy.ts';
import { startSecuredBroker } from '../../shared/broker/embedded-broker.ts';
import type { Clock } from '../../shared/clock.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import type { SteppedTime } from '../../shared/timers.ts';

export interface StoreStackOptions {
  store: StoreConfig;
  /** Broker URL; undefined starts an embedded aedes broker on a free port, secured by the store's policy. */
  mqttUrl?: string;
  /**
   * Credentials on the broker at `mqttUrl` (e.g. a Mosquitto configured by `npm run broker:config`); undefined
   * there: the edge connects anonymously. Ignored for the embedded broker, which generates its own.
   */
  brokerCredentials?: BrokerCredentials;
  /** PEM of the CA of the broker's certificate, for an mqtts:// URL. */
  mqttCa?: string;
  /** postgres://… for PostgreSQL; undefined for embedded PGlite. */
  databaseUrl?: string;
  /** PostgreSQL schema to isolate this stack in (tests). */
  postgresSchema?: string;
  /** Edge SQLite file (default in memory). */
  edgeDbPath?: string;
  /** Cloud HTTP port (default: any free port). */
  cloudPort?: number;
  /** Edge HTTP port (default: any free port). */
  edgeHttpPort?: number;
  /** Floor-view staff (default: the demo accounts). */
  floorStaff?: string;
  /** How long a receipt waits for staff decisions (ms). */
  exceptionHoldMs?: number;
  /** How far device times may be from the edge's clock (default the edge's). */
  deviceTimeWindow?: EdgeOptions['deviceTimeWindow'];
  /** Ceiling-camera tracking on the edge (scenarios with cameras need it); off when undefined. */
  vision?: VisionConfig;
  /**
   * Virtual time shared by the cloud and the edge: the store runs in lockstep with whoever advances it (the
   * evaluation). Undefined: wall-clock time, as in a store.
   */
  lockstep?: SteppedTime;
  logger?: Logger;
}

export interface StoreStack {
  mqttUrl: string;
  /** The broker credentials of every device and process (undefined on an open broker). */
  brokerCredentials: BrokerCredentials | undefined;
  /** Each device's and process's auth by username: hand it to the simulator. */
  auth: AuthByUsername;
  cloudUrl: string;
  cloud: Cloud;
  /** The credential the edge presents to the cloud (generated per stack). */
  storeCredential: string;
  /** The running edge (a new one after `restartEdge`). */
  edge: Edge;
  /**
   * Stops the edge and starts a new one with the same options, port and database (`edgeDbPath`; an in-memory
   * one starts empty), as a supervisor restarts an edge process: what it kept in memory (staff sign-ins, the
   * floor's live clients) is gone.
   */
  restartEdge(): Promise<Edge>;
  stop(): Promise<void>;
}

/**
 * How the simulated devices reach this stack: its broker, each device's own login, and the key the gate checks
 * the edge's signed commands with. Spread into the simulator's options.
 */
export function deviceConnection(stack: StoreStack): {
  mqttUrl: string;
  auth: AuthByUsername;
  gateCommandKeyPem: string;
} {
  return { mqttUrl: stack.mqttUrl, auth: stack.auth, gateCommandKeyPem: stack.edge.gateCommandPublicKeyPem };
}

export async function startStoreStack(options: StoreStackOptions): Promise<StoreStack> {
  const logger = options.logger ?? pino({ level: 'silent' });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse())
      await stop().catch((err: unknown) => logger.error({ err }, 'stop failed'));
  };
  try {
    let mqttUrl = options.mqttUrl;
    let brokerCredentials = options.brokerCredentials;
    if (mqttUrl === undefined) {
      const broker = await startSecuredBroker(options.store);
      stops.push(() => broker.stop());
      mqttUrl = broker.url;
      brokerCredentials = broker.credentials;
    }
    const auth = authFrom(brokerCredentials, options.mqttCa);
    const credential = `store-${randomBytes(16).toString('hex')}`;
    const clock: Clock | undefined = options.lockstep;
    const cloud = await createCloud({
      clock,
      databaseUrl: options.databaseUrl,
      postgresSchema: options.postgresSchema,
      stores: [{ config: options.store, credential }],
      // the simulated shoppers all sign in from loopback: a store's worth of them is not an attack
      rateLimit: { scale: 100 },
    });
    stops.push(() => cloud.stop());
    const cloudUrl = await cloud.start(options.cloudPort ?? 0, '127.0.0.1');
    const edgeOptions: EdgeOptions = {
      store: options.store,
      mqttUrl,
      mqttAuth: auth(PROCESS_USERNAMES.edge),
      cloudUrl,
      storeCredential: credential,
      dbPath: options.edgeDbPath ?? ':memory:',
      entryTokenPublicKeyPem: await fetchEntryTokenKey(cloudUrl, 5),
      logger: logger.child({ component: 'edge' }),
      httpPort: options.edgeHttpPort ?? 0,
      floorStaff: options.floorStaff ?? DEMO_FLOOR_STAFF,
      exceptionHoldMs: options.exceptionHoldMs,
      vision: options.vision,
      deviceTimeWindow: options.deviceTimeWindow,
      clock,
      timers: options.lockstep,
      lockstep: options.lockstep !== undefined,
    };
    const first = new Edge(edgeOptions);
    await first.start();
    const stack: StoreStack = {
      mqttUrl,
      brokerCredentials,
      auth,
      cloudUrl,
      cloud,
      storeCredential: credential,
      edge: first,
      restartEdge: async () => {
        const url = stack.edge.httpUrl;
        if (url === undefined) throw new Error('the edge is not listening');
        await stack.edge.stop();
        // the same port, so pages and devices find it where it was
        const port = Number(new URL(url).port);
        const next = new Edge({ ...edgeOptions, httpPort: port });
        await next.start();
        stack.edge = next;
        return next;
      },
      stop: stopAll,
    };
    stops.push(() => stack.edge.stop());
    return stack;
  } catch (err) {
    await stopAll();
    throw err;
  }
}
