// Broker credentials: one generated secret per principal of the store's policy, kept in a credentials file
// (mode 0600, never committed) that the edge, the floor and the simulator read; the broker keeps only hashes,
// in Mosquitto's own PBKDF2-SHA512 format (`$7$`), which the embedded broker checks the same way.

import { pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { type Static, Type } from 'typebox';
import { compileValidator } from '../validator.ts';
import type { BrokerPolicy } from './broker-policy.ts';

/** What an MQTT client connects with. */
export interface MqttLogin {
  username: string;
  password: string;
}

export const BrokerCredentialsSchema = Type.Object(
  {
    storeId: Type.String({ minLength: 1 }),
    /** `demo`: generated for the demo or a test, refused in production. */
    purpose: Type.Union([Type.Literal('store'), Type.Literal('demo')]),
    /** by username: the password */
    logins: Type.Record(Type.String(), Type.String({ minLength: 16 })),
  },
  { additionalProperties: false },
);

export type BrokerCredentials = Static<typeof BrokerCredentialsSchema>;

/** Demo and test passwords start with this, so production can recognise and refuse them. */
export const DEMO_PASSWORD_PREFIX = 'demo.';

/**
 * Mosquitto 2.0's `mosquitto_passwd` format: `$7$<iterations>$<base64 12-byte salt>$<base64 64-byte
 * PBKDF2-SHA512>`. 101 iterations is mosquitto_passwd's own default: the secrets are 32 random bytes, so
 * stretching buys nothing, and every connect pays it.
 */
const HASH_ITERATIONS = 101;
const SALT_BYTES = 12;
const HASH_BYTES = 64;

/** One fresh random password per principal. */
export function generateCredentials(policy: BrokerPolicy, purpose: 'store' | 'demo'): BrokerCredentials {
  const prefix = purpose === 'demo' ? DEMO_PASSWORD_PREFIX : '';
  const logins: Record<string, string> = {};
  for (const username of policy.principals.keys())
    logins[username] = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { storeId: policy.storeId, purpose, logins };
}

export function loginFor(
  credentials: BrokerCredentials | undefined,
  username: string,
): MqttLogin | undefined {
  const password = credentials?.logins[username];
  return password === undefined ? undefined : { username, password };
}

/** How one client proves who it is to the broker, and which CA it trusts for mqtts://. */
export interface MqttAuth {
  login?: MqttLogin;
  /** PEM of the CA that signed the broker's certificate (mqtts:// only). */
  ca?: string;
}

/** The auth of each device or process by its username (the simulator hands each device its own). */
export type AuthByUsername = (username: string) => MqttAuth | undefined;

export function authFrom(credentials: BrokerCredentials | undefined, ca?: string): AuthByUsername {
  return (username) => {
    const login = loginFor(credentials, username);
    if (login === undefined && ca === undefined) return undefined;
    return { ...(login === undefined ? {} : { login }), ...(ca === undefined ? {} : { ca }) };
  };
}

/** mqtt.js connect options for an auth (none for an anonymous plain client). */
export function mqttAuthOptions(auth: MqttAuth | undefined): {
  username?: string;
  password?: string;
  ca?: string;
} {
  return {
    ...(auth?.login === undefined ? {} : { username: auth.login.username, password: auth.login.password }),
    ...(auth?.ca === undefined ? {} : { ca: auth.ca }),
  };
}

export function hashPassword(password: string, salt: Buffer = randomBytes(SALT_BYTES)): string {
  const hash = pbkdf2Sync(password, salt, HASH_ITERATIONS, HASH_BYTES, 'sha512');
  return `$7$${HASH_ITERATIONS}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Checks a password against a `$7$` hash in constant time; false for any other format. */
export function verifyPassword(password: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 5 || parts[1] !== '7') return false;
  const iterations = Number(parts[2]);
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 1_000_000) return false;
  const salt = Buffer.from(parts[3] ?? '', 'base64');
  const expected = Buffer.from(parts[4] ?? '', 'base64');
  if (salt.length === 0 || expected.length === 0) return false;
  const actual = pbkdf2Sync(password, salt, iterations, expected.length, 'sha512');
  return timingSafeEqual(actual, expected);
}

/** by username: the password hash, as the broker keeps it. */
export function hashCredentials(credentials: BrokerCredentials): Map<string, string> {
  return new Map(Object.entries(credentials.logins).map(([u, p]) => [u, hashPassword(p)]));
}

/** Writes the credentials file readable by its owner only. */
export function writeCredentialsFile(path: string, credentials: BrokerCredentials): void {
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

const validator = compileValidator(BrokerCredentialsSchema);

export class BrokerCredentialsError extends Error {
  readonly code = 'INVALID_BROKER_CREDENTIALS';
}

export function readCredentialsFile(path: string): BrokerCredentials {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new BrokerCredentialsError(`cannot read broker credentials ${path}: ${(err as Error).message}`);
  }
  const checked = validator.check(value);
  if (!checked.ok)
    throw new BrokerCredentialsError(`invalid broker credentials ${path}: ${checked.errors.join('; ')}`);
  return checked.value;
}
