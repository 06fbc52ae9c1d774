// CLI entry of the cloud service: reads its settings from the environment (DATABASE_URL, DATABASE_SCHEMA,
// PORT, STORE_CONFIG, STAFF_EMAIL, ONLINE_SHOP_CREDENTIAL, … see the README), validates them, listens, stops
// on SIGINT/SIGTERM.
import { pino } from 'pino';
import { ProductionModeError } from '../shared/production-mode.ts';
import { loadStoreConfig, StoreConfigError } from '../shared/store-config.ts';
import { parseTrustProxy } from '../shared/trust-proxy.ts';
import { cloudProductionProblems, DEV_STORE_CREDENTIAL as DEV_CREDENTIAL } from './production-checks.ts';
import { createCloud, DEFAULT_AUTO_REFUND_BELOW_CENTS } from './server.ts';

function parseCount(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`${name}=${JSON.stringify(value)} is not a whole number`);
  return count;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 8080;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT=${JSON.stringify(value)} is not a port number (0-65535)`);
  }
  return port;
}

async function main(): Promise<void> {
  const production = process.env.NODE_ENV === 'production';
  const loggerOptions = {
    level: process.env.LOG_LEVEL ?? 'info',
    ...(production || !process.stdout.isTTY ? {} : { transport: { target: 'pino-pretty' } }),
  };
  const log = pino(loggerOptions).child({ component: 'cloud-main' });
  try {
    const problems = production ? cloudProductionProblems(process.env) : [];
    if (problems.length > 0) throw new ProductionModeError(problems);
    const port = parsePort(process.env.PORT);
    const host = process.env.HOST ?? '127.0.0.1';
    const storeConfigPath = process.env.STORE_CONFIG ?? 'stores/sample-store.json';
    const config = loadStoreConfig(storeConfigPath);
    let credential = process.env.STORE_CREDENTIAL;
    if (credential === undefined || credential === '') {
      if (production) throw new Error('STORE_CREDENTIAL must be set in production');
      log.warn(
        `STORE_CREDENTIAL not set: store ${config.storeId} accepts the development credential "${DEV_CREDENTIAL}"`,
      );
      credential = DEV_CREDENTIAL;
    }
    const databaseUrl = process.env.DATABASE_URL;
    if (databaseUrl === undefined || databaseUrl === '') {
      log.warn('DATABASE_URL not set: using an in-memory PGlite database, lost on exit');
    }
    // one PostgreSQL schema per store test run (npm run faults): validated by the adapter
    const databaseSchema = process.env.DATABASE_SCHEMA === '' ? undefined : process.env.DATABASE_SCHEMA;
    const staffEmail = process.env.STAFF_EMAIL;
    const staffPassword = process.env.STAFF_PASSWORD;
    const shopCredential = process.env.ONLINE_SHOP_CREDENTIAL;
    const cloud = await createCloud({
      databaseUrl,
      ...(databaseSchema === undefined ? {} : { postgresSchema: databaseSchema }),
      stores: [{ config, credential }],
      staff:
        staffEmail && staffPassword ? [{ email: staffEmail, password: staffPassword, name: 'Staff' }] : [],
      onlineShops: shopCredential ? [{ shopId: 'online-shop', credential: shopCredential }] : [],
      autoRefundBelowCents: parseCount('AUTO_REFUND_BELOW_CENTS', DEFAULT_AUTO_REFUND_BELOW_CENTS),
      pointsRule: { pointsPerUnit: parseCount('POINTS_PER_UNIT', 1) },
      rateLimit: { scale: parseCount('RATE_LIMIT_SCALE', 1) },
      logger: loggerOptions,
      processMetrics: true,
      trustProxy: parseTrustProxy(process.env.TRUST_PROXY),
      // Development only (production refuses it): bill uploads from edges that predate entryTokenIds.
      visitsWithoutEntryToken:
        process.env.VISITS_WITHOUT_ENTRY_TOKEN === 'allow' ? 'allow-missing' : 'require',
    });
    const url = await cloud.start(port, host);
    log.info(
      { url, docs: `${url}/docs`, store: config.storeId },
      `cloud listening on ${url} (shopper app at ${url}/app/, API docs at ${url}/docs)`,
    );
    const shutdown = (signal: string) => {
      log.info({ signal }, 'stopping');
      cloud.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'stop failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (err) {
    if (err instanceof StoreConfigError)
      log.error({ source: err.source, problems: err.problems }, err.message);
    else log.error({ err }, 'cloud failed to start');
    process.exitCode = 1;
  }
}

await main();
