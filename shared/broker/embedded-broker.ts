// An in-process MQTT 3.1.1 broker (aedes) for the demo, a fresh laptop and tests; production uses Mosquitto.
// Given the store's broker policy and password hashes it enforces them as Mosquitto does with the generated
// files: no anonymous client, every publish and subscribe checked against the principal's grants.
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { Aedes, type AedesOptions, type AuthenticateError, type Client } from 'aedes';
import { isProduction } from '../production-mode.ts';
import type { StoreConfig } from '../store-config.ts';
import {
  type BrokerCredentials,
  generateCredentials,
  hashCredentials,
  verifyPassword,
} from './broker-credentials.ts';
import {
  type BrokerPolicy,
  brokerPolicy,
  mayPublish,
  maySubscribe,
  type Principal,
} from './broker-policy.ts';

export interface EmbeddedBrokerOptions {
  /** 0 picks a free port (1883 is Mosquitto's on these machines). */
  port?: number;
  /** Enforce this policy; undefined: anonymous and open (refused in production). */
  security?: {
    policy: BrokerPolicy;
    /** by username: the `$7$` password hash (as in Mosquitto's password file) */
    hashes: ReadonlyMap<string, string>;
  };
  /** Serve MQTT over TLS (key, cert; ca and requestCert for client certificates). */
  tls?: TlsOptions;
}

export interface EmbeddedBroker {
  /** mqtt://127.0.0.1:<port>, or mqtts:// with TLS */
  url: string;
  port: number;
  /** What the policy refused, by kind: connects, publishes, subscriptions. */
  readonly denied: { connect: number; publish: number; subscribe: number };
  stop(): Promise<void>;
}

const authError = (message: string, returnCode: 4 | 5): AuthenticateError =>
  Object.assign(new Error(message), { returnCode }) as AuthenticateError;

/** The aedes hooks that enforce a policy; `principals` remembers each connected client's. */
function enforcing(
  security: NonNullable<EmbeddedBrokerOptions['security']>,
  denied: EmbeddedBroker['denied'],
  clients: () => Record<string, Client>,
): Pick<AedesOptions, 'authenticate' | 'authorizePublish' | 'authorizeSubscribe'> {
  const principals = new WeakMap<Client, Principal>();
  return {
    authenticate(client, username, password, done) {
      const principal = username === undefined ? undefined : security.policy.principals.get(username);
      const hash = username === undefined ? undefined : security.hashes.get(username);
      if (principal === undefined || hash === undefined || password === undefined) {
        denied.connect++;
        return done(authError('not authorised', 5), false);
      }
      if (!verifyPassword(password.toString('utf8'), hash)) {
        denied.connect++;
        return done(authError('bad user name or password', 4), false);
      }
      // a client id held by another principal cannot be taken over (Mosquitto: use_username_as_clientid)
      const holder = clients()[client.id];
      if (holder !== undefined && principals.get(holder)?.username !== username) {
        denied.connect++;
        return done(authError(`client id ${client.id} belongs to another user`, 5), false);
      }
      principals.set(client, principal);
      done(null, true);
    },
    authorizePublish(client, packet, done) {
      const principal = client === null ? undefined : principals.get(client);
      if (principal !== undefined && mayPublish(principal, packet.topic)) return done(null);
      denied.publish++;
      // aedes closes the connection of a client whose publish is refused (Mosquitto drops the message)
      done(new Error(`${principal?.username ?? 'unknown client'} may not publish to ${packet.topic}`));
    },
    authorizeSubscribe(client, subscription, done) {
      const principal = principals.get(client);
      if (principal !== undefined && maySubscribe(principal, subscription.topic))
        return done(null, subscription);
      denied.subscribe++;
      // a null subscription is refused in the SUBACK (0x80), the connection stays up
      done(null, null);
    },
  };
}

/** Starts aedes on 127.0.0.1, enforcing `security` when given. */
export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions = {}): Promise<EmbeddedBroker> {
  if (opts.security === undefined && isProduction())
    throw new Error(
      'NODE_ENV=production: an embedded broker without the store policy accepts anyone; use Mosquitto with `npm run broker:config`',
    );
  const denied = { connect: 0, publish: 0, subscribe: 0 };
  let aedes: Aedes | undefined;
  const clients = () => (aedes as unknown as { clients: Record<string, Client> }).clients;
  aedes = await Aedes.createBroker(
    opts.security === undefined ? {} : enforcing(opts.security, denied, clients),
  );
  const broker = aedes;
  // no Nagle: a device's small messages (a load-cell batch is ~1 KB) go out at once instead of waiting up to
  // 40 ms for the TCP acknowledgement of the one before (Mosquitto's set_tcp_nodelay)
  const server: Server =
    opts.tls === undefined
      ? createServer({ noDelay: true }, broker.handle)
      : createTlsServer({ ...opts.tls, noDelay: true }, broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('embedded broker has no TCP address');
  return {
    url: `${opts.tls === undefined ? 'mqtt' : 'mqtts'}://127.0.0.1:${address.port}`,
    port: address.port,
    denied,
    async stop() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The demo's and the tests' broker: the store's policy with fresh demo credentials (refused in production). */
export async function startSecuredBroker(
  store: StoreConfig,
  options: Omit<EmbeddedBrokerOptions, 'security'> = {},
): Promise<EmbeddedBroker & { credentials: BrokerCredentials }> {
  const policy = brokerPolicy(store);
  const credentials = generateCredentials(policy, 'demo');
  const broker = await startEmbeddedBroker({
    ...options,
    security: { policy, hashes: hashCredentials(credentials) },
  });
  return { ...broker, credentials };
}
