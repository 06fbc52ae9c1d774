// `npm run vision-worker -- --username vision-worker-2 [options]`: one vision worker process on the store's
// broker (Mosquitto: shared subscriptions). Run as many as the cameras need, on this box or others; each logs in
// with its own credential from `npm run broker:config`. Graceful stop on SIGINT/SIGTERM. docs/vision.md.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pino from 'pino';
import {
  DEMO_PASSWORD_PREFIX,
  type MqttAuth,
  readCredentialsFile,
} from '../shared/broker/broker-credentials.ts';
import { isProduction, ProductionModeError } from '../shared/production-mode.ts';
import { loadStoreConfig } from '../shared/store-config.ts';
import { BrokerVisionWorker, DEFAULT_WORKER_GROUP } from './vision/broker-vision-worker.ts';
import { loadVisionConfig } from './vision/vision-config.ts';

const USAGE = `usage: npm run vision-worker -- --username <vision-worker-n> [options]
  --username <name>     this worker's broker login (vision-worker-1…n from npm run broker:config)
  --credentials <file>  credentials.json from npm run broker:config (or MQTT_CREDENTIALS; or MQTT_PASSWORD)
  --url <url>           the store's broker (default MQTT_URL or mqtt://127.0.0.1:1883; mqtts:// with --ca)
  --ca <file>           CA certificate of the broker (mqtts://; or MQTT_CA_FILE)
  --store <file>        store config (default STORE_CONFIG or stores/sample-store.json)
  --group <name>        shared-subscription group (default ${DEFAULT_WORKER_GROUP}; the edge needs no setting)
Models and their tuning come from the VISION_* variables the edge reads (docs/vision.md).`;

const logger = pino({ name: 'walkout-vision-worker' });

function auth(username: string, credentials: string | undefined, ca: string | undefined): MqttAuth {
  const password =
    process.env.MQTT_PASSWORD ??
    (credentials === undefined ? undefined : readCredentialsFile(credentials).logins[username]);
  if (password === undefined)
    throw new Error(
      credentials === undefined
        ? 'no broker password: pass --credentials <credentials.json> (npm run broker:config) or set MQTT_PASSWORD'
        : `${credentials} has no login for ${username}: run npm run broker:config -- --vision-workers <n> with n large enough, and reload Mosquitto`,
    );
  if (isProduction() && password.startsWith(DEMO_PASSWORD_PREFIX))
    throw new ProductionModeError([`the password of ${username} is a demo credential`]);
  return { login: { username, password }, ...(ca === undefined ? {} : { ca: readFileSync(ca, 'utf8') }) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      credentials: { type: 'string' },
      url: { type: 'string' },
      ca: { type: 'string' },
      store: { type: 'string' },
      group: { type: 'string', default: DEFAULT_WORKER_GROUP },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || values.username === undefined) {
    console.error(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const username = values.username;
  const store = loadStoreConfig(values.store ?? process.env.STORE_CONFIG ?? 'stores/sample-store.json');
  const config = loadVisionConfig({ ...process.env, VISION: 'on' });
  if (config === undefined) throw new Error('vision config missing');
  const url = values.url ?? process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883';
  const worker = new BrokerVisionWorker({
    store,
    config,
    mqttUrl: url,
    username,
    auth: auth(
      username,
      values.credentials ?? process.env.MQTT_CREDENTIALS,
      values.ca ?? process.env.MQTT_CA_FILE,
    ),
    group: values.group,
    logger,
  });
  await worker.start();
  logger.info({ url, group: values.group, cameras: store.cameras.length }, `${username} taking frames`);
  // progress: what this worker did in the last 10 s
  let last = worker.stats;
  const progress = setInterval(() => {
    const now = worker.stats;
    logger.info(
      {
        framesPerSec: (now.processed - last.processed) / 10,
        dropped: now.dropped - last.dropped,
        rejected: now.rejected - last.rejected,
      },
      'vision worker progress',
    );
    last = now;
  }, 10_000);
  const shutdown = async (signal: string) => {
    logger.info(`${signal}: leaving the group and stopping`);
    clearInterval(progress);
    await worker.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  logger.fatal(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
