// npm run bench:shelves [-- --json] [--quick]: samples per second through the shelf stage's core (one core,
// 2,000 lanes), the MQTT boundary's JSON.parse + validation, and end to end broker → Edge with event latency.
import { ShelfMonitor } from '../edge/shelves/shelf-monitor.ts';
import { generateBenchTraffic } from '../evaluation/shelf-eval/bench-data.ts';
import { benchEndToEnd } from '../evaluation/shelf-eval/bench-end-to-end.ts';
import { LoadCellBatchSchema } from '../shared/schemas/load-cell-batch.ts';
import { compileValidator } from '../shared/validator.ts';
import { commandLine } from './cli/command-line.ts';

const USAGE = `usage: npm run bench:shelves -- [--json] [--quick]
  --quick  shorter runs: the core on 10 s of traffic (else 30); end to end 8 s flat out and 6 s at real time
           (else 20 and 15)
  --json   last line: one JSON object`;

const cli = commandLine({
  command: 'bench:shelves',
  usage: USAGE,
  options: { json: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false } },
});
const { json, quick } = cli.values;
const SHELVES = 200;
const LANES = 10;
const CORE_SECONDS = quick ? 10 : 30;
const say = (line: string) => console.log(line);

say(`core: generating ${CORE_SECONDS} s of ${SHELVES * LANES} lanes at 60 Hz…`);
const traffic = generateBenchTraffic(SHELVES, LANES, CORE_SECONDS);

function runCore(): { samplesPerSec: number; events: number } {
  let events = 0;
  const monitor = new ShelfMonitor(traffic.store, {
    event: () => events++,
    reject: () => {},
    stock: () => {},
    health: () => {},
  });
  const started = performance.now();
  for (const batch of traffic.batches) monitor.ingest(batch.device, batch);
  return { samplesPerSec: traffic.samples / ((performance.now() - started) / 1000), events };
}

runCore(); // warm-up: the JIT has compiled the hot path after one pass
const coreRuns = [runCore(), runCore(), runCore()];
const core = coreRuns.reduce((a, b) => (b.samplesPerSec > a.samplesPerSec ? b : a));
say(
  `core: ${fmt(core.samplesPerSec)} samples/s (best of 3 after warm-up), ${core.events} events, ${traffic.picks} picks`,
);

// the MQTT boundary: bytes → JSON.parse → schema check, per batch as the edge's link does it
const bodies = traffic.batches.map((b) => Buffer.from(JSON.stringify(b)));
const validator = compileValidator(LoadCellBatchSchema);
/** Samples per second of `work` over every body, timed on a second pass (after the JIT warmed up). */
function boundaryRate(work: (body: Buffer) => void): number {
  let rate = 0;
  for (let pass = 0; pass < 2; pass++) {
    const started = performance.now();
    for (const body of bodies) work(body);
    rate = traffic.samples / ((performance.now() - started) / 1000);
  }
  return rate;
}
const parseRate = boundaryRate((body) => JSON.parse(body.toString('utf8')));
const boundaryRateAll = boundaryRate((body) => validator.check(JSON.parse(body.toString('utf8'))));
const bytesPerSample = bodies.reduce((n, b) => n + b.length, 0) / traffic.samples;
say(`boundary: JSON.parse ${fmt(parseRate)} samples/s, parse + validate ${fmt(boundaryRateAll)} samples/s`);

const e2e = await benchEndToEnd(
  { shelves: SHELVES, lanes: LANES, maxSeconds: quick ? 8 : 20, realtimeSeconds: quick ? 6 : 15 },
  say,
);

const rows: [string, string, string][] = [
  ['core: ShelfMonitor.ingest, 2,000 lanes, 1 core', `${fmt(core.samplesPerSec)} samples/s`, '≥ 5 M'],
  ['boundary: JSON.parse only', `${fmt(parseRate)} samples/s`, '–'],
  ['boundary: JSON.parse + schema check', `${fmt(boundaryRateAll)} samples/s`, '–'],
  [
    `end to end, broker → Edge (${e2e.maxPhase.received}/${e2e.maxPhase.batches} batches)`,
    `${fmt(e2e.samplesPerSec)} samples/s`,
    '≥ 120 k',
  ],
  [
    `event latency at real time (${e2e.latencyMs.events} events)`,
    `p50 ${e2e.latencyMs.p50} / p95 ${e2e.latencyMs.p95} / p99 ${e2e.latencyMs.p99} ms`,
    'p99 ≤ 250 ms',
  ],
  [
    "  same, from the settled window's last sample",
    `p50 ${e2e.latencyFromSettleWindowMs.p50} / p95 ${e2e.latencyFromSettleWindowMs.p95} / p99 ${e2e.latencyFromSettleWindowMs.p99} ms`,
    '(includes the 150 ms hold)',
  ],
];
say('');
say(`${'measure'.padEnd(52)} ${'result'.padEnd(32)} target`);
for (const [name, value, target] of rows) say(`${name.padEnd(52)} ${value.padEnd(32)} ${target}`);
say(
  `(${bytesPerSample.toFixed(1)} JSON bytes per sample; latency from publishing the batch with the change's`,
);
say(' decision sample — last of the settled window plus the confirmation hold — to Edge.onEvent)');
if (json) {
  console.log(
    JSON.stringify({
      coreSamplesPerSec: Math.round(core.samplesPerSec),
      boundaryParseSamplesPerSec: Math.round(parseRate),
      boundaryParseValidateSamplesPerSec: Math.round(boundaryRateAll),
      endToEndSamplesPerSec: e2e.samplesPerSec,
      eventLatencyP99Ms: e2e.latencyMs.p99,
      eventLatencyMs: e2e.latencyMs,
      eventLatencyFromSettleWindowMs: e2e.latencyFromSettleWindowMs,
      endToEndBatches: { published: e2e.maxPhase.batches, received: e2e.maxPhase.received },
    }),
  );
}

function fmt(perSec: number): string {
  return perSec >= 1e6 ? `${(perSec / 1e6).toFixed(2)} M` : `${(perSec / 1e3).toFixed(0)} k`;
}
