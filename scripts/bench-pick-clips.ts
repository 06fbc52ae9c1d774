// `npm run bench:pick-clips [-- --json] [--seconds S] [--pick-every-ms M]`: what the pick clips (#17) cost the
// edge's main thread. The sample store's 12 cameras at 10 fps (frames rendered by the simulator, cycled) reach a
// FloorRecorder on a file database (WAL, synchronous=FULL, as the edge's), S store-seconds as fast as they go,
// once without picks and once with a pick billed by the edge every M ms on lanes across the store. Prints the
// frame path's latency per call (p50/p99/p99.9/max), the time to start a clip, the main-thread time per clip
// stored (the frame path's extra time over the clips), the share of a core, and the clips' size.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEdgeDatabase } from '../edge/db/edge-database.ts';
import { FloorRecorder } from '../edge/floor/floor-recorder.ts';
import { PICK_CLIP_DEFAULTS } from '../edge/floor/pick-clips.ts';
import { percentile } from '../evaluation/store-eval/percentile.ts';
import { ManualClock } from '../shared/clock.ts';
import type { ShelfEvent } from '../shared/schemas/shelf-event.ts';
import { indexStore } from '../shared/store-config.ts';
import { loadScenario } from '../simulators/scenario/scenario-loader.ts';
import { scenarioFrames } from '../simulators/vision/scenario-frames.ts';
import { commandLine } from './cli/command-line.ts';

const USAGE = `usage: npm run bench:pick-clips -- [--json] [--seconds S] [--pick-every-ms M]
  --seconds S        store-seconds of the 12 cameras at 10 fps per run (default 120)
  --pick-every-ms M  the second run bills a pick every M ms (default 1000)
  --json             last line: one JSON object`;

const cli = commandLine({
  command: 'bench:pick-clips',
  usage: USAGE,
  options: {
    json: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '120' },
    'pick-every-ms': { type: 'string', default: '1000' },
  },
});
const { values } = cli;
const SECONDS = cli.positiveNumber('seconds');
const PICK_EVERY_MS = cli.positiveNumber('pick-every-ms');
const FRAME_EVERY_MS = 100;
const say = (line: string) => process.stderr.write(`${line}\n`);

const { scenario, store: config } = loadScenario('evaluation/vision-eval/scenarios/vision-crossing.json');
const store = indexStore(config);

/** A few seconds of each camera with people walking, rendered once and cycled. */
async function prerender(): Promise<Map<string, Buffer[]>> {
  const byCamera = new Map<string, Buffer[]>();
  for await (const tick of scenarioFrames(scenario, store, {
    fps: 2,
    dropRate: 0,
    startTs: 0,
    durationS: 12,
  })) {
    if (tick.ts < 8000) continue; // everyone is inside and walking by then
    for (const f of tick.frames) byCamera.set(f.camera, [...(byCamera.get(f.camera) ?? []), f.jpeg]);
  }
  return byCamera;
}

interface Run {
  frameCalls: number[];
  frameMsTotal: number;
  startMs: number[];
  clips: number;
  frames: number;
  bytes: number;
}

function run(pool: Map<string, Buffer[]>, withPicks: boolean): Run {
  const dir = mkdtempSync(join(tmpdir(), 'walkout-bench-clips-'));
  const db = openEdgeDatabase(join(dir, 'edge.sqlite'));
  const T0 = 1_700_000_000_000;
  const clock = new ManualClock(T0);
  const recorder = new FloorRecorder({ store, db, clock, onFrames: () => {} });
  const lanes = [...store.laneById.keys()];
  const result: Run = { frameCalls: [], frameMsTotal: 0, startMs: [], clips: 0, frames: 0, bytes: 0 };
  let nextPick = T0 + 5000;
  let n = 0;
  for (let ts = T0; ts < T0 + SECONDS * 1000; ts += FRAME_EVERY_MS) {
    if (withPicks && ts >= nextPick) {
      // a lane across the store each time (37 is prime to the 200 lanes)
      const lane = lanes[(n * 37) % lanes.length] as string;
      const at = store.laneById.get(lane);
      const event: ShelfEvent = {
        v: 1,
        eventId: `bench-${n}`,
        kind: 'pick',
        shelf: at?.shelf.id ?? 'S01',
        lane,
        lanes: [lane],
        loadCell: at?.lane.loadCell ?? 'LC',
        startTs: ts - 800,
        endTs: ts,
        peakTs: ts - 400,
        deltaGrams: -300,
        deltaSdGrams: 2,
        hypotheses: [{ sku: at?.lane.sku ?? 'X', count: 1, likelihood: 0.95 }],
        ambiguous: false,
        sessionId: 'bench-shopper',
        attribution: 'vision',
        confidence: 0.9,
      };
      const t = performance.now();
      recorder.attributedAlone(event);
      result.startMs.push(performance.now() - t);
      n++;
      nextPick += PICK_EVERY_MS;
    }
    for (const [camera, frames] of pool) {
      const jpeg = frames[(ts / FRAME_EVERY_MS) % frames.length] as Buffer;
      const t = performance.now();
      recorder.frameArrived(camera, ts, jpeg);
      const ms = performance.now() - t;
      result.frameCalls.push(ms);
      result.frameMsTotal += ms;
    }
    clock.advance(FRAME_EVERY_MS);
  }
  const clips = db
    .prepare('SELECT count(*) AS n, sum(frames) AS f, sum(bytes) AS b FROM pick_clips')
    .get() as {
    n: number;
    f: number | null;
    b: number | null;
  };
  result.clips = clips.n;
  result.frames = clips.f ?? 0;
  result.bytes = clips.b ?? 0;
  recorder.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}

say('rendering camera frames…');
const pool = await prerender();
const frameBytes = [...pool.values()].flat().map((b) => b.length);
const meanFrameBytes = frameBytes.reduce((a, b) => a + b, 0) / frameBytes.length;
say(
  `${frameBytes.length} frames, ${Math.round(meanFrameBytes / 1000)} KB mean; ${SECONDS} store-seconds each run`,
);
const without = run(pool, false);
const withClips = run(pool, true);

const ms = (v: number) => Math.round(v * 1000) / 1000;
const calls = (r: Run) => ({
  p50: ms(percentile(r.frameCalls, 0.5)),
  p99: ms(percentile(r.frameCalls, 0.99)),
  p999: ms(percentile(r.frameCalls, 0.999)),
  max: ms(Math.max(...r.frameCalls)),
});
const bytesPerClip = withClips.clips === 0 ? 0 : withClips.bytes / withClips.clips;
const result = {
  seconds: SECONDS,
  pickEveryMs: PICK_EVERY_MS,
  meanFrameKB: Math.round(meanFrameBytes / 100) / 10,
  clips: withClips.clips,
  framesPerClip: withClips.clips === 0 ? 0 : Math.round((10 * withClips.frames) / withClips.clips) / 10,
  kbPerClip: Math.round(bytesPerClip / 1000),
  /** Picks the default byte bound holds. */
  clipsInDefaultBound: bytesPerClip === 0 ? 0 : Math.floor(PICK_CLIP_DEFAULTS.maxBytes / bytesPerClip),
  clipStartMsMean: ms(withClips.startMs.reduce((a, b) => a + b, 0) / Math.max(1, withClips.startMs.length)),
  /** The frame path's extra main-thread time, per clip stored (mostly its one transaction and disk sync). */
  msPerClip: ms((withClips.frameMsTotal - without.frameMsTotal) / Math.max(1, withClips.clips)),
  /** Extra main-thread time (clip starts and writes) as a share of one core, %. */
  coreSharePct:
    Math.round(
      ((withClips.frameMsTotal - without.frameMsTotal + withClips.startMs.reduce((a, b) => a + b, 0)) /
        (SECONDS * 1000)) *
        10_000,
    ) / 100,
  framePathWithout: calls(without),
  framePathWithClips: calls(withClips),
};

const pad = (s: string | number, w: number) => String(s).padEnd(w);
console.log(`${pad('frame path (ms a call)', 26)}${pad('p50', 8)}${pad('p99', 8)}${pad('p99.9', 8)}max`);
for (const [name, c] of [
  ['no picks', result.framePathWithout],
  [`a pick every ${PICK_EVERY_MS} ms`, result.framePathWithClips],
] as const)
  console.log(`${pad(name, 26)}${pad(c.p50, 8)}${pad(c.p99, 8)}${pad(c.p999, 8)}${c.max}`);
console.log(
  `clips ${result.clips}, ${result.framesPerClip} frames and ${result.kbPerClip} KB each (${result.meanFrameKB} KB a frame); ` +
    `the default ${PICK_CLIP_DEFAULTS.maxBytes / 1e9} GB holds ${result.clipsInDefaultBound}`,
);
console.log(
  `main thread: ${result.clipStartMsMean} ms to start a clip, ${result.msPerClip} ms to store one; ` +
    `${result.coreSharePct} % of a core`,
);
if (values.json) console.log(JSON.stringify(result));
