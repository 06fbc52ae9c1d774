// bench:vision --workers N: the vision workers on a real Mosquitto of the bench's own. N worker processes
// (`npm run vision-worker`) share the cameras' frames through the broker's shared subscription; every camera
// publishes its own frames with its own login; the edge's tracker (VisionStage, `workers: broker`) consumes the
// detections. Measures frames tracked per second, latency from publish to track, frames no worker inferred,
// and the workers' CPU per frame (from /proc).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { createEdgeMetrics } from '../../edge/edge-metrics.ts';
import { MqttLink } from '../../edge/mqtt/mqtt-link.ts';
import { DEFAULT_VISION } from '../../edge/vision/vision-config.ts';
import { type StepFrame, VisionStage } from '../../edge/vision/vision-stage.ts';
import { authFrom, loginFor, mqttAuthOptions } from '../../shared/broker/broker-credentials.ts';
import { PROCESS_USERNAMES, visionWorkerUsername } from '../../shared/broker/broker-policy.ts';
import { systemClock } from '../../shared/clock.ts';
import { encodeFrame } from '../../shared/frame-codec.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import { topicFilters, topics } from '../../shared/topics.ts';
import { type FaultBroker, startFaultBroker } from '../faults/fault-broker.ts';
import { percentile } from '../store-eval/percentile.ts';

export interface WorkerRun {
  workers: number;
  cameras: number;
  fpsPerCamera: number;
  offeredPerSec: number;
  framesPerSec: number;
  frameLatencyP50Ms: number;
  frameLatencyP99Ms: number;
  /** Share of the offered frames no worker inferred. */
  droppedFrames: number;
  /** Frames the edge counted as never inferred (sequence gaps) during the window. */
  lostFramesCounted: number;
  /** Share of the tracked frames the workers' motion gates kept from the detector. */
  gateSkipped: number;
  /** The workers' CPU time (user + system) per frame they inferred, ms. */
  cpuMsPerFrame: number;
}

/** The bench's broker, its store (written for the workers to load) and the cameras' connections. */
export interface WorkerBenchRig {
  broker: FaultBroker;
  store: StoreConfig;
  storePath: string;
  cameras: MqttClient[];
  stop(): Promise<void>;
}

const WORKER_ENTRY = 'edge/vision-worker-main.ts';

export async function startWorkerBench(store: StoreConfig): Promise<WorkerBenchRig> {
  const dir = mkdtempSync(join(tmpdir(), 'walkout-bench-vision-'));
  // enough worker logins for any --workers the bench is given
  const broker = await startFaultBroker(store, dir);
  if (broker.kind !== 'mosquitto') {
    await broker.stop();
    throw new Error(
      'bench:vision --workers needs Mosquitto (shared subscriptions): apt-get install -y mosquitto',
    );
  }
  const storePath = join(dir, 'store.json');
  writeFileSync(storePath, JSON.stringify(store));
  const auth = authFrom(broker.credentials);
  const cameras = await Promise.all(
    store.cameras.map((c) =>
      mqtt.connectAsync(broker.url, { protocolVersion: 4, clientId: c.id, ...mqttAuthOptions(auth(c.id)) }),
    ),
  );
  return {
    broker,
    store,
    storePath,
    cameras,
    async stop() {
      await Promise.all(cameras.map((c) => c.endAsync()));
      await broker.stop();
    },
  };
}

function spawnWorker(rig: WorkerBenchRig, n: number): ChildProcess {
  const username = visionWorkerUsername(n);
  const password = rig.broker.credentials?.logins[username];
  if (password === undefined)
    throw new Error(`the bench broker has no login ${username} (at most 4 workers)`);
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      WORKER_ENTRY,
      '--username',
      username,
      '--url',
      rig.broker.url,
      '--store',
      rig.storePath,
    ],
    {
      env: { ...process.env, MQTT_PASSWORD: password, VISION_THREADS: '1' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

/** CPU seconds (user + system) a process used so far, from /proc (Linux). */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Waits until every worker says it is online (its models are loaded and it joined the group). */
async function workersOnline(rig: WorkerBenchRig, workers: number): Promise<MqttClient> {
  const { storeId } = rig.store;
  const observer = await mqtt.connectAsync(rig.broker.url, {
    protocolVersion: 4,
    ...mqttAuthOptions({ login: loginFor(rig.broker.credentials, PROCESS_USERNAMES.simulator) }),
  });
  const online = new Set<string>();
  observer.on('message', (topic, payload) => {
    const device = topic.split('/').at(-2) ?? '';
    if (JSON.parse(payload.toString('utf8')).state === 'online') online.add(device);
    else online.delete(device);
  });
  await observer.subscribeAsync(topicFilters.deviceStatus(storeId));
  const deadline = Date.now() + 60_000;
  const want = Array.from({ length: workers }, (_, i) => visionWorkerUsername(i + 1));
  while (!want.every((w) => online.has(w))) {
    if (Date.now() > deadline) throw new Error('vision workers did not come online within 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return observer;
}

export async function runWorkers(
  rig: WorkerBenchRig,
  workers: number,
  fps: number,
  seconds: number,
  pool: Map<string, Buffer[]>,
): Promise<WorkerRun> {
  const { store } = rig;
  const children = Array.from({ length: workers }, (_, i) => spawnWorker(rig, i + 1));
  const latencies: number[] = [];
  let processed = 0;
  const { stage, link } = edgeTracker(rig, (frames) => {
    const now = Date.now();
    processed += frames.length;
    for (const f of frames) latencies.push(now - f.captureTs);
  });
  const observer = await workersOnline(rig, workers);
  await stage.start();
  await link.start();
  const feeds = startCameraFeeds(rig, fps, pool);
  await new Promise((r) => setTimeout(r, 3000)); // warm-up: not measured
  const warm = {
    skipped: stage.frameCounts.skipped,
    offered: feeds.offered(),
    processed,
    dropped: stage.droppedFrames,
    latencies: latencies.length,
  };
  const cpu0 = children.reduce((s, c) => s + cpuSeconds(c.pid), 0);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const cpu = children.reduce((s, c) => s + cpuSeconds(c.pid), 0) - cpu0;
  const done = {
    skipped: stage.frameCounts.skipped,
    offered: feeds.offered(),
    processed,
    dropped: stage.droppedFrames,
  };
  feeds.stop();
  await new Promise((r) => setTimeout(r, 500)); // the last frames' detections
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => new Promise((r) => (c.exitCode === null ? c.once('exit', r) : r(0)))),
  );
  await stage.stop();
  await link.stop();
  await observer.endAsync();
  const off = done.offered - warm.offered;
  const frames = done.processed - warm.processed;
  const measured = latencies.slice(warm.latencies);
  return {
    workers,
    cameras: store.cameras.length,
    fpsPerCamera: fps,
    offeredPerSec: off / seconds,
    framesPerSec: frames / seconds,
    frameLatencyP50Ms: percentile(measured, 0.5),
    frameLatencyP99Ms: percentile(measured, 0.99),
    // offered but never tracked: dropped behind by a worker, lost with one, or too late (the edge's own count,
    // from sequence gaps, lags by the latency and would mix frames offered before the window in)
    droppedFrames: off === 0 ? 0 : Math.max(0, off - frames) / off,
    lostFramesCounted: done.dropped - warm.dropped,
    gateSkipped: frames === 0 ? 0 : (done.skipped - warm.skipped) / frames,
    cpuMsPerFrame: frames === 0 ? 0 : (cpu * 1000) / frames,
  };
}

/** Every camera publishes its frames at `fps` on its own connection, each at its own offset in the period. */
function startCameraFeeds(
  rig: WorkerBenchRig,
  fps: number,
  pool: Map<string, Buffer[]>,
): { offered: () => number; stop: () => void } {
  const { store } = rig;
  let offered = 0;
  const timers: NodeJS.Timeout[] = [];
  store.cameras.forEach((camera, i) => {
    const frames = pool.get(`CAM${(i % 8) + 1}`) ?? [];
    const client = rig.cameras[i] as MqttClient;
    const topic = topics.cameraFrame(store.storeId, camera.id);
    let seq = 0;
    const send = () => {
      seq++;
      const jpeg = frames[seq % Math.max(1, frames.length)];
      if (jpeg === undefined) return;
      offered++;
      const header = { width: camera.imageWidth, height: camera.imageHeight, seq, captureTs: Date.now() };
      client.publish(topic, encodeFrame(header, jpeg), { qos: 0 });
    };
    // cameras are not synchronised: each starts at its own offset within a frame period
    timers.push(
      setTimeout(() => timers.push(setInterval(send, 1000 / fps)), (i * 1000) / fps / store.cameras.length),
    );
  });
  return {
    offered: () => offered,
    stop: () => {
      for (const t of timers) clearTimeout(t);
    },
  };
}

/** The edge's side: one tracker (VisionStage, `workers: broker`) on the detections, with the edge's login. */
function edgeTracker(
  rig: WorkerBenchRig,
  onStep: (frames: readonly StepFrame[]) => void,
): { stage: VisionStage; link: MqttLink } {
  const { store } = rig;
  const logger = pino({ level: 'warn' });
  const link = new MqttLink({
    url: rig.broker.url,
    storeId: store.storeId,
    deviceId: PROCESS_USERNAMES.edge,
    auth: authFrom(rig.broker.credentials)(PROCESS_USERNAMES.edge),
    logger,
    metrics: createEdgeMetrics(),
    persistentSession: false,
  });
  const stage = new VisionStage({
    store,
    config: { ...DEFAULT_VISION, workers: 'broker' },
    logger,
    clock: systemClock,
    publish: () => {},
    onStep,
  });
  link.subscribe('frameDetections', topicFilters.frameDetections(store.storeId), 0, (m, camera) =>
    stage.ingestDetections(m, camera),
  );
  return { stage, link };
}
