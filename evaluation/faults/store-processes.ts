// One store as separate OS processes, as it runs for real: the cloud (cloud/main.ts), the edge (edge/main.ts)
// and the simulated devices and shoppers (simulators/cli.ts), each with its own broker login, wired by
// environment and flags exactly as an operator would start them. Restart keeps each part's port and data.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../harness/local-ports.ts';
import { type SwitchableLink, startSwitchableLink } from '../harness/switchable-link.ts';
import { ChildService } from './child-service.ts';
import type { FaultBroker } from './fault-broker.ts';

export interface StoreProcessesOptions {
  /** Where logs, the edge database and the ground truth go. */
  dir: string;
  storeConfigPath: string;
  broker: FaultBroker;
  /** DATABASE_URL (and DATABASE_SCHEMA) of the cloud. */
  cloudDatabaseEnv: Record<string, string>;
  /** Edge settings in its environment, e.g. nothing, or a longer settle. */
  edgeEnv?: Record<string, string>;
  /**
   * A file whose number (ms) steps the wall clock of the cloud and the edge (clock-step.ts): a case makes an
   * hour pass in a moment. Unset: real clocks.
   */
  clockStepFile?: string;
  /**
   * Put a link the case can cut between the edge and the cloud (the store's uplink); the simulated phones
   * still reach the cloud directly, over their own network.
   */
  cloudLink?: boolean;
}

export interface SimulatorRun {
  service: ChildService;
  truthPath: string;
}

const READY_TIMEOUT_MS = 60_000;
/** The clock-step preload, by absolute path (the children run from the repository root). */
const CLOCK_STEP_MODULE = fileURLToPath(new URL('./clock-step.ts', import.meta.url));

/** A fresh store credential, as the cloud's operator would issue one (long and random). */
export function newStoreCredential(): string {
  return `store-faults-${randomBytes(16).toString('hex')}`;
}

async function untilHealthy(url: string, service: ChildService): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (!service.running) throw new Error(`${service.name} exited while starting:\n${service.lastLines()}`);
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(
        `${service.name} not healthy at ${url} within ${READY_TIMEOUT_MS} ms:\n${service.lastLines()}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export class StoreProcesses {
  readonly cloud: ChildService;
  readonly edge: ChildService;
  readonly cloudUrl: string;
  readonly edgeUrl: string;
  readonly edgeDbPath: string;
  private simulators: ChildService[] = [];
  /** The store credential both sides were started with (a case rotates it). */
  readonly credential: string;

  private constructor(
    private readonly options: StoreProcessesOptions,
    cloudPort: number,
    edgePort: number,
    /** The store's uplink, when the case cuts it. */
    readonly uplink: SwitchableLink | undefined,
  ) {
    const { dir, storeConfigPath, broker } = options;
    const credential = newStoreCredential();
    this.credential = credential;
    this.cloudUrl = `http://127.0.0.1:${cloudPort}`;
    this.edgeUrl = `http://127.0.0.1:${edgePort}`;
    this.edgeDbPath = join(dir, 'edge.sqlite');
    const base: NodeJS.ProcessEnv = {
      ...process.env,
      STORE_CONFIG: storeConfigPath,
      STORE_CREDENTIAL: credential,
      ...(options.clockStepFile === undefined ? {} : { WALKOUT_CLOCK_STEP_FILE: options.clockStepFile }),
    };
    const preload = options.clockStepFile === undefined ? [] : [CLOCK_STEP_MODULE];
    // a development run: the generated demo broker logins and the demo floor staff are refused in production
    delete base.NODE_ENV;
    this.cloud = new ChildService({
      name: 'cloud',
      entry: 'cloud/main.ts',
      logPath: join(dir, 'cloud.log'),
      preload,
      env: {
        ...base,
        ...options.cloudDatabaseEnv,
        PORT: String(cloudPort),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
        // every simulated shopper signs in from loopback: a store's worth of them is not an attack
        RATE_LIMIT_SCALE: '100',
      },
    });
    this.edge = new ChildService({
      name: 'edge',
      entry: 'edge/main.ts',
      logPath: join(dir, 'edge.log'),
      preload,
      env: {
        ...base,
        MQTT_URL: broker.url,
        ...(broker.credentialsFile === undefined ? {} : { MQTT_CREDENTIALS: broker.credentialsFile }),
        ...(broker.gateCommandKeyFile === undefined
          ? {}
          : { GATE_COMMAND_KEY_FILE: broker.gateCommandKeyFile }),
        CLOUD_URL: uplink?.url ?? this.cloudUrl,
        EDGE_DB: this.edgeDbPath,
        EDGE_HTTP_PORT: String(edgePort),
        LOG_LEVEL: 'info',
        ...options.edgeEnv,
      },
    });
  }

  static async create(options: StoreProcessesOptions): Promise<StoreProcesses> {
    const cloudPort = await freePort();
    const uplink =
      options.cloudLink === true ? await startSwitchableLink(`http://127.0.0.1:${cloudPort}`) : undefined;
    return new StoreProcesses(options, cloudPort, await freePort(), uplink);
  }

  async startCloud(): Promise<void> {
    this.cloud.start();
    await untilHealthy(this.cloudUrl, this.cloud);
  }

  async startEdge(): Promise<void> {
    this.edge.start();
    await untilHealthy(this.edgeUrl, this.edge);
  }

  /** Starts the simulator on a scenario file; it exits after writing the ground truth (or loops with `loop`). */
  startSimulator(scenarioPath: string, name: string, loop = false): SimulatorRun {
    const { dir, broker } = this.options;
    const truthPath = join(dir, `${name}-truth.json`);
    const service = new ChildService({
      name: 'simulator',
      entry: 'simulators/cli.ts',
      logPath: join(dir, `${name}-simulator.log`),
      args: [
        scenarioPath,
        '--mqtt',
        broker.url,
        '--cloud',
        this.cloudUrl,
        '--truth',
        truthPath,
        ...(broker.credentialsFile === undefined ? [] : ['--credentials', broker.credentialsFile]),
        ...(broker.gateCommandPublicKeyFile === undefined
          ? []
          : ['--gate-key', broker.gateCommandPublicKeyFile]),
        ...(loop ? ['--loop'] : []),
      ],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    service.start();
    this.simulators.push(service);
    return { service, truthPath };
  }

  /** Stops everything: simulators, edge, cloud (SIGTERM, bounded). */
  async stop(): Promise<void> {
    for (const simulator of this.simulators) await simulator.stop();
    await this.edge.stop();
    await this.cloud.stop();
    await this.uplink?.close();
  }
}
