// The camera bridge's configuration: which cameras of the store config to bridge, from which source, at what
// frame rate, and how to reach the broker. Read from a JSON file (`--config`) or from `--camera/--source/--fps`,
// with MQTT_URL, MQTT_CREDENTIALS, MQTT_CA_FILE and STORE_CONFIG overriding the file; validated in one place.
// An invalid config fails at start with the path and the reason.
import { readFileSync } from 'node:fs';
import { type Static, Type } from 'typebox';
import {
  type BrokerCredentials,
  DEMO_PASSWORD_PREFIX,
  readCredentialsFile,
} from '../../shared/broker/broker-credentials.ts';
import { isProduction } from '../../shared/production-mode.ts';
import { loadStoreConfig, type StoreConfig } from '../../shared/store-config.ts';
import { compileValidator } from '../../shared/validator.ts';
import { sourceKind } from './ffmpeg-command.ts';

export const BridgedCameraSchema = Type.Object(
  {
    /** The camera's id in the store config (also its broker username). */
    camera: Type.String({ minLength: 1, maxLength: 64 }),
    /** rtsp://…, http(s)://… (an MJPEG stream) or a video file path. */
    source: Type.String({ minLength: 1, maxLength: 2048 }),
    /** Frames per second sent to the edge (the camera may send more; ffmpeg drops the rest). */
    fps: Type.Number({ minimum: 0.5, maximum: 30, default: 10 }),
    /** RTSP only: the camera pushes its stream to `source` (the bridge listens there). */
    listen: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const BridgeConfigSchema = Type.Object(
  {
    storeConfig: Type.String({ minLength: 1 }),
    mqttUrl: Type.String({ pattern: '^mqtts?://' }),
    /** The credentials file `npm run broker:config` wrote (each camera's login is its id's entry). */
    mqttCredentials: Type.Optional(Type.String({ minLength: 1 })),
    mqttCaFile: Type.Optional(Type.String({ minLength: 1 })),
    cameras: Type.Array(BridgedCameraSchema, { minItems: 1, maxItems: 64 }),
  },
  { additionalProperties: false },
);

export type BridgedCamera = Static<typeof BridgedCameraSchema>;
export type BridgeConfigFile = Static<typeof BridgeConfigSchema>;

/** The checked configuration, with what it refers to loaded. */
export interface BridgeConfig extends BridgeConfigFile {
  store: StoreConfig;
  credentials: BrokerCredentials | undefined;
  ca: string | undefined;
}

export class BridgeConfigError extends Error {
  readonly code = 'INVALID_BRIDGE_CONFIG';
}

const validator = compileValidator(BridgeConfigSchema);

/** What the command line says: a config file, or one camera. */
export interface BridgeArgs {
  configPath?: string;
  camera?: string;
  source?: string;
  fps?: number;
  listen?: boolean;
}

export function parseBridgeArgs(argv: readonly string[]): BridgeArgs {
  const args: BridgeArgs = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new BridgeConfigError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--config') args.configPath = value();
    else if (flag === '--camera') args.camera = value();
    else if (flag === '--source') args.source = value();
    else if (flag === '--fps') args.fps = Number(value());
    else if (flag === '--listen') args.listen = true;
    else
      throw new BridgeConfigError(
        `unknown argument ${flag}: use --camera ID --source URL [--fps N] [--listen], or --config FILE`,
      );
  }
  return args;
}

/** Reads the file or the one-camera arguments, applies the environment, validates. */
export function loadBridgeConfig(args: BridgeArgs, env: NodeJS.ProcessEnv): BridgeConfig {
  const where = args.configPath ?? 'the command line';
  const raw = args.configPath === undefined ? fromArgs(args) : readJson(args.configPath);
  const withEnv = {
    storeConfig: 'stores/sample-store.json',
    mqttUrl: 'mqtt://127.0.0.1:1883',
    ...raw,
    ...(env.STORE_CONFIG === undefined ? {} : { storeConfig: env.STORE_CONFIG }),
    ...(env.MQTT_URL === undefined ? {} : { mqttUrl: env.MQTT_URL }),
    ...(env.MQTT_CREDENTIALS === undefined ? {} : { mqttCredentials: env.MQTT_CREDENTIALS }),
    ...(env.MQTT_CA_FILE === undefined ? {} : { mqttCaFile: env.MQTT_CA_FILE }),
  };
  const checked = validator.check(withDefaultFps(withEnv));
  if (!checked.ok)
    throw new BridgeConfigError(`invalid camera bridge config (${where}):\n  ${checked.errors.join('\n  ')}`);
  return resolveConfig(checked.value, where, env);
}

function fromArgs(args: BridgeArgs): Record<string, unknown> {
  if (args.camera === undefined || args.source === undefined)
    throw new BridgeConfigError(
      'say what to bridge: --camera ID --source rtsp://…|http://…|file.mp4 [--fps N], or --config FILE',
    );
  return {
    cameras: [
      {
        camera: args.camera,
        source: args.source,
        ...(args.fps === undefined ? {} : { fps: args.fps }),
        ...(args.listen === undefined ? {} : { listen: args.listen }),
      },
    ],
  };
}

function readJson(path: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (err) {
    throw new BridgeConfigError(`cannot read camera bridge config ${path}: ${(err as Error).message}`);
  }
}

function withDefaultFps(raw: Record<string, unknown>): Record<string, unknown> {
  const cameras = raw.cameras;
  if (!Array.isArray(cameras)) return raw;
  return {
    ...raw,
    cameras: cameras.map((c: unknown) =>
      typeof c === 'object' && c !== null && !('fps' in c) ? { ...c, fps: 10 } : c,
    ),
  };
}

/** Checks what the schema cannot: the cameras exist, sources parse, logins exist (and are real in production). */
function resolveConfig(file: BridgeConfigFile, where: string, env: NodeJS.ProcessEnv): BridgeConfig {
  const store = loadStoreConfig(file.storeConfig);
  const credentials =
    file.mqttCredentials === undefined ? undefined : readCredentialsFile(file.mqttCredentials);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, c] of file.cameras.entries()) {
    const at = `/cameras/${i}`;
    if (!store.cameras.some((s) => s.id === c.camera))
      problems.push(
        `${at}/camera: ${c.camera} is not a camera of store ${store.storeId} (${file.storeConfig})`,
      );
    if (seen.has(c.camera)) problems.push(`${at}/camera: ${c.camera} is bridged twice`);
    seen.add(c.camera);
    try {
      const kind = sourceKind(c.source);
      if (c.listen === true && kind !== 'rtsp')
        problems.push(`${at}/listen: only an rtsp:// source can listen`);
    } catch (err) {
      problems.push(`${at}/source: ${(err as Error).message}`);
    }
    const password = credentials?.logins[c.camera];
    if (credentials !== undefined && password === undefined)
      problems.push(`${at}/camera: ${file.mqttCredentials} has no broker login for ${c.camera}`);
    if (isProduction(env) && (password === undefined || password.startsWith(DEMO_PASSWORD_PREFIX)))
      problems.push(
        `${at}/camera: production needs ${c.camera}'s own broker login: set MQTT_CREDENTIALS to the file \`npm run broker:config\` wrote`,
      );
  }
  if (problems.length > 0)
    throw new BridgeConfigError(`invalid camera bridge config (${where}):\n  ${problems.join('\n  ')}`);
  const ca = file.mqttCaFile === undefined ? undefined : readFileSync(file.mqttCaFile, 'utf8');
  return { ...file, store, credentials, ca };
}
