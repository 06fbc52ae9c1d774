// Runs the store edge as a process: config from the environment, graceful stop on SIGINT/SIGTERM.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import pino from 'pino';
import { coverageWarnings, laneCoverage } from '../shared/lane-coverage.ts';
import { loadStoreConfig } from '../shared/store-config.ts';
import { Edge } from './edge-app.ts';
import {
  edgeGateCommandKey,
  edgeLifetimes,
  edgeMqttAuth,
  fetchEntryTokenKey,
  loadEdgeConfig,
} from './edge-config.ts';
import { STORE_STALE_ENTRY_SCAN_MS } from './gate/gate-controller.ts';
import { STORE_DEVICE_TIME_WINDOW } from './mqtt/device-time-window.ts';
import { loadVisionConfig } from './vision/vision-config.ts';

const logger = pino({ name: 'walkout-edge' });

async function main(): Promise<void> {
  const config = loadEdgeConfig(process.env);
  if (config.mqttUsername === undefined)
    logger.warn('no broker login (MQTT_CREDENTIALS or MQTT_USERNAME/MQTT_PASSWORD): connecting anonymously');
  if (process.env.FLOOR_STAFF === undefined)
    logger.warn('FLOOR_STAFF not set: using the demo staff accounts (see README)');
  const store = loadStoreConfig(config.storeConfigPath);
  // a lane one camera sees loses its picks to staff while that camera is dark: say so once, at start
  for (const warning of coverageWarnings(laneCoverage(store)))
    logger.warn(
      { code: warning.code, lanes: warning.lanes.length },
      `${warning.message} (npm run store:check -- ${config.storeConfigPath} lists every lane)`,
    );
  if (config.dbPath !== ':memory:') mkdirSync(dirname(config.dbPath), { recursive: true });
  const publicKey =
    config.entryTokenPublicKeyPem ??
    (await fetchEntryTokenKey(config.cloudUrl, 30, (e) =>
      logger.warn(`waiting for the cloud at ${config.cloudUrl}: ${e}`),
    ));
  const edge = new Edge({
    ...config,
    mqttAuth: edgeMqttAuth(config),
    gateCommandKey: edgeGateCommandKey(config),
    deviceTimeWindow: STORE_DEVICE_TIME_WINDOW,
    ...edgeLifetimes(config),
    staleEntryScanMs: STORE_STALE_ENTRY_SCAN_MS,
    store,
    entryTokenPublicKeyPem: publicKey,
    logger,
    vision: loadVisionConfig(process.env),
    processMetrics: true,
  });
  if (config.gateCommandKeyFile === undefined)
    logger.warn(
      { publicKeyPem: edge.gateCommandPublicKeyPem },
      'GATE_COMMAND_KEY_FILE not set: signing gate commands with a fresh key the gates do not know',
    );
  await edge.start();
  logger.info(
    `edge for ${store.storeId} running; health at ${edge.httpUrl}/health, metrics at ${edge.httpUrl}/metrics`,
  );
  const shutdown = async (signal: string) => {
    logger.info(`${signal}: stopping edge`);
    await edge.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  logger.fatal(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
