// Edge configuration: read once from the environment, validated, with errors that say what to set.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Static, Type } from 'typebox';
import {
  DEMO_PASSWORD_PREFIX,
  type MqttAuth,
  readCredentialsFile,
} from '../shared/broker/broker-credentials.ts';
import { PROCESS_USERNAMES } from '../shared/broker/broker-policy.ts';
import { isProduction, ProductionModeError } from '../shared/production-mode.ts';
import { compileValidator } from '../shared/validator.ts';
import type { LostExitSettings } from './checkout/lost-exit.ts';
import type { StuckReturnSettings } from './checkout/stuck-return.ts';
import type { RetentionSettings } from './db/edge-retention.ts';
import type { PickClipSettings } from './floor/pick-clips.ts';

export const EdgeConfigSchema = Type.Object({
  storeConfigPath: Type.String({ minLength: 1 }),
  mqttUrl: Type.String({ pattern: '^mqtts?://' }),
  /** The edge's broker login; from MQTT_USERNAME/MQTT_PASSWORD or the `edge` entry of MQTT_CREDENTIALS. */
  mqttUsername: Type.Optional(Type.String({ minLength: 1 })),
  mqttPassword: Type.Optional(Type.String({ minLength: 1 })),
  /** PKCS#8 PEM file of the Ed25519 key that signs gate commands (npm run broker:config writes it). */
  gateCommandKeyFile: Type.Optional(Type.String({ minLength: 1 })),
  /** PEM file of the CA that signed the broker's certificate (mqtts://). */
  mqttCaFile: Type.Optional(Type.String({ minLength: 1 })),
  cloudUrl: Type.String({ pattern: '^https?://' }),
  storeCredential: Type.String({ minLength: 8 }),
  dbPath: Type.String({ minLength: 1 }),
  httpPort: Type.Integer({ minimum: 0, maximum: 65535 }),
  entryTokenPublicKeyPem: Type.Optional(Type.String({ pattern: 'BEGIN PUBLIC KEY' })),
  /** Floor-view staff: name:viewer|supervisor:password, comma-separated. */
  floorStaff: Type.String(),
  httpHost: Type.String({ minLength: 1 }),
  /** Proxies whose X-Forwarded-For the floor's sign-in rate limit believes (shared/trust-proxy.ts). */
  trustProxy: Type.Optional(Type.String()),
  /** A session with no exit scan is closed and billed after this long (checkout/lost-exit.ts; default 180). */
  // from 1: the lost-exit fault case (npm run faults) closes a visit after a minute; a store keeps hours
  maxVisitMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
  /** Retentions in days (db/edge-retention.ts has the defaults and why). */
  retainVisitsDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650 })),
  retainDeliveredDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650 })),
  retainAuditDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650 })),
  retainFramesDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650 })),
  retainTracksDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650 })),
  /** Clips of the picks the edge bills by itself: days kept, and MB all of them hold at most (floor/pick-clips.ts). */
  retainPickClipsDays: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3650 })),
  pickClipsMaxMb: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000 })),
  /** Longest a return after the receipt waits for the cloud's "not yet" to end, hours (checkout/stuck-return.ts). */
  returnMaxWaitHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 8760 })),
  /** Longest a receipt waits for staff decisions (ms; default 120 s); a test or soak run shortens it. */
  exceptionHoldMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
  /** How often disputes granted in the cloud are pulled as training data (ms; default 5 min, #17). */
  disputePullMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 86_400_000 })),
});

export type EdgeConfig = Static<typeof EdgeConfigSchema>;

const validator = compileValidator(EdgeConfigSchema);

const envNames: Record<keyof EdgeConfig, string> = {
  storeConfigPath: 'STORE_CONFIG',
  mqttUrl: 'MQTT_URL',
  mqttUsername: 'MQTT_USERNAME',
  mqttPassword: 'MQTT_PASSWORD',
  mqttCaFile: 'MQTT_CA_FILE',
  gateCommandKeyFile: 'GATE_COMMAND_KEY_FILE',
  cloudUrl: 'CLOUD_URL',
  storeCredential: 'STORE_CREDENTIAL',
  dbPath: 'EDGE_DB',
  httpPort: 'EDGE_HTTP_PORT',
  entryTokenPublicKeyPem: 'ENTRY_TOKEN_PUBLIC_KEY',
  floorStaff: 'FLOOR_STAFF',
  httpHost: 'EDGE_HTTP_HOST',
  trustProxy: 'EDGE_TRUST_PROXY',
  maxVisitMinutes: 'MAX_VISIT_MINUTES',
  retainVisitsDays: 'RETAIN_VISITS_DAYS',
  retainDeliveredDays: 'RETAIN_DELIVERED_DAYS',
  retainAuditDays: 'RETAIN_AUDIT_DAYS',
  retainFramesDays: 'RETAIN_FRAMES_DAYS',
  retainTracksDays: 'RETAIN_TRACKS_DAYS',
  retainPickClipsDays: 'RETAIN_PICK_CLIPS_DAYS',
  pickClipsMaxMb: 'PICK_CLIPS_MAX_MB',
  returnMaxWaitHours: 'RETURN_MAX_WAIT_HOURS',
  exceptionHoldMs: 'EXCEPTION_HOLD_MS',
  disputePullMs: 'DISPUTE_PULL_MS',
};

/** Optional numeric settings: each present only when its variable is set (a typo stays a string and fails). */
function numericSettings(env: NodeJS.ProcessEnv): Partial<EdgeConfig> {
  const fields = [
    'maxVisitMinutes',
    'retainVisitsDays',
    'retainDeliveredDays',
    'retainAuditDays',
    'retainFramesDays',
    'retainTracksDays',
    'retainPickClipsDays',
    'pickClipsMaxMb',
    'returnMaxWaitHours',
    'disputePullMs',
  ] as const;
  const settings: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = env[envNames[field]];
    if (raw === undefined || raw === '') continue;
    settings[field] = /^\s*-?\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : raw;
  }
  return settings as Partial<EdgeConfig>;
}

const DAY_MS = 86_400_000;

/** The lost-exit, retention, pick-clip and returns' options the config names (defaults where unset). */
export function edgeLifetimes(config: EdgeConfig): {
  lostExit: Partial<LostExitSettings>;
  retention: Partial<RetentionSettings>;
  pickClips: Partial<PickClipSettings>;
  stuckReturns: Partial<StuckReturnSettings>;
} {
  const days = (d: number | undefined) => (d === undefined ? undefined : d * DAY_MS);
  const retention: Partial<RetentionSettings> = {};
  const set = (key: keyof RetentionSettings, value: number | undefined) => {
    if (value !== undefined) retention[key] = value;
  };
  set('visitsMs', days(config.retainVisitsDays));
  set('decidedExceptionsMs', days(config.retainVisitsDays));
  set('deliveredOutboxMs', days(config.retainDeliveredDays));
  set('auditMs', days(config.retainAuditDays));
  set('framesMs', days(config.retainFramesDays));
  set('tracksMs', days(config.retainTracksDays));
  const pickClipsMs = days(config.retainPickClipsDays);
  return {
    lostExit: config.maxVisitMinutes === undefined ? {} : { maxVisitMs: config.maxVisitMinutes * 60_000 },
    retention,
    pickClips: {
      ...(pickClipsMs === undefined ? {} : { retentionMs: pickClipsMs }),
      ...(config.pickClipsMaxMb === undefined ? {} : { maxBytes: config.pickClipsMaxMb * 1_000_000 }),
    },
    stuckReturns:
      config.returnMaxWaitHours === undefined ? {} : { maxNotReadyMs: config.returnMaxWaitHours * 3_600_000 },
  };
}

/** Demo staff for a laptop; a store sets FLOOR_STAFF. */
export const DEMO_FLOOR_STAFF = 'manager:supervisor:walkout-demo,staff:viewer:walkout-view';

export class EdgeConfigError extends Error {
  readonly code = 'INVALID_EDGE_CONFIG';
}

/** The edge's own login from MQTT_USERNAME/MQTT_PASSWORD, else from the credentials file MQTT_CREDENTIALS. */
function mqttLogin(env: NodeJS.ProcessEnv): { mqttUsername?: string; mqttPassword?: string } {
  if (env.MQTT_USERNAME !== undefined || env.MQTT_PASSWORD !== undefined)
    return { mqttUsername: env.MQTT_USERNAME, mqttPassword: env.MQTT_PASSWORD };
  if (env.MQTT_CREDENTIALS === undefined) return {};
  const password = readCredentialsFile(env.MQTT_CREDENTIALS).logins[PROCESS_USERNAMES.edge];
  if (password === undefined)
    throw new EdgeConfigError(
      `MQTT_CREDENTIALS ${env.MQTT_CREDENTIALS} has no login for "${PROCESS_USERNAMES.edge}"`,
    );
  return { mqttUsername: PROCESS_USERNAMES.edge, mqttPassword: password };
}

/** What production mode refuses in a config: no broker login, demo secrets, demo staff. */
export function productionProblems(config: EdgeConfig, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (config.mqttUsername === undefined || config.mqttPassword === undefined)
    problems.push(
      'no broker login: set MQTT_CREDENTIALS (npm run broker:config) or MQTT_USERNAME and MQTT_PASSWORD',
    );
  else if (config.mqttPassword.startsWith(DEMO_PASSWORD_PREFIX))
    problems.push('MQTT_PASSWORD is a demo credential: use the one `npm run broker:config` generated');
  if (config.gateCommandKeyFile === undefined)
    problems.push('GATE_COMMAND_KEY_FILE is unset: the gates would not know the key this edge signs with');
  if (config.storeCredential === DEV_STORE_CREDENTIAL)
    problems.push(
      'STORE_CREDENTIAL is the development default: set the credential the cloud issued to this store',
    );
  if (env.FLOOR_STAFF === undefined || config.floorStaff === DEMO_FLOOR_STAFF)
    problems.push('FLOOR_STAFF is unset or the demo accounts: set the store staff and their passwords');
  return problems;
}

const DEV_STORE_CREDENTIAL = 'dev-store-credential';

/** The gate-command signing key the config names; undefined: the edge makes a fresh one (demo). */
export function edgeGateCommandKey(config: EdgeConfig): KeyObject | undefined {
  if (config.gateCommandKeyFile === undefined) return undefined;
  return createPrivateKey(readFileSync(config.gateCommandKeyFile, 'utf8'));
}

/** The broker auth the config names (login and CA). */
export function edgeMqttAuth(config: EdgeConfig): MqttAuth | undefined {
  const login =
    config.mqttUsername === undefined || config.mqttPassword === undefined
      ? undefined
      : { username: config.mqttUsername, password: config.mqttPassword };
  const ca = config.mqttCaFile === undefined ? undefined : readFileSync(config.mqttCaFile, 'utf8');
  if (login === undefined && ca === undefined) return undefined;
  return { ...(login === undefined ? {} : { login }), ...(ca === undefined ? {} : { ca }) };
}

export function loadEdgeConfig(env: NodeJS.ProcessEnv): EdgeConfig {
  const config = {
    storeConfigPath: env.STORE_CONFIG ?? 'stores/sample-store.json',
    mqttUrl: env.MQTT_URL ?? 'mqtt://127.0.0.1:1883',
    ...mqttLogin(env),
    ...(env.MQTT_CA_FILE === undefined ? {} : { mqttCaFile: env.MQTT_CA_FILE }),
    ...(env.GATE_COMMAND_KEY_FILE === undefined ? {} : { gateCommandKeyFile: env.GATE_COMMAND_KEY_FILE }),
    cloudUrl: env.CLOUD_URL ?? 'http://127.0.0.1:8080',
    storeCredential: env.STORE_CREDENTIAL ?? DEV_STORE_CREDENTIAL,
    dbPath: env.EDGE_DB ?? 'var/edge.sqlite',
    httpPort: Number(env.EDGE_HTTP_PORT ?? 8090),
    httpHost: env.EDGE_HTTP_HOST ?? '127.0.0.1',
    ...(env.EDGE_TRUST_PROXY === undefined ? {} : { trustProxy: env.EDGE_TRUST_PROXY }),
    floorStaff: env.FLOOR_STAFF ?? DEMO_FLOOR_STAFF,
    ...numericSettings(env),
    ...(env.ENTRY_TOKEN_PUBLIC_KEY ? { entryTokenPublicKeyPem: env.ENTRY_TOKEN_PUBLIC_KEY } : {}),
    ...(env.EXCEPTION_HOLD_MS === undefined || env.EXCEPTION_HOLD_MS === ''
      ? {}
      : { exceptionHoldMs: Number(env.EXCEPTION_HOLD_MS) }),
  };
  const checked = validator.check(config);
  if (checked.ok) {
    const problems = isProduction(env) ? productionProblems(checked.value, env) : [];
    if (problems.length > 0) throw new ProductionModeError(problems);
    return checked.value;
  }
  const problems = checked.errors.map((e) => {
    const field = e.split(':')[0]?.replace('/', '') as keyof EdgeConfig;
    return `${envNames[field] ?? field}${e.slice(e.indexOf(':'))}`;
  });
  throw new EdgeConfigError(`invalid edge configuration:\n  ${problems.join('\n  ')}`);
}

/** Fetches the cloud's entry-token public key, retrying while the cloud is starting. */
export async function fetchEntryTokenKey(
  cloudUrl: string,
  attempts = 30,
  onRetry?: (error: string) => void,
): Promise<string> {
  let lastError = '';
  for (let i = 0; i < attempts; i++) {
    try {
      const response = await fetch(`${cloudUrl}/v1/entry-token-key`, { signal: AbortSignal.timeout(5000) });
      if (response.ok) {
        const body = (await response.json()) as { publicKeyPem?: unknown };
        if (typeof body.publicKeyPem === 'string' && body.publicKeyPem.includes('BEGIN PUBLIC KEY'))
          return body.publicKeyPem;
        lastError = 'answer has no publicKeyPem';
      } else {
        lastError = `HTTP ${response.status}`;
      }
    } catch (err) {
      lastError = (err as Error).message;
    }
    onRetry?.(lastError);
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new EdgeConfigError(
    `cannot get the entry-token key from ${cloudUrl}/v1/entry-token-key (${lastError}): start the cloud or set ENTRY_TOKEN_PUBLIC_KEY`,
  );
}
