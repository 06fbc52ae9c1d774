// npm run bench:vision — end-to-end speed of the edge's vision stage on this machine: N cameras at F fps
// deliver JPEG frames (pre-rendered by the simulator, wire format via encodeFrame) in real time; the stage
// decodes, infers (batched), embeds and tracks, dropping stale frames. Reports frames/s offered and processed,
// p99 latency from arrival to tracks, the share of frames dropped and the stage's CPU per frame processed
// (cpuMsPerFrame). --json: last line one JSON object.
// Options: --cameras N (16) --fps F (10) --seconds S (20) --sweep (also try more cameras to find the limit);
// VISION_DETECTOR_PATH=file benches another detector (e.g. the previous one) in place of the shipped one.
// --workers N: the same on N vision worker processes over a Mosquitto of the bench's own (shared subscription,
// the edge only tracking), then the capacity of 1 and of N workers with more frames offered than they can take
// (--overload-fps, default 2× --fps): adds workers, framesPerSecCapacity, capacityOneWorker, capacityRatio
// (N workers to 1) and cpuMsPerFrame (the workers' CPU per frame inferred).
import pino from 'pino';
import { DEFAULT_VISION } from '../edge/vision/vision-config.ts';
import { VisionStage } from '../edge/vision/vision-stage.ts';
import { percentile } from '../evaluation/store-eval/percentile.ts';
import { runWorkers, startWorkerBench, type WorkerRun } from '../evaluation/vision-eval/worker-bench.ts';
import { systemClock } from '../shared/clock.ts';
import { encodeFrame } from '../shared/frame-codec.ts';
import { type Camera, indexStore, loadStoreConfig, type StoreConfig } from '../shared/store-config.ts';
import { loadScenario } from '../simulators/scenario/scenario-loader.ts';
import { scenarioFrames } from '../simulators/vision/scenario-frames.ts';
import { commandLine } from './cli/command-line.ts';

const USAGE = `usage: npm run bench:vision -- [--json] [--cameras N] [--fps F] [--seconds S] [--sweep]
                                 [--workers N [--overload-fps F] [--capacity-seconds S]]
  --cameras N           cameras delivering frames in real time (default 16)
  --fps F               frames per second per camera (default 10)
  --seconds S           how long each run lasts (default 20)
  --sweep               also try half, 1.5× and twice the cameras to find the limit
  --workers N           the same on N vision worker processes over a Mosquitto of the bench's own, then the
                        capacity of 1 and of N workers (default 0: the vision stage in this process)
  --overload-fps F      with --workers, frames per second per camera offered to measure capacity
                        (default 2× --fps)
  --capacity-seconds S  with --workers, how long each capacity run lasts (default 10)
  --json                last line: one JSON object
VISION_DETECTOR_PATH=file benches another detector in place of the shipped one.`;

const cli = commandLine({
  command: 'bench:vision',
  usage: USAGE,
  options: {
    json: { type: 'boolean', default: false },
    cameras: { type: 'string', default: '16' },
    fps: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '20' },
    sweep: { type: 'boolean', default: false },
    workers: { type: 'string', default: '0' },
    'overload-fps': { type: 'string' },
    'capacity-seconds': { type: 'string', default: '10' },
  },
});
const { json } = cli.values;
const log = (line: string) => (json ? process.stderr : process.stdout).write(`${line}\n`);

/** The sample store's cameras repeated side by side (a store twice as wide per 8 more cameras). */
function storeWithCameras(base: StoreConfig, count: number): StoreConfig {
  const cameras: Camera[] = [];
  for (let i = 0; i < count; i++) {
    const src = base.cameras[i % base.cameras.length] as Camera;
    const shift = Math.floor(i / base.cameras.length) * base.floor.widthM;
    const h = [...src.homography];
    h[2] = (h[2] ?? 0) + shift;
    cameras.push({
      ...src,
      id: `CAM${i + 1}`,
      position: { x: src.position.x + shift, y: src.position.y },
      homography: h,
    });
  }
  const copies = Math.ceil(count / base.cameras.length);
  return { ...base, floor: { ...base.floor, widthM: base.floor.widthM * copies }, cameras };
}

async function prerender(): Promise<Map<string, Buffer[]>> {
  const { scenario, store } = loadScenario('evaluation/vision-eval/scenarios/vision-crossing.json');
  const byCamera = new Map<string, Buffer[]>();
  for await (const tick of scenarioFrames(scenario, indexStore(store), {
    fps: 5,
    dropRate: 0,
    startTs: 0,
    durationS: 14,
  })) {
    if (tick.ts < 8000) continue; // everyone is inside and walking by then
    for (const f of tick.frames) byCamera.set(f.camera, [...(byCamera.get(f.camera) ?? []), f.jpeg]);
  }
  return byCamera;
}

async function run(cameras: number, fps: number, seconds: number, pool: Map<string, Buffer[]>) {
  const store = storeWithCameras(loadStoreConfig('stores/sample-store.json'), cameras);
  const latencies: number[] = [];
  let processed = 0;
  const stage = new VisionStage({
    store,
    config: {
      ...DEFAULT_VISION,
      detectorPath: process.env.VISION_DETECTOR_PATH ?? DEFAULT_VISION.detectorPath,
      intraOpThreads: 1,
    },
    logger: pino({ level: 'warn' }),
    clock: systemClock,
    publish: () => {},
    onStep: (frames) => {
      const now = performance.now();
      processed += frames.length;
      for (const f of frames) latencies.push(now - (f.receivedAt ?? now));
    },
  });
  await stage.start();
  let offered = 0;
  const seq = new Map<string, number>();
  const timers = store.cameras.map((camera, i) => {
    const frames = pool.get(`CAM${(i % 8) + 1}`) ?? [];
    const send = () => {
      const n = (seq.get(camera.id) ?? 0) + 1;
      seq.set(camera.id, n);
      const jpeg = frames[n % Math.max(1, frames.length)];
      if (jpeg === undefined) return;
      offered++;
      stage.ingest(
        encodeFrame(
          { width: camera.imageWidth, height: camera.imageHeight, seq: n, captureTs: Date.now() },
          jpeg,
        ),
        camera.id,
      );
    };
    // cameras are not synchronised: each starts at its own offset within a frame period
    const start = setTimeout(
      () => {
        send();
        timers.push(setInterval(send, 1000 / fps));
      },
      (i * 1000) / fps / cameras,
    );
    return start;
  });
  const cpu0 = process.cpuUsage();
  const processed0 = processed;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 2000)); // warm-up: not measured
  const warm = { offered, processed, dropped: stage.droppedFrames, latencies: latencies.length };
  await new Promise((r) => setTimeout(r, seconds * 1000));
  for (const t of timers) clearTimeout(t);
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await stage.stop();
  const measured = latencies.slice(warm.latencies);
  const off = offered - warm.offered;
  const dropped = stage.droppedFrames - warm.dropped;
  return {
    cameras,
    fpsPerCamera: fps,
    offeredPerSec: off / seconds,
    framesPerSec: (processed - warm.processed) / seconds,
    frameLatencyP50Ms: percentile(measured, 0.5),
    frameLatencyP99Ms: percentile(measured, 0.99),
    droppedFrames: off === 0 ? 0 : dropped / off,
    cpuCores: (cpu.user + cpu.system) / 1e6 / wall,
    /** The stage's CPU (decode, gate, infer, embed, track) per frame it processed, warm-up included. */
    cpuMsPerFrame: processed === processed0 ? 0 : (cpu.user + cpu.system) / 1000 / (processed - processed0),
  };
}

const cameras = cli.integer('cameras', { min: 1 });
const fps = cli.positiveNumber('fps');
const seconds = cli.positiveNumber('seconds');
const workers = cli.integer('workers', { min: 0 });
const overloadFps = cli.positiveNumber('overload-fps') ?? fps * 2;
const capacitySeconds = cli.positiveNumber('capacity-seconds');
log('pre-rendering frames with the simulator…');
const pool = await prerender();
if (workers > 0) await benchWorkers();
else await benchInProcess();

async function benchInProcess(): Promise<void> {
  // whole cameras, each count once (an odd --cameras would otherwise try 7.5 of them)
  const sweep = [Math.max(1, Math.floor(cameras / 2)), cameras, Math.round(cameras * 1.5), cameras * 2];
  const configs = cli.values.sweep ? [...new Set(sweep)] : [cameras];
  const results = [];
  for (const n of configs) {
    log(`running ${n} cameras × ${fps} fps for ${seconds} s…`);
    results.push(await run(n, fps, seconds, pool));
  }
  log('');
  log('cameras  fps/cam  offered/s  processed/s  p50 ms  p99 ms  dropped  cpu cores  cpu ms/frame');
  for (const r of results) {
    log(
      `${String(r.cameras).padStart(7)}  ${String(r.fpsPerCamera).padStart(7)}  ${r.offeredPerSec.toFixed(1).padStart(9)}  ${r.framesPerSec.toFixed(1).padStart(11)}  ${r.frameLatencyP50Ms.toFixed(1).padStart(6)}  ${r.frameLatencyP99Ms.toFixed(1).padStart(6)}  ${`${(r.droppedFrames * 100).toFixed(1)}%`.padStart(7)}  ${r.cpuCores.toFixed(2).padStart(9)}  ${r.cpuMsPerFrame.toFixed(2).padStart(12)}`,
    );
  }
  const main = results.find((r) => r.cameras === cameras) ?? results[0];
  if (json && main !== undefined) {
    const { cameras: c, fpsPerCamera, framesPerSec, frameLatencyP99Ms, droppedFrames } = main;
    const { offeredPerSec, cpuMsPerFrame } = main;
    process.stdout.write(
      `${JSON.stringify({ cameras: c, fpsPerCamera, framesPerSec, frameLatencyP99Ms, droppedFrames, offeredPerSec, cpuMsPerFrame })}\n`,
    );
  }
}

async function benchWorkers(): Promise<void> {
  const rig = await startWorkerBench(storeWithCameras(loadStoreConfig('stores/sample-store.json'), cameras));
  const runs: Array<{ what: string; r: WorkerRun }> = [];
  try {
    log(`real time: ${cameras} cameras × ${fps} fps on ${workers} worker(s) for ${seconds} s…`);
    runs.push({ what: 'real time', r: await runWorkers(rig, workers, fps, seconds, pool) });
    for (const n of workers > 1 ? [1, workers] : [workers]) {
      log(
        `capacity: ${cameras} cameras × ${overloadFps} fps offered to ${n} worker(s) for ${capacitySeconds} s…`,
      );
      runs.push({ what: 'capacity', r: await runWorkers(rig, n, overloadFps, capacitySeconds, pool) });
    }
  } finally {
    await rig.stop();
  }
  log('');
  log(
    'run        workers  cameras  offered/s  processed/s  p50 ms  p99 ms  dropped  gate-skipped  cpu ms/frame',
  );
  for (const { what, r } of runs)
    log(
      `${what.padEnd(9)}  ${String(r.workers).padStart(7)}  ${String(r.cameras).padStart(7)}  ${r.offeredPerSec.toFixed(1).padStart(9)}  ${r.framesPerSec.toFixed(1).padStart(11)}  ${r.frameLatencyP50Ms.toFixed(1).padStart(6)}  ${r.frameLatencyP99Ms.toFixed(1).padStart(6)}  ${`${(r.droppedFrames * 100).toFixed(1)}%`.padStart(7)}  ${`${(r.gateSkipped * 100).toFixed(1)}%`.padStart(12)}  ${r.cpuMsPerFrame.toFixed(2).padStart(12)}`,
    );
  const real = runs[0]?.r as WorkerRun;
  const capacity = runs.filter((x) => x.what === 'capacity').map((x) => x.r);
  const all = capacity.at(-1) as WorkerRun;
  const one = capacity.find((r) => r.workers === 1) ?? all;
  const ratio = one.framesPerSec === 0 ? 0 : all.framesPerSec / one.framesPerSec;
  const saturated = capacity.every((r) => r.framesPerSec < 0.95 * r.offeredPerSec);
  log(
    `capacity: ${all.framesPerSec.toFixed(1)} frames/s on ${workers} worker(s), ${one.framesPerSec.toFixed(1)} on 1: ×${ratio.toFixed(2)}${saturated ? '' : ' (not saturated: offer more with --overload-fps)'}`,
  );
  if (json)
    process.stdout.write(
      `${JSON.stringify({
        cameras,
        fpsPerCamera: fps,
        framesPerSec: real.framesPerSec,
        frameLatencyP99Ms: real.frameLatencyP99Ms,
        droppedFrames: real.droppedFrames,
        workers,
        framesPerSecCapacity: all.framesPerSec,
        capacityOneWorker: one.framesPerSec,
        capacityRatio: ratio,
        capacitySaturated: saturated,
        cpuMsPerFrame: all.cpuMsPerFrame,
      })}\n`,
    );
}
