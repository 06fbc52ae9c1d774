// The MQTT broker a fault run owns, so it can stop and restart it without touching the machine's shared one:
// Mosquitto (its own process on a free port, from the files `npm run broker:config` writes: the store's
// logins, ACL and limits, plus persistence so sessions survive its restart), or embedded aedes with the same
// policy when no mosquitto binary is installed, or a given URL (an open broker the run may not restart).
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { type BrokerCredentials, hashCredentials } from '../../shared/broker/broker-credentials.ts';
import { brokerPolicy } from '../../shared/broker/broker-policy.ts';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../shared/broker/embedded-broker.ts';
import { writeBrokerFiles } from '../../shared/broker/write-broker-files.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import { accepts, freePort, MOSQUITTO_BINARY } from '../harness/local-ports.ts';

export interface FaultBroker {
  kind: 'mosquitto' | 'aedes' | 'external';
  url: string;
  /** Logins of every device and process; undefined on an external (open) broker. */
  credentials: BrokerCredentials | undefined;
  /** credentials.json for the edge and the simulator (undefined on an external broker). */
  credentialsFile: string | undefined;
  /** The edge's gate-command key pair files (undefined on an external broker: the edge makes its own). */
  gateCommandKeyFile: string | undefined;
  gateCommandPublicKeyFile: string | undefined;
  /** Whether the run may stop and restart it (not someone else's broker). */
  restartable: boolean;
  /** Stops it, as a crash or a maintenance restart would (clients see the connection drop). */
  halt(): Promise<void>;
  /** Starts it again on the same port with the same logins (and, for Mosquitto, its persisted sessions). */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts the run's broker in `dir`: Mosquitto when installed, else aedes; `externalUrl` uses that one. */
export async function startFaultBroker(
  store: StoreConfig,
  dir: string,
  externalUrl?: string,
): Promise<FaultBroker> {
  if (externalUrl !== undefined) return externalBroker(externalUrl);
  const port = await freePort();
  const files = writeBrokerFiles(store, dir, {
    plain: { port, bind: '127.0.0.1' },
    // the run's files are its user's: Mosquitto must not drop to its own user and lose them
    runAs: userInfo().username,
    purpose: 'demo',
  });
  const common = {
    url: `mqtt://127.0.0.1:${port}`,
    credentials: files.logins,
    credentialsFile: files.credentials,
    gateCommandKeyFile: files.gateCommandKey,
    gateCommandPublicKeyFile: files.gateCommandPublicKey,
    restartable: true,
  };
  if (MOSQUITTO_BINARY !== undefined) {
    const { halt, launch } = await startMosquitto(MOSQUITTO_BINARY, files.conf, dir, port);
    return { ...common, kind: 'mosquitto', halt, resume: launch, stop: halt };
  }
  const security = { policy: brokerPolicy(store), hashes: hashCredentials(files.logins) };
  let broker: EmbeddedBroker | undefined = await startEmbeddedBroker({ port, security });
  const halt = async () => {
    const running = broker;
    broker = undefined;
    await running?.stop();
  };
  return {
    ...common,
    kind: 'aedes',
    halt,
    resume: async () => {
      broker ??= await startEmbeddedBroker({ port, security });
    },
    stop: halt,
  };
}

/** A broker the run was given: used as it is, never stopped. */
function externalBroker(externalUrl: string): FaultBroker {
  const nothing = async () => {};
  return {
    kind: 'external',
    url: externalUrl,
    credentials: undefined,
    credentialsFile: undefined,
    gateCommandKeyFile: undefined,
    gateCommandPublicKeyFile: undefined,
    restartable: false,
    halt: async () => {
      throw new Error(`the broker at ${externalUrl} is not the run's own: it cannot be stopped`);
    },
    resume: nothing,
    stop: nothing,
  };
}

/** Mosquitto on `conf`, with persistence in `dir`; `launch` starts it (again), `halt` stops it (SIGTERM). */
async function startMosquitto(
  binary: string,
  conf: string,
  dir: string,
  port: number,
): Promise<{ launch: () => Promise<void>; halt: () => Promise<void> }> {
  // persistent sessions and their queued QoS 1 messages survive a broker restart, as in a store
  appendFileSync(
    conf,
    ['', 'persistence true', `persistence_location ${join(dir, '')}`, 'autosave_interval 1', ''].join('\n'),
  );
  const logPath = join(dir, 'mosquitto.log');
  let child: ChildProcess | undefined;
  const launch = async () => {
    const started = spawn(binary, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    started.stderr?.on('data', (d: Buffer) => appendFileSync(logPath, d));
    child = started;
    let exited = false;
    started.once('exit', () => {
      exited = true;
    });
    await until(`mosquitto on port ${port}`, async () => {
      if (exited) throw new Error(`mosquitto exited at start; see ${logPath}`);
      return accepts(port);
    });
  };
  const halt = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    await gone;
  };
  await launch();
  return { launch, halt };
}
