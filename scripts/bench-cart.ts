// `npm run bench:cart [-- --json] [--seconds N] [--shoppers N] [--mqtt URL] [--database URL]`: 50 shoppers
// inside a simulated store at once, each picking and putting back every few seconds, with the real edge and
// cloud in this process (embedded secured broker and PGlite, or a broker such as Mosquitto and PostgreSQL).
// Shelves publish load-cell batches over MQTT as controllers do; the shoppers' positions and hands go
// to the edge's fusion as a tracker's steps (no camera rendering: 50 people at once would measure the
// renderer, not the cart). Each shopper's app holds the cloud's live-cart stream open. Measures the time from
// the physical pick (the weight leaving the plate) to the change arriving in that shopper's app, updates that
// never arrived, and exit → receipt in the app. The floor is staffed: a supervisor decides each staff
// exception (a look-alike product, say) a few seconds after it opens, from the bench's ground truth, as a
// person looking at its frames would; otherwise that shopper's receipt waits the whole staff-decision window.
// The cloud's rate limits are the store stack's (scale 100: 50 sign-ups from one loopback address are a
// store's worth of shoppers, not an attack); production keeps scale 1.
import { randomBytes, randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import mqtt from 'mqtt';
import pg from 'pg';
import { reconcileHolds } from '../cloud/billing/hold-reconciliation.ts';
import { jobsSchemaOf } from '../cloud/jobs/open-job-queue.ts';
import { DEMO_FLOOR_STAFF } from '../edge/edge-config.ts';
import { parseStaffList } from '../edge/floor/staff-auth.ts';
import { deviceConnection, startStoreStack } from '../evaluation/harness/store-stack.ts';
import { percentile } from '../evaluation/store-eval/percentile.ts';
import { mqttAuthOptions } from '../shared/broker/broker-credentials.ts';
import type { LiveCartUpdate } from '../shared/schemas/live-cart.ts';
import type { LoadCellBatch } from '../shared/schemas/load-cell-batch.ts';
import type { TrackMessage } from '../shared/schemas/track.ts';
import { loadStoreConfig } from '../shared/store-config.ts';
import { laneReachPoint } from '../shared/store-geometry.ts';
import { topics } from '../shared/topics.ts';
import { CartStreamClient } from '../simulators/app/cart-stream-client.ts';
import { CloudAppClient } from '../simulators/app/cloud-app-client.ts';
import type { ShopperSession } from '../simulators/app/shopper-app.ts';
import { FloorSupervisor } from '../simulators/staff/floor-supervisor.ts';
import { commandLine } from './cli/command-line.ts';
import { BROKER_SCHEMES, POSTGRES_SCHEMES } from './cli/url-option.ts';

const USAGE = `usage: npm run bench:cart -- [--json] [--seconds N] [--shoppers N] [--mqtt URL] [--database URL]
  --seconds N     how long the shoppers shop (default 40)
  --shoppers N    shoppers inside at once (default 50)
  --mqtt URL      a broker such as Mosquitto (mqtt://127.0.0.1:1883, anonymous); default an embedded
                  secured aedes
  --database URL  postgres://… (a schema of its own per run); default embedded PGlite
  --json          last line: one JSON object`;

const cli = commandLine({
  command: 'bench:cart',
  usage: USAGE,
  options: {
    json: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '40' },
    shoppers: { type: 'string', default: '50' },
    mqtt: { type: 'string' },
    database: { type: 'string' },
  },
});
const { values } = cli;
const SECONDS = cli.positiveNumber('seconds');
const SHOPPERS = cli.integer('shoppers', { min: 1 });
const mqttUrl = cli.url('mqtt', BROKER_SCHEMES);
const databaseUrl = cli.url('database', POSTGRES_SCHEMES);
/** Each shopper changes their cart about this often (ms), alternating pick and put-back. */
const CHANGE_EVERY_MS = 6000;
/** How long the supervisor takes to decide a staff exception once it shows on the floor view (ms). */
const STAFF_REACTION_MS = 3000;
/** The demo supervisor of the store stack's floor view. */
const supervisorLogin = parseStaffList(DEMO_FLOOR_STAFF).find((s) => s.role === 'supervisor');
if (supervisorLogin === undefined) throw new Error('the demo floor staff has no supervisor');
const say = (line: string) => process.stderr.write(`${line}\n`);

const sampleStore = loadStoreConfig('stores/sample-store.json');
// a store id of its own on a shared broker: another run's devices must not reach this edge
const store =
  mqttUrl === undefined
    ? sampleStore
    : { ...sampleStore, storeId: `${sampleStore.storeId}-${randomBytes(3).toString('hex')}` };
/** PostgreSQL: the run's own schema, dropped at the end. */
const schema = databaseUrl === undefined ? undefined : `bench_cart_${randomBytes(5).toString('hex')}`;
const stack = await startStoreStack({
  store,
  mqttUrl,
  databaseUrl,
  postgresSchema: schema,
});
const backend = {
  broker: mqttUrl === undefined ? 'embedded aedes' : mqttUrl,
  database: databaseUrl === undefined ? 'PGlite' : 'PostgreSQL',
};
const { edge } = stack;
// each device with its own login, as the broker's policy wants (docs/mqtt-api.md)
const devices = new Map<string, mqtt.MqttClient>();
for (const id of [...store.shelves.map((s) => s.id), ...store.gates.map((g) => g.id)])
  devices.set(
    id,
    await mqtt.connectAsync(stack.mqttUrl, {
      ...mqttAuthOptions(deviceConnection(stack).auth(id)),
      clientId: `${id}-${randomUUID().slice(0, 8)}`,
    }),
  );
// a controller announces itself online (retained), as real ones do on connect
for (const [id, client] of devices)
  await client.publishAsync(topics.deviceStatus(store.storeId, id), JSON.stringify({ state: 'online' }), {
    qos: 1,
    retain: true,
  });
const deviceOf = (id: string) => {
  const client = devices.get(id);
  if (client === undefined) throw new Error(`no device ${id}`);
  return client;
};
const cameras = store.cameras.map((c) => c.id);
const entryGate = store.gates.find((g) => g.kind === 'entry')?.id ?? 'G-IN';
const exitGate = store.gates.find((g) => g.kind === 'exit')?.id ?? 'G-OUT';
const unitGrams = new Map(store.catalog.map((p) => [p.sku, p.unitGrams]));

// every fourth lane, so no two shoppers reach into neighbouring lanes
const lanes = store.shelves
  .flatMap((shelf) => shelf.lanes.map((lane) => ({ shelf, lane })))
  .filter((_, i) => i % 4 === 0);
if (lanes.length < SHOPPERS)
  throw new Error(`the store has ${lanes.length} spaced lanes, fewer than ${SHOPPERS} shoppers`);
/** by load cell: grams the plate settles to (what lies on it) */
const grams = new Map<string, number>();
/** by load cell: what it reads now, following `grams` over ~10 samples as a hand lifts an item out */
const reading = new Map<string, number>();
const sample = (cell: string) => {
  const goal = grams.get(cell) ?? 0;
  const now = reading.get(cell) ?? goal;
  const next = now + (goal - now) * 0.3;
  reading.set(cell, next);
  return Math.round((next + (Math.random() - 0.5) * 2) * 10) / 10;
};
for (const shelf of store.shelves)
  for (const lane of shelf.lanes)
    grams.set(lane.loadCell, 500 + lane.initialUnits * (unitGrams.get(lane.sku ?? '') ?? 100));

interface Shopper {
  app: CloudAppClient;
  session: ShopperSession;
  stream: CartStreamClient;
  sessionId: string | undefined;
  lane: (typeof lanes)[number];
  reach: { x: number; y: number };
  /** Physical changes made: kind and wall time the weight left or came back. */
  changes: { kind: 'pick' | 'put-back'; at: number }[];
  /** Until this wall time the hand is in the lane. */
  handUntil: number;
  exitedAt?: number;
}

say(`starting: ${SHOPPERS} shoppers sign up and open their apps…`);
const shoppers: Shopper[] = [];
for (let i = 0; i < SHOPPERS; i++) {
  const app = new CloudAppClient(stack.cloudUrl);
  const session = await app.signUpOrIn({
    email: `bench-${i}-${randomUUID()}@bench.test`,
    password: 'bench-cart-pass',
    name: `Shopper ${i}`,
  });
  await app.addCard(session, 'tok_visa');
  const stream = new CartStreamClient({ cloudUrl: stack.cloudUrl, token: session.token });
  await stream.start();
  const lane = lanes[i] as (typeof lanes)[number];
  const reach = laneReachPoint(lane.shelf, lane.lane);
  shoppers.push({
    app,
    session,
    stream,
    sessionId: undefined,
    lane,
    reach,
    changes: [],
    handUntil: 0,
  });
  if ((i + 1) % 10 === 0) say(`  ${i + 1} apps open`);
}
async function scan(gate: string, s: Shopper): Promise<void> {
  const issued = await s.app.entryToken(s.session, 1);
  if (!issued.ok) throw new Error('entry refused');
  await deviceOf(gate).publishAsync(
    topics.gateScan(store.storeId, gate),
    JSON.stringify({ v: 1, scanId: randomUUID(), token: issued.token, ts: Date.now() }),
    { qos: 1 },
  );
}

const stopEvents = edge.onEvent((e) => {
  if (!('kind' in e) || e.kind !== 'entered') return;
  const s = shoppers.find((x) => x.sessionId === undefined && x.session.accountId === e.accountId);
  if (s !== undefined) s.sessionId = e.sessionId;
});
for (const s of shoppers) await scan(entryGate, s);
const entryDeadline = Date.now() + 20_000;
while (shoppers.some((s) => s.sessionId === undefined) && Date.now() < entryDeadline)
  await new Promise((r) => setTimeout(r, 50));
say(
  `${shoppers.filter((s) => s.sessionId !== undefined).length} shoppers inside; shopping for ${SECONDS} s…`,
);
const httpUrl = edge.httpUrl;
if (httpUrl === undefined) throw new Error('the edge is not listening');
// the truth staff see in the frames: each lane is one shopper's, and each change moves one unit of its product
const supervisor = new FloorSupervisor({
  edgeUrl: httpUrl,
  user: supervisorLogin.name,
  password: supervisorLogin.password,
  reactionMs: STAFF_REACTION_MS,
  truthOf: (x) => {
    const s = shoppers.find((y) => y.lane.lane.id === x.event.lane);
    return s?.sessionId === undefined || s.lane.lane.sku === undefined
      ? undefined
      : { sessionId: s.sessionId, sku: s.lane.lane.sku, count: 1 };
  },
});
await supervisor.start();

// devices: load cells every 200 ms (12 samples at 60 Hz), tracks every 100 ms
const seq = new Map<string, number>();
const publishWeights = () => {
  const t0 = Date.now() - 200;
  for (const shelf of store.shelves) {
    const n = seq.get(shelf.id) ?? 0;
    seq.set(shelf.id, n + 1);
    const batch: LoadCellBatch = {
      v: 1,
      device: shelf.id,
      seq: n,
      t0,
      periodMs: 1000 / 60,
      cells: shelf.lanes.map((lane) => ({
        id: lane.loadCell,
        grams: Array.from({ length: 12 }, () => sample(lane.loadCell)),
      })),
    };
    deviceOf(shelf.id).publish(topics.shelfWeights(store.storeId, shelf.id), JSON.stringify(batch));
  }
};
const publishTracks = () => {
  const now = Date.now();
  const tracks: TrackMessage[] = shoppers.flatMap((s, i) =>
    s.sessionId === undefined || s.exitedAt !== undefined
      ? []
      : [
          {
            id: `T${i}`,
            sessionId: s.sessionId,
            state: 'confirmed' as const,
            x: s.reach.x,
            y: s.reach.y + (s.reach.y > 1 ? -0.45 : 0.45),
            vx: 0,
            vy: 0,
            hands: now < s.handUntil ? [{ x: s.reach.x, y: s.reach.y }] : [],
            confidence: 1,
            lastSeenTs: now,
          },
        ],
  );
  edge.observeTracks({ ts: now, tracks, cameras });
};
const weightTimer = setInterval(publishWeights, 200);
const trackTimer = setInterval(publishTracks, 100);

const start = Date.now();
const changeTimers = shoppers.map((s, i) =>
  setTimeout(
    function change() {
      if (Date.now() - start > SECONDS * 1000) return;
      const kind = s.changes.length % 2 === 0 ? 'pick' : 'put-back';
      const unit = unitGrams.get(s.lane.lane.sku ?? '') ?? 100;
      s.handUntil = Date.now() + 1500;
      // the hand goes in, and the item leaves (or comes back to) the plate half a second later
      setTimeout(() => {
        grams.set(
          s.lane.lane.loadCell,
          (grams.get(s.lane.lane.loadCell) ?? 0) + (kind === 'pick' ? -unit : unit),
        );
        s.changes.push({ kind, at: Date.now() });
      }, 500);
      changeTimers[i] = setTimeout(change, CHANGE_EVERY_MS + Math.random() * 1000);
    },
    1000 + (i * CHANGE_EVERY_MS) / SHOPPERS,
  ),
);
let lastReport = start;
while (Date.now() - start < SECONDS * 1000 + 1000) {
  await new Promise((r) => setTimeout(r, 500));
  if (Date.now() - lastReport >= 10_000) {
    lastReport = Date.now();
    const made = shoppers.reduce((n, s) => n + s.changes.length, 0);
    say(`  ${Math.round((Date.now() - start) / 1000)} s: ${made} picks and put-backs so far`);
  }
}
for (const t of changeTimers) clearTimeout(t);
// let the last changes be decided and delivered
await new Promise((r) => setTimeout(r, 4000));

const changeEvents = (s: Shopper) =>
  s.stream.events.filter(
    (e) =>
      e.event === 'cart' &&
      (e.data as LiveCartUpdate).change !== undefined &&
      ['pick', 'put-back'].includes((e.data as LiveCartUpdate).change?.kind ?? ''),
  );
const latencies: number[] = [];
/** Where the time goes: pick → the edge queued the snapshot (its `ts`), and from there → the app. */
const atEdge: number[] = [];
const edgeToApp: number[] = [];
let lost = 0;
let wrong = 0;
for (const s of shoppers) {
  const seen = changeEvents(s);
  s.changes.forEach((c, k) => {
    const e = seen[k];
    if (e === undefined) {
      lost++;
      return;
    }
    if ((e.data as LiveCartUpdate).change?.kind !== c.kind) wrong++;
    latencies.push(e.receivedAt - c.at);
    const queuedAt = (e.data as LiveCartUpdate).ts;
    atEdge.push(queuedAt - c.at);
    edgeToApp.push(e.receivedAt - queuedAt);
  });
}

say('shoppers leave…');
for (const s of shoppers) {
  s.exitedAt = Date.now();
  await scan(exitGate, s);
}
const receiptDeadline = Date.now() + 30_000;
while (
  Date.now() < receiptDeadline &&
  shoppers.some((s) => !s.stream.events.some((e) => e.event === 'receipt'))
)
  await new Promise((r) => setTimeout(r, 100));
const exitToReceipt = shoppers.flatMap((s) => {
  const r = s.stream.events.find((e) => e.event === 'receipt');
  return r === undefined || s.exitedAt === undefined ? [] : [r.receivedAt - s.exitedAt];
});
clearInterval(weightTimer);
clearInterval(trackTimer);
supervisor.stop();
stopEvents();
await Promise.all(shoppers.map((s) => s.stream.stop()));
for (const client of devices.values()) await client.endAsync();
const edgeMetrics = await edge.metrics.registry.getSingleMetricAsString('walkout_edge_shelf_events_total');
// every hold placed at the gate is captured or voided once its receipt exists (reconciliation's check)
const holds = await reconcileHolds(stack.cloud.db, Date.now());
await stack.stop();
if (databaseUrl !== undefined && schema !== undefined) {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin
    .query(`DROP SCHEMA IF EXISTS ${schema}, ${jobsSchemaOf(schema)} CASCADE`)
    .finally(() => admin.end());
}

const made = shoppers.reduce((n, s) => n + s.changes.length, 0);
const result = {
  shoppers: SHOPPERS,
  pickToAppP99Ms: Math.round(percentile(latencies, 0.99)),
  lostUpdates: lost,
  pickToAppP50Ms: Math.round(percentile(latencies, 0.5)),
  pickToEdgeP99Ms: Math.round(percentile(atEdge, 0.99)),
  edgeToAppP99Ms: Math.round(percentile(edgeToApp, 0.99)),
  changes: made,
  wrongChanges: wrong,
  exitToReceiptP99Ms: Math.round(percentile(exitToReceipt, 0.99)),
  receipts: exitToReceipt.length,
  exitToReceiptP50Ms: Math.round(percentile(exitToReceipt, 0.5)),
  staffDecisions: supervisor.decisions,
  holdsLeftOpen: holds.open,
  broker: backend.broker,
  database: backend.database,
  /** The machine's 1-minute load average at the end: latencies on a shared 2-core machine depend on it. */
  loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
};
console.log(
  `live cart under load (${backend.broker}, ${backend.database}; load average ${result.loadAverage})`,
);
console.log(`  shoppers inside at once        ${result.shoppers}`);
console.log(`  picks and put-backs            ${made} (${latencies.length} reached the shopper's app)`);
console.log(
  `  pick → app p50 / p99           ${result.pickToAppP50Ms} / ${result.pickToAppP99Ms} ms (target p99 ≤ 1000 ms)`,
);
console.log(
  `  of which pick → edge / → app   p50 ${Math.round(percentile(atEdge, 0.5))} / ${Math.round(percentile(edgeToApp, 0.5))} ms, p99 ${result.pickToEdgeP99Ms} / ${result.edgeToAppP99Ms} ms`,
);
console.log(`  lost updates                   ${result.lostUpdates}`);
console.log(`  changes of the wrong kind      ${result.wrongChanges}`);
console.log(
  `  exit → receipt in app p50 / p99 ${result.exitToReceiptP50Ms} / ${result.exitToReceiptP99Ms} ms (${result.receipts} of ${SHOPPERS} receipts)`,
);
console.log(`  entry holds left open          ${holds.open} (overdue ${holds.overdue})`);
console.log(
  `  staff decisions                ${supervisor.assigned} assigned, ${supervisor.dropped} dropped, ${supervisor.refused} refused${supervisor.failedRounds > 0 ? `; ${supervisor.failedRounds} floor reads failed: ${String(supervisor.lastError)}` : ''}`,
);
console.log(
  `  edge shelf events              ${edgeMetrics
    .split('\n')
    .filter((l) => l.startsWith('walkout'))
    .join('; ')}`,
);
if (values.json) console.log(JSON.stringify(result));
process.exit(0);
