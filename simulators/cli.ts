// Command line of the simulator: plays a scenario file against a broker and the cloud, prints progress,
// writes the ground truth. Usage: npx tsx simulators/cli.ts <scenario.json> [--mqtt …] [--cloud …] …

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import {
  authFrom,
  BrokerCredentialsError,
  readCredentialsFile,
} from '../shared/broker/broker-credentials.ts';
import { StoreConfigError } from '../shared/store-config.ts';
import { CloudAppClient, CloudUnreachableError } from './app/cloud-app-client.ts';
import { BrokerUnreachableError } from './devices/device-connection.ts';
import { type GroundTruth, writeGroundTruth } from './scenario/ground-truth.ts';
import { loadScenario, ScenarioError } from './scenario/scenario-loader.ts';
import { Simulator } from './scenario/simulator.ts';

const USAGE = `usage: npx tsx simulators/cli.ts <scenario.json> [options]
  --mqtt <url>     MQTT broker (default $MQTT_URL or mqtt://127.0.0.1:1883)
  --credentials <file>  broker credentials.json (npm run broker:config): each device connects with its own
                   login (default $MQTT_CREDENTIALS; none: anonymous, for an open broker)
  --ca <file>      CA certificate of the broker, for mqtts:// (default $MQTT_CA_FILE)
  --gate-key <file>  the edge's gate-command public key (gate-command-key.pub.pem): gates open only for
                   commands it signed (default $GATE_COMMAND_PUBLIC_KEY_FILE; none: any command)
  --cloud <url>    cloud API (default $CLOUD_URL or http://127.0.0.1:8080)
  --speed <n>      scenario seconds per wall second (default 1)
  --settle <s>     seconds the load cells keep streaming after the last action (default 3)
  --truth <file>   write the ground truth JSON there (after every pass with --loop)
  --loop           play the scenario again and again until Ctrl-C (fresh shoppers each pass)`;

class UsageError extends Error {}

const parseOptions = (argv: string[]) =>
  parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mqtt: { type: 'string' },
      credentials: { type: 'string' },
      ca: { type: 'string' },
      'gate-key': { type: 'string' },
      cloud: { type: 'string' },
      speed: { type: 'string' },
      settle: { type: 'string' },
      truth: { type: 'string' },
      loop: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });

function parseCli(argv: string[]) {
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(argv);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  const [scenarioPath, ...extra] = positionals;
  if (scenarioPath === undefined) throw new UsageError('missing the scenario file');
  if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  const number = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min)
      throw new UsageError(`--${name} must be a number ≥ ${min}, got ${raw}`);
    return value;
  };
  return {
    scenarioPath,
    mqttUrl: values.mqtt ?? process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883',
    cloudUrl: values.cloud ?? process.env.CLOUD_URL ?? 'http://127.0.0.1:8080',
    credentialsPath: values.credentials ?? process.env.MQTT_CREDENTIALS,
    caPath: values.ca ?? process.env.MQTT_CA_FILE,
    gateKeyPath: values['gate-key'] ?? process.env.GATE_COMMAND_PUBLIC_KEY_FILE,
    speed: number('speed', values.speed, 1, 0.01),
    settleS: number('settle', values.settle, 3, 0),
    truthPath: values.truth,
    loop: values.loop,
  };
}

function summarise(truth: GroundTruth): string[] {
  return truth.shoppers.map((s) => {
    const lines = s.expectedLines.map((l) => `${l.quantity} × ${l.sku}`).join(', ') || 'nothing';
    const entry = s.entryResult === 'open' ? 'entered' : `denied entry (${s.denyReason ?? 'no reason'})`;
    return `  ${s.id}: ${entry}, ${s.exitedAt === null ? 'did not exit' : 'exited'}, receipt must say: ${lines}`;
  });
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  const { scenario, store } = loadScenario(cli.scenarioPath);
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'warn' }, pino.destination(2));
  const simulator = new Simulator({
    scenario,
    store,
    mqttUrl: cli.mqttUrl,
    auth: authFrom(
      cli.credentialsPath === undefined ? undefined : readCredentialsFile(cli.credentialsPath),
      cli.caPath === undefined ? undefined : readFileSync(cli.caPath, 'utf8'),
    ),
    gateCommandKeyPem: cli.gateKeyPath === undefined ? undefined : readFileSync(cli.gateKeyPath, 'utf8'),
    app: new CloudAppClient(cli.cloudUrl),
    speed: cli.speed,
    // a store's devices: stable client ids, persistent sessions, batches stored and forwarded through an outage
    persistentSessions: true,
    logger,
    onEvent: (line) => console.log(line),
  });
  let stopping = false;
  const onSignal = () => {
    stopping = true;
    console.log('stopping…');
    void simulator.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await simulator.start();
    console.log(
      `devices online on ${cli.mqttUrl}: ${store.shelves.length} shelf controllers, ${store.gates.length} gates`,
    );
    do {
      const played = await simulator.play();
      await simulator.idle(cli.settleS);
      const truth = { ...played, endedAt: simulator.now() };
      console.log(`scenario ${scenario.name} done:`);
      for (const line of summarise(truth)) console.log(line);
      if (cli.truthPath !== undefined) {
        writeGroundTruth(cli.truthPath, truth);
        console.log(`ground truth written to ${cli.truthPath}`);
      }
    } while (cli.loop && !stopping);
    return 0;
  } catch (err) {
    if (stopping) return 130;
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const shelves = simulator.shelfStats();
    await simulator.stop();
    if (shelves !== undefined)
      console.log(
        `shelf controllers: ${shelves.publishedBatches} batches published, ${shelves.forwardedBatches} stored and forwarded after a broker outage, ${shelves.droppedBatches} dropped from a full backlog`,
      );
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      if (err.message !== '') console.error(`error: ${err.message}`);
      console.error(USAGE);
      process.exitCode = 2;
    } else if (
      err instanceof ScenarioError ||
      err instanceof StoreConfigError ||
      err instanceof BrokerCredentialsError
    ) {
      console.error(err.message);
      process.exitCode = 2;
    } else if (err instanceof BrokerUnreachableError) {
      console.error(`${err.message}: start Mosquitto (or npm run demo) or pass --mqtt`);
      process.exitCode = 1;
    } else if (err instanceof CloudUnreachableError) {
      console.error(err.message);
      process.exitCode = 1;
    } else {
      console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      process.exitCode = 1;
    }
  },
);
