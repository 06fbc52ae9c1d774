// A Mosquitto of the test's own, started from the files `npm run broker:config` writes (never the machine's
// shared one on 1883), on free ports; stopped by its pid.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { accepts, freePort, MOSQUITTO_BINARY } from '../../evaluation/harness/local-ports.ts';
import type { BrokerCredentials } from '../../shared/broker/broker-credentials.ts';
import { type BrokerFilesOptions, writeBrokerFiles } from '../../shared/broker/write-broker-files.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import { waitFor } from './services.ts';

/** Undefined when it runs; why it cannot (CI requires it). */
export function mosquittoSkipReason(): string | undefined {
  if (MOSQUITTO_BINARY !== undefined) return undefined;
  if (process.env.WALKOUT_REQUIRE_SERVICES === '1')
    throw new Error('mosquitto binary not found but WALKOUT_REQUIRE_SERVICES=1: install mosquitto');
  console.warn('[walkout tests] secured Mosquitto suite skipped: no mosquitto binary');
  return 'no mosquitto binary';
}

export interface TestMosquitto {
  url: string;
  /** mqtts:// URL when started with TLS. */
  tlsUrl: string | undefined;
  credentials: BrokerCredentials;
  log: () => string;
  stop(): Promise<void>;
}

export async function startTestMosquitto(
  store: StoreConfig,
  tls?: Omit<NonNullable<BrokerFilesOptions['tls']>, 'port'>,
): Promise<TestMosquitto> {
  if (MOSQUITTO_BINARY === undefined) throw new Error('no mosquitto binary');
  const dir = mkdtempSync(join(tmpdir(), 'walkout-mosquitto-'));
  const port = await freePort();
  const tlsPort = tls === undefined ? undefined : await freePort();
  const files = writeBrokerFiles(store, dir, {
    plain: { port, bind: '127.0.0.1' },
    ...(tls === undefined || tlsPort === undefined ? {} : { tls: { ...tls, port: tlsPort } }),
    // the test's files are the test user's: Mosquitto must not drop to its own user and lose them
    runAs: userInfo().username,
    purpose: 'demo',
  });
  let output = '';
  const child: ChildProcess = spawn(MOSQUITTO_BINARY, ['-c', files.conf], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  try {
    await waitFor(`mosquitto on ${port}`, async () => {
      if (exited) throw new Error(`mosquitto exited:\n${output}`);
      return (await accepts(port)) && (tlsPort === undefined || (await accepts(tlsPort))) ? true : undefined;
    });
  } catch (err) {
    child.kill('SIGTERM');
    throw err;
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    tlsUrl: tlsPort === undefined ? undefined : `mqtts://127.0.0.1:${tlsPort}`,
    credentials: files.logins,
    log: () => output,
    async stop() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await gone;
    },
  };
}
