// End-to-end shelf benchmark: a real Edge (this process) reads a 2,000-lane store's batches from the
// embedded broker fed by a publisher child process; measures the sustained sample rate at full speed and,
// at real-time pace, the latency from publishing the batch that completes a change's decision to the event.
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exportSPKI, generateKeyPair } from 'jose';
import pino from 'pino';
import { Edge } from '../../edge/edge-app.ts';
import { defaultDetectorSettings } from '../../edge/shelves/weight-change-detector.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import { percentile } from '../store-eval/percentile.ts';
import type { PublisherCommand, PublisherReport } from './bench-publisher.ts';
import { benchStoreConfig } from './eval-store.ts';

export interface EndToEndResult {
  samplesPerSec: number;
  maxPhase: { batches: number; received: number; samples: number; wallMs: number };
  latencyMs: Latency;
  /** The same, measured from the batch with the settled window's last sample (before the confirmation hold). */
  latencyFromSettleWindowMs: Latency;
}

type Latency = { p50: number; p95: number; p99: number; max: number; events: number };

type Ready = Extract<PublisherReport, { kind: 'ready' }>;
const wallNow = () => performance.timeOrigin + performance.now();

function nextReport(child: ChildProcess): Promise<PublisherReport> {
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as PublisherReport));
    child.once('exit', (code) => reject(new Error(`bench publisher exited with ${code}`)));
  });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

async function receivedBatches(edge: Edge): Promise<number> {
  const metric = await edge.metrics.messagesReceived.get();
  return metric.values.find((v) => v.labels.kind === 'shelfWeights')?.value ?? 0;
}

function summarizeLatency(xs: number[]): Latency {
  return {
    p50: Math.round(percentile(xs, 0.5)),
    p95: Math.round(percentile(xs, 0.95)),
    p99: Math.round(percentile(xs, 0.99)),
    max: Math.round(Math.max(0, ...xs)),
    events: xs.length,
  };
}

export async function benchEndToEnd(
  options: { shelves: number; lanes: number; maxSeconds: number; realtimeSeconds: number },
  say: (line: string) => void,
): Promise<EndToEndResult> {
  const { shelves, lanes, maxSeconds, realtimeSeconds } = options;
  const child = fork(
    fileURLToPath(new URL('./bench-publisher.ts', import.meta.url)),
    [String(shelves), String(lanes), String(maxSeconds + realtimeSeconds + 1)],
    { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
  );
  let edge: Edge | undefined;
  try {
    say('end-to-end: generating traffic and starting the broker in the publisher process…');
    const ready = (await nextReport(child)) as Ready;
    const { publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    edge = new Edge({
      store: benchStoreConfig(shelves, lanes),
      mqttUrl: ready.url,
      cloudUrl: 'http://127.0.0.1:9',
      storeCredential: 'shelf-bench',
      dbPath: ':memory:',
      entryTokenPublicKeyPem: await exportSPKI(publicKey),
      logger: pino({ level: 'silent' }),
    });
    const seen: { event: ShelfEvent; wall: number }[] = [];
    edge.onEvent((event) => {
      if ('lanes' in event) seen.push({ event, wall: wallNow() });
    });
    await edge.start();
    const running = edge;
    const split = ready.t0s.findIndex((t0) => t0 >= (ready.t0s[0] ?? 0) + maxSeconds * 1000);
    const total = ready.t0s.length;

    say(`end-to-end: publishing ${split} batches as fast as possible…`);
    const maxStarted = wallNow();
    child.send({ phase: 'max', from: 0, to: split } satisfies PublisherCommand);
    await nextReport(child);
    const lastMaxTs = ready.t0s[split - 1] ?? 0;
    const caughtUp = await until(() => running.shelvesSettledThrough(lastMaxTs - 2000), 120_000);
    const maxWallMs = wallNow() - maxStarted;
    if (!caughtUp) say('end-to-end: the edge did not catch up within 120 s');
    const received = await receivedBatches(running);
    // only what arrived counts (QoS 0 may drop under overload)
    const maxSamples = Math.min(split, received) * ready.samplesPerBatch;

    say(`end-to-end: publishing ${total - split} batches at real time (${realtimeSeconds} s)…`);
    const before = seen.length;
    child.send({ phase: 'realtime', from: split, to: total } satisfies PublisherCommand);
    const done = (await nextReport(child)) as Extract<PublisherReport, { kind: 'done' }>;
    await until(() => running.shelvesSettledThrough((ready.t0s[total - 1] ?? 0) - 2000), 10_000);

    return {
      samplesPerSec: Math.round(maxSamples / (maxWallMs / 1000)),
      maxPhase: { batches: split, received, samples: Math.round(maxSamples), wallMs: Math.round(maxWallMs) },
      ...realtimeLatencies(ready, done, split, lanes, seen.slice(before)),
    };
  } finally {
    await edge?.stop();
    if (child.connected) child.send('stop');
    await new Promise((r) => (child.exitCode === null ? child.once('exit', r) : r(null)));
  }
}

/**
 * Real-time phase: from the publish of the batch holding an event's decision sample to the event, per event;
 * also from the batch that ended its settled window.
 */
function realtimeLatencies(
  ready: Ready,
  done: Extract<PublisherReport, { kind: 'done' }>,
  split: number,
  lanes: number,
  seen: { event: ShelfEvent; wall: number }[],
): Pick<EndToEndResult, 'latencyMs' | 'latencyFromSettleWindowMs'> {
  const total = ready.t0s.length;
  // decision sample: last of the settled window, then the confirmation hold
  const s = defaultDetectorSettings;
  const decisionMs = (s.stableWindow - 1 + s.confirmSamples) * ready.periodMs;
  /** by shelf id: [t0, publish wall time] of its real-time batches */
  const published = new Map<string, [number, number][]>();
  for (let i = split; i < total; i++) {
    const device = ready.devices[i] as string;
    const list = published.get(device) ?? [];
    list.push([ready.t0s[i] as number, done.wall[i - split] as number]);
    published.set(device, list);
  }
  const batchMs = (ready.samplesPerBatch / lanes) * ready.periodMs;
  const latencies = (afterEndMs: number) => {
    const out: number[] = [];
    for (const { event, wall } of seen) {
      const ts = event.endTs + afterEndMs;
      const batch = published.get(event.shelf)?.find(([t0]) => ts >= t0 && ts < t0 + batchMs);
      if (batch !== undefined) out.push(wall - batch[1]);
    }
    return summarizeLatency(out);
  };
  return {
    latencyMs: latencies(decisionMs),
    latencyFromSettleWindowMs: latencies((s.stableWindow - 1) * ready.periodMs),
  };
}
