// Edge configuration: read once from the environment, validated, with errors that say what to set.
import { type Static, Type } from 'typebox';
import { compileValidator } from '../shared/validator.ts';

export const EdgeConfigSchema = Type.Object({
  storeConfigPath: Type.String({ minLength: 1 }),
  mqttUrl: Type.String({ pattern: '^mqtts?://' }),
  cloudUrl: Type.String({ pattern: '^https?://' }),
  storeCredential: Type.String({ minLength: 8 }),
  dbPath: Type.String({ minLength: 1 }),
  httpPort: Type.Integer({ minimum: 0, maximum: 65535 }),
  entryTokenPublicKeyPem: Type.Optional(Type.String({ pattern: 'BEGIN PUBLIC KEY' })),
  /** Floor-view staff: name:viewer|supervisor:password, comma-separated. */
  floorStaff: Type.String(),
  httpHost: Type.String({ minLength: 1 }),
});

export type EdgeConfig = Static<typeof EdgeConfigSchema>;

const validator = compileValidator(EdgeConfigSchema);

const envNames: Record<keyof EdgeConfig, string> = {
  storeConfigPath: 'STORE_CONFIG',
  mqttUrl: 'MQTT_URL',
  cloudUrl: 'CLOUD_URL',
  storeCredential: 'STORE_CREDENTIAL',
  dbPath: 'EDGE_DB',
  httpPort: 'EDGE_HTTP_PORT',
  entryTokenPublicKeyPem: 'ENTRY_TOKEN_PUBLIC_KEY',
  floorStaff: 'FLOOR_STAFF',
  httpHost: 'EDGE_HTTP_HOST',
};

/** Demo staff for a laptop; a store sets FLOOR_STAFF. */
export const DEMO_FLOOR_STAFF = 'manager:supervisor:walkout-demo,staff:viewer:walkout-view';

export class EdgeConfigError extends Error {
  readonly code = 'INVALID_EDGE_CONFIG';
}

export function loadEdgeConfig(env: NodeJS.ProcessEnv): EdgeConfig {
  const config = {
    storeConfigPath: env.STORE_CONFIG ?? 'stores/sample-store.json',
    mqttUrl: env.MQTT_URL ?? 'mqtt://127.0.0.1:1883',
    cloudUrl: env.CLOUD_URL ?? 'http://127.0.0.1:8080',
    storeCredential: env.STORE_CREDENTIAL ?? 'dev-store-credential',
    dbPath: env.EDGE_DB ?? 'var/edge.sqlite',
    httpPort: Number(env.EDGE_HTTP_PORT ?? 8090),
    httpHost: env.EDGE_HTTP_HOST ?? '127.0.0.1',
    floorStaff: env.FLOOR_STAFF ?? DEMO_FLOOR_STAFF,
    ...(env.ENTRY_TOKEN_PUBLIC_KEY ? { entryTokenPublicKeyPem: env.ENTRY_TOKEN_PUBLIC_KEY } : {}),
  };
  const checked = validator.check(config);
  if (checked.ok) return checked.value;
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
