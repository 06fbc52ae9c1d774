// `npm run bench:floor [-- --json] [--seconds N]`: a busy store (2,000 lanes at 60 Hz, 50 shoppers inside,
// picks every few seconds per shopper, 50 tracks at 10 Hz) driven into a real headless Chromium showing
// the floor view. Measures the time from a shelf event on the broker to its appearance on the page, and
// the page's frame rate. Tracks are synthetic (handed to the floor hub where the vision stage does).
import { randomUUID } from 'node:crypto';
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import mqtt from 'mqtt';
import pino from 'pino';
import { Edge } from '../edge/edge-app.ts';
import { percentile } from '../evaluation/store-eval/percentile.ts';
import { startEmbeddedBroker } from '../shared/broker/embedded-broker.ts';
import { Random } from '../shared/random.ts';
import { ENTRY_TOKEN_ISSUER, ENTRY_TOKEN_TYPE } from '../shared/schemas/entry-token.ts';
import type { LoadCellBatch } from '../shared/schemas/load-cell-batch.ts';
import { type Lane, parseStoreConfig, type Shelf } from '../shared/store-config.ts';
import { topics } from '../shared/topics.ts';
import { launchChromium } from '../test/support/browser.ts';
import { commandLine } from './cli/command-line.ts';

const USAGE = `usage: npm run bench:floor -- [--json] [--seconds N]
  --seconds N  how long the busy store streams into the floor view (default 30)
  --json       last line: one JSON object`;

const cli = commandLine({
  command: 'bench:floor',
  usage: USAGE,
  options: { json: { type: 'boolean', default: false }, seconds: { type: 'string', default: '30' } },
});
const { values } = cli;
const SECONDS = cli.positiveNumber('seconds');
const SHOPPERS = 50;
const SHELVES = 200;
const LANES_PER_SHELF = 10;
const say = (line: string) => process.stderr.write(`${line}\n`);

// a 2,000-lane store: 20 rows × 10 shelves
const catalog = Array.from({ length: 300 }, (_, i) => ({
  sku: `P${i}`,
  name: `Product ${i}`,
  category: 'bench',
  priceCents: 199,
  unitGrams: 80 + (i % 40) * 25,
  unitGramsSd: 1,
}));
const shelves: Shelf[] = Array.from({ length: SHELVES }, (_, s) => {
  const x = 3 + (s % 10) * 5.5;
  const y = 3 + Math.floor(s / 10) * 3;
  const lanes: Lane[] = Array.from({ length: LANES_PER_SHELF }, (_, l) => ({
    id: `S${s}-L${l}`,
    loadCell: `S${s}-C${l}`,
    sku: `P${(s * LANES_PER_SHELF + l) % 300}`,
    capacity: 40,
    initialUnits: 40,
    position: { x: x - 2.25 + l * 0.5, y: y - 0.3 },
  }));
  return { id: `S${s}`, position: { x, y }, orientationDeg: 90, widthM: 5, depthM: 0.6, lanes };
});
const store = parseStoreConfig({
  storeId: 'bench-floor',
  name: 'Bench store (2,000 lanes)',
  currency: 'EUR',
  floor: { widthM: 58, depthM: 64 },
  loadCells: { sampleRateHz: 60, samplesPerBatch: 12 },
  catalog,
  shelves,
  gates: [
    { id: 'G-IN', kind: 'entry', position: { x: 1, y: 0.5 } },
    { id: 'G-OUT', kind: 'exit', position: { x: 3, y: 0.5 } },
  ],
  cameras: [],
});

const broker = await startEmbeddedBroker();
const keys = await generateKeyPair('EdDSA', { extractable: true });
const edge = new Edge({
  store,
  mqttUrl: broker.url,
  cloudUrl: 'http://127.0.0.1:9',
  storeCredential: 'bench-floor',
  dbPath: ':memory:',
  entryTokenPublicKeyPem: await exportSPKI(keys.publicKey),
  logger: pino({ level: 'silent' }),
  httpPort: 0,
  floorStaff: 'bench:supervisor:bench-floor-pass',
});
await edge.start();
const device = await mqtt.connectAsync(broker.url, { protocolVersion: 4 });
/** by event id: wall time the shelf event arrived from the broker */
const onBroker = new Map<string, number>();
await device.subscribeAsync(topics.shelfEvents(store.storeId), { qos: 0 });
device.on('message', (_topic, payload) =>
  onBroker.set((JSON.parse(payload.toString()) as { eventId: string }).eventId, Date.now()),
);

say(`admitting ${SHOPPERS} shoppers…`);
for (let i = 0; i < SHOPPERS; i++) {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ party: 1 })
    .setProtectedHeader({ alg: 'EdDSA', typ: ENTRY_TOKEN_TYPE })
    .setIssuer(ENTRY_TOKEN_ISSUER)
    .setSubject(`shopper-${i}`)
    .setAudience(store.storeId)
    .setJti(randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + 60)
    .sign(keys.privateKey);
  await device.publishAsync(
    topics.gateScan(store.storeId, 'G-IN'),
    JSON.stringify({ v: 1, scanId: randomUUID(), token, ts: Date.now() }),
    { qos: 1 },
  );
}

const browser = await launchChromium().catch((err: unknown) => {
  // a missing system package is a message, not a stack trace
  process.stderr.write(`bench:floor: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
await page.goto(`${edge.httpUrl}/floor/`);
await page.fill('#login-user', 'bench');
await page.fill('#login-password', 'bench-floor-pass');
await page.click('#login-form button');
await page.waitForSelector('#conn-text:has-text("live")');
say(
  `floor view live; streaming ${SHELVES * LANES_PER_SHELF} lanes at 60 Hz with ${SHOPPERS} shoppers for ${SECONDS} s…`,
);

// load cells: levels per lane; a shopper picks one unit from a random lane every ~5 s
const rng = new Random(42);
const target = shelves.map((s) =>
  s.lanes.map((l) => 500 + 40 * (catalog.find((p) => p.sku === l.sku)?.unitGrams ?? 100)),
);
// what each plate reads: follows its target over ~10 samples, as a hand lifts an item out
const level = target.map((row) => [...row]);
const sample = (s: number, l: number) => {
  const row = level[s] as number[];
  const goal = (target[s] as number[])[l] as number;
  row[l] = (row[l] as number) + (goal - (row[l] as number)) * 0.3;
  return Math.round(((row[l] as number) + rng.normal() * 2) * 10) / 10;
};
const seq = new Array(SHELVES).fill(0);
const shoppers = Array.from({ length: SHOPPERS }, (_, i) => ({
  x: 2 + (i % 10) * 5.5,
  y: 2 + Math.floor(i / 10) * 12,
  vx: 0.8,
  vy: 0.3,
}));
const start = Date.now();
let published = 0;
let tick = 0;
const fps: number[] = [];
const pickTimer = setInterval(() => {
  for (let k = 0; k < SHOPPERS / 5; k++) {
    const s = rng.int(0, SHELVES - 1);
    const l = rng.int(0, LANES_PER_SHELF - 1);
    const row = target[s] as number[];
    const unit = catalog.find((p) => p.sku === shelves[s]?.lanes[l]?.sku)?.unitGrams ?? 100;
    row[l] = (row[l] as number) - unit;
  }
}, 1000);
while (Date.now() - start < SECONDS * 1000) {
  const t0 = start + tick * 200;
  for (let s = 0; s < SHELVES; s++) {
    const batch: LoadCellBatch = {
      v: 1,
      device: `S${s}`,
      seq: seq[s]++,
      t0,
      periodMs: 1000 / 60,
      cells: (shelves[s] as Shelf).lanes.map((lane, l) => ({
        id: lane.loadCell,
        grams: Array.from({ length: 12 }, () => sample(s, l)),
      })),
    };
    device.publish(topics.shelfWeights(store.storeId, `S${s}`), JSON.stringify(batch));
    published++;
  }
  if (tick % 1 === 0) {
    for (const p of shoppers) {
      p.x = (p.x + p.vx * 0.2 + 58) % 58;
      p.y = (p.y + p.vy * 0.2 + 64) % 64;
    }
    edge.hub.publish('tracks', {
      v: 1,
      ts: Date.now(),
      droppedFrames: 0,
      tracks: shoppers.map((p, i) => ({
        id: `T${i}`,
        sessionId: null,
        state: 'confirmed',
        x: p.x,
        y: p.y,
        vx: p.vx,
        vy: p.vy,
        hands: [],
        confidence: 1,
        lastSeenTs: Date.now(),
      })),
    });
  }
  tick++;
  if (tick % 5 === 0)
    fps.push(await page.evaluate(() => (window as unknown as { __floor: { fps: number } }).__floor.fps));
  if (tick % 25 === 0)
    say(`  ${Math.round((Date.now() - start) / 1000)} s: ${onBroker.size} shelf events so far`);
  const wait = start + tick * 200 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
clearInterval(pickTimer);
await new Promise((r) => setTimeout(r, 1500));
const arrivals = await page.evaluate(
  () => (window as unknown as { __floor: { arrivals: Record<string, number> } }).__floor.arrivals,
);
const latencies = [...onBroker].flatMap(([id, brokerAt]) =>
  arrivals[id] === undefined ? [] : [Math.max(0, arrivals[id] - brokerAt)],
);
await page.screenshot({ path: 'test-results/screenshots/bench-floor.png' });
await browser.close();
await device.endAsync();
await edge.stop();
await broker.stop();

const result = {
  shoppers: SHOPPERS,
  lanes: SHELVES * LANES_PER_SHELF,
  eventToPageP99Ms: Math.round(percentile(latencies, 0.99)),
  pageFps: Math.round(percentile(fps.slice(2), 0.5)),
};
console.log('floor view under load');
console.log(`  shoppers inside           ${result.shoppers}`);
console.log(`  lanes at 60 Hz            ${result.lanes} (${published} batches published)`);
console.log(`  shelf events on page      ${latencies.length} of ${onBroker.size}`);
console.log(
  `  event → page p50 / p99    ${Math.round(percentile(latencies, 0.5))} / ${result.eventToPageP99Ms} ms`,
);
console.log(`  page frames per second    ${result.pageFps} (median; min ${Math.min(...fps.slice(2))})`);
console.log('  screenshot                test-results/screenshots/bench-floor.png');
if (values.json) console.log(JSON.stringify(result));
process.exit(0);
