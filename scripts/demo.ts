// `npm run demo [-- <scenario.json>]`: the whole store on embedded defaults (aedes broker, PGlite cloud
// database, in-memory edge state) with simulated shoppers entering, shopping and leaving in a loop. Prints
// what happens and where to look. Ctrl-C stops everything cleanly.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import pino from 'pino';
import { DEFAULT_VISION } from '../edge/vision/vision-config.ts';
import { deviceConnection, type StoreStack, startStoreStack } from '../evaluation/harness/store-stack.ts';
import { writeCredentialsFile } from '../shared/broker/broker-credentials.ts';
import type { SessionEvent } from '../shared/schemas/session-event.ts';
import type { ShelfEvent } from '../shared/schemas/shelf-event.ts';
import { CloudAppClient } from '../simulators/app/cloud-app-client.ts';
import { loadScenario } from '../simulators/scenario/scenario-loader.ts';
import { Simulator } from '../simulators/scenario/simulator.ts';
import { commandLine } from './cli/command-line.ts';

// a family on one scan and another shopper, with the ceiling cameras on: the floor view shows them moving
const DEFAULT_SCENARIO = 'scenarios/suite/10-family-on-one-scan.json';
const USAGE = `usage: npm run demo [-- <scenario.json>]
  the whole store on embedded defaults, playing the scenario in a loop (default ${DEFAULT_SCENARIO});
  Ctrl-C stops it. Environment: PORT (cloud, 8080), EDGE_HTTP_PORT (8090), DEMO_LOG (var/demo.log),
  DEMO_BROKER_CREDENTIALS (var/demo-broker-credentials.json), LOG_LEVEL (info).`;
const cli = commandLine({ command: 'demo', usage: USAGE, options: {}, allowPositionals: true });
if (cli.positionals.length > 1) cli.fail(`one scenario at most, got ${cli.positionals.join(' ')}`);
const scenarioPath = cli.positionals[0] ?? DEFAULT_SCENARIO;
// the console is for what happens in the store; the parts' logs go to a file (one JSON line each)
const LOG_FILE = resolve(process.env.DEMO_LOG ?? 'var/demo.log');
// the broker's generated credentials (one per device and process, new every start), for mosquitto_sub & co.
const CREDENTIALS_FILE = process.env.DEMO_BROKER_CREDENTIALS ?? 'var/demo-broker-credentials.json';
const logger = pino(
  { level: process.env.LOG_LEVEL ?? 'info' },
  pino.destination({ dest: LOG_FILE, mkdir: true, sync: false }),
);

type Store = Parameters<typeof startStoreStack>[0]['store'];

/** How long a receipt waits for staff to decide a doubtful line in the floor view (a store sets minutes). */
const DEMO_HOLD_MS = 30_000;

function time(ts: number): string {
  return new Date(ts).toISOString().slice(11, 19);
}

async function startWithFallback(store: Store, cameras: boolean): Promise<StoreStack> {
  const wanted = {
    cloudPort: Number(process.env.PORT ?? 8080),
    edgeHttpPort: Number(process.env.EDGE_HTTP_PORT ?? 8090),
    ...(cameras ? { vision: DEFAULT_VISION } : {}),
    exceptionHoldMs: DEMO_HOLD_MS,
  };
  try {
    return await startStoreStack({ store, ...wanted, logger });
  } catch (err) {
    if ((err as { code?: string }).code !== 'EADDRINUSE') throw err;
    console.log(`ports ${wanted.cloudPort}/${wanted.edgeHttpPort} are busy; using free ports instead`);
    return startStoreStack({
      store,
      logger,
      exceptionHoldMs: DEMO_HOLD_MS,
      ...(cameras ? { vision: DEFAULT_VISION } : {}),
    });
  }
}

const short = (id: string | null) => (id === null ? 'nobody' : id.slice(0, 8));

function printAddresses(stack: StoreStack, store: Store): void {
  const edgeUrl = stack.edge.httpUrl ?? '(no HTTP)';
  if (stack.brokerCredentials !== undefined) {
    mkdirSync(dirname(CREDENTIALS_FILE), { recursive: true });
    writeCredentialsFile(CREDENTIALS_FILE, stack.brokerCredentials);
  }
  console.log(`
  MQTT broker (embedded aedes)   ${stack.mqttUrl}   no anonymous clients; each device and process has its own login
  Broker credentials (0600)      ${CREDENTIALS_FILE}   e.g. mosquitto_sub -p ${stack.mqttUrl.split(':').at(-1)} -u simulator -P <logins.simulator> -t 'walkout/v1/${store.storeId}/#'
  Shopper app (mobile web)       ${stack.cloudUrl}/app/
  Cloud API docs (OpenAPI)       ${stack.cloudUrl}/docs
  Floor view (staff)             ${edgeUrl}/floor/   sign in: manager / walkout-demo (supervisor), staff / walkout-view (viewer)
  Edge state (staff token)       ${edgeUrl}/api/state   Authorization: Bearer <token from POST /floor/api/login>
  Edge metrics (Prometheus)      ${edgeUrl}/metrics
  Cloud metrics (Prometheus)     ${stack.cloudUrl}/metrics

  Logs (JSON lines)              ${LOG_FILE}

Playing ${scenarioPath} in a loop; between passes a clerk restocks what was picked. Picks the edge doubts wait ${DEMO_HOLD_MS / 1000} s for a decision in the
floor view (Exceptions), then are left off the receipt. Ctrl-C to stop.
`);
}

/** One console line for a shelf or session event, or undefined for the kinds the demo does not show. */
function describeEvent(event: ShelfEvent | SessionEvent, store: Store): string | undefined {
  const names = new Map(store.catalog.map((p) => [p.sku, p.name]));
  if ('lane' in event) {
    const best = event.hypotheses[0];
    const what = best ? `${best.count} × ${names.get(best.sku) ?? best.sku}` : 'unknown product';
    const by =
      event.attribution === 'vision'
        ? ` (cameras: ${event.evidence?.rule ?? 'reach'}, ${Math.round((event.confidence ?? 0) * 100)} %)`
        : event.attribution === 'unattributed'
          ? ` (to staff: ${event.evidence?.rule ?? 'unattributed'}; not billed unless they decide)`
          : '';
    const flags = `${event.ambiguous ? ' (ambiguous)' : ''}${by}`;
    return `${time(event.startTs)}  ${event.kind.toUpperCase().padEnd(9)} ${what} from ${event.lane}, ${event.deltaGrams} g → session ${short(event.sessionId)}${flags}`;
  }
  const session = short(event.sessionId);
  if (event.kind === 'entered')
    return `${time(event.ts)}  ENTRY     session ${session} (party of ${event.party ?? 1}) at ${event.gate}`;
  if (event.kind === 'exited') return `${time(event.ts)}  EXIT      session ${session} at ${event.gate}`;
  if (event.kind === 'receipt-queued') {
    const lines = (event.lines ?? []).map((l) => `${l.quantity} × ${names.get(l.sku) ?? l.sku}`).join(', ');
    return `${time(event.ts)}  CART      session ${session}: ${lines || 'nothing'}`;
  }
  if (event.kind === 'receipt-delivered' && event.receipt) {
    const total = `${store.currency} ${(event.receipt.totalCents / 100).toFixed(2)}`;
    return `${time(event.ts)}  RECEIPT   session ${session}: ${total}, ${event.receipt.status}`;
  }
  return undefined;
}

/**
 * Stops the simulator, then the store, on the first SIGINT or SIGTERM. Later signals while stopping are
 * ignored: a Ctrl-C reaches every process of the terminal's group and npm or tsx may relay it once more,
 * and a second signal must not kill the store half-stopped. The log is flushed before the process exits.
 */
function stopOnSignal(simulator: Simulator, stack: StoreStack): { isStopping(): boolean } {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    await simulator.stop();
    await stack.stop();
    logger.flush(() => process.exit(0));
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return { isStopping: () => stopping };
}

async function main(): Promise<void> {
  const { scenario, store } = loadScenario(scenarioPath);
  console.log(
    `Walkout demo: starting ${store.name} (${store.shelves.length} shelves, ${store.catalog.length} products)…`,
  );
  const stack = await startWithFallback(store, scenario.cameras !== undefined);
  printAddresses(stack, store);
  const simulator = new Simulator({
    scenario,
    store,
    ...deviceConnection(stack),
    app: new CloudAppClient(stack.cloudUrl),
    logger,
  });
  let run: { isStopping(): boolean } | undefined;
  stack.edge.onEvent((event: ShelfEvent | SessionEvent) => {
    const line = run?.isStopping() ? undefined : describeEvent(event, store);
    if (line !== undefined) console.log(line);
  });
  await simulator.start();
  run = stopOnSignal(simulator, stack);
  for (let pass = 1; !run.isStopping(); pass++) {
    console.log(`— pass ${pass} —`);
    try {
      await simulator.play();
      await simulator.idle(3);
      // the loop would empty the lanes it picks from in a few passes: a clerk restocks them while nobody is in
      const restocked = simulator.restock();
      if (restocked.length > 0) {
        const units = restocked.reduce((n, r) => n + r.units, 0);
        console.log(
          `${time(simulator.now())}  RESTOCK   ${units} unit(s) on ${restocked.map((r) => r.lane).join(', ')}`,
        );
        await simulator.idle(3);
      }
    } catch (err) {
      if (run.isStopping()) break;
      throw err;
    }
  }
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
