// Real video streams for the camera-bridge tests, made and served by ffmpeg itself on loopback: a short H.264
// clip of simulator-rendered frames of one camera (a shopper walking in), an MJPEG-over-HTTP server for it
// (`-listen 1`), and an RTSP publisher pushing it to a listening RTSP address (the bridge's, or
// rtsp-relay-server.ts's, from which the bridge then pulls as from a camera). Each process is stopped by its pid.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random } from '../../shared/random.ts';
import { indexStore, type StoreConfig } from '../../shared/store-config.ts';
import { parseScenario } from '../../simulators/scenario/scenario-loader.ts';
import { conditionsAt } from '../../simulators/vision/camera-conditions.ts';
import { cameraView } from '../../simulators/vision/camera-geometry.ts';
import { CrowdMotion } from '../../simulators/vision/crowd-motion.ts';
import { FrameRenderer } from '../../simulators/vision/frame-renderer.ts';
import { planScenario } from '../../simulators/vision/motion-plan.ts';

import { visionPlanner } from '../../simulators/vision/scenario-frames.ts';

/** Undefined when ffmpeg runs; why not otherwise (CI installs it, so there it must run). */
export function ffmpegSkipReason(): string | undefined {
  const run = spawnSync('ffmpeg', ['-hide_banner', '-version']);
  if (run.status === 0) return undefined;
  if (process.env.WALKOUT_REQUIRE_SERVICES === '1')
    throw new Error('ffmpeg not found but WALKOUT_REQUIRE_SERVICES=1: apt-get install -y ffmpeg');
  console.warn('[walkout tests] camera bridge suite skipped: no ffmpeg (apt-get install -y ffmpeg)');
  return 'no ffmpeg';
}

/**
 * Renders `seconds` of what `cameraId` sees while one shopper comes in through the entry gate, at `fps`, and
 * encodes it as H.264 (a key frame every second, so a reader joining mid-stream starts within one).
 */
export async function renderClip(
  store: StoreConfig,
  cameraId: string,
  options: { seconds: number; fps: number },
): Promise<string> {
  const index = indexStore(store);
  const camera = store.cameras.find((c) => c.id === cameraId);
  if (camera === undefined) throw new Error(`no camera ${cameraId}`);
  const scenario = parseScenario(
    {
      name: 'bridge-clip',
      store: 'x',
      seed: 11,
      shoppers: [
        {
          id: 'ann',
          script: [
            { at: 0.2, do: 'enter' },
            { at: 60, do: 'exit' },
          ],
        },
      ],
    },
    store,
  );
  const plans = planScenario(scenario, index, visionPlanner(store));
  const crowd = new CrowdMotion(plans, store.floor);
  const renderer = new FrameRenderer(cameraView(camera), store);
  const random = new Random(11);
  const jpegs: Buffer[] = [];
  for (let i = 0; i < options.seconds * options.fps; i++) {
    const t = (i * 1000) / options.fps;
    const actors = crowd.actorsAt(t);
    jpegs.push((await renderer.render(actors, conditionsAt(0, t, random), random)).jpeg);
  }
  const path = join(mkdtempSync(join(tmpdir(), 'walkout-clip-')), `${cameraId}.mp4`);
  const fps = String(options.fps);
  const encode = spawnSync(
    'ffmpeg',
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-f',
      'image2pipe',
      '-framerate',
      fps,
      '-c:v',
      'mjpeg',
      '-i',
      '-',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-tune',
      'zerolatency',
      '-pix_fmt',
      'yuv420p',
      '-g',
      fps,
      path,
    ],
    { input: Buffer.concat(jpegs) },
  );
  if (encode.status !== 0) throw new Error(`ffmpeg could not encode the clip: ${encode.stderr}`);
  return path;
}

export interface StreamProcess {
  /** Kills it (SIGKILL: a camera losing power says nothing) and waits for it to be gone. */
  kill(): Promise<void>;
}

/**
 * Plays the clip in real time, looping, video only, into ffmpeg's `output` options; restarted whenever it ends
 * (200 ms later) until killed.
 */
function streamClip(clip: string, output: string[]): StreamProcess {
  return keepRunning(() => {
    const child = spawn(
      'ffmpeg',
      ['-hide_banner', '-loglevel', 'error', '-re', '-stream_loop', '-1', '-i', clip, '-an', ...output],
      { stdio: 'ignore' },
    );
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return { child, exited };
  });
}

/**
 * Serves the clip as an MJPEG stream over HTTP at `http://127.0.0.1:{port}/cam.mjpeg`. ffmpeg's HTTP server
 * takes one client and ends with it: a new server starts whenever the last one ended, until killed — as a
 * camera's stream endpoint stays up while the camera does.
 */
export function serveMjpeg(clip: string, port: number): StreamProcess {
  return streamClip(clip, [
    '-c:v',
    'mjpeg',
    '-q:v',
    '5',
    '-f',
    'mpjpeg',
    '-listen',
    '1',
    `http://127.0.0.1:${port}/cam.mjpeg`,
  ]);
}

/**
 * Pushes the clip (H.264 as encoded, no transcoding) over RTSP (ANNOUNCE/RECORD, RTP over TCP) to `url`: to a
 * bridge that listens for it, or to an RTSP server that cameras' readers pull from. Retries while nobody
 * listens there yet, until killed.
 */
export function pushRtsp(clip: string, url: string): StreamProcess {
  return streamClip(clip, ['-c:v', 'copy', '-f', 'rtsp', '-rtsp_transport', 'tcp', url]);
}

/** Restarts the process 200 ms after it ends, until killed. */
function keepRunning(start: () => { child: ChildProcess; exited: Promise<void> }): StreamProcess {
  let current = start();
  let killed = false;
  let timer: NodeJS.Timeout | undefined;
  const watch = (proc: typeof current) => {
    void proc.exited.then(() => {
      if (killed) return;
      timer = setTimeout(() => {
        current = start();
        watch(current);
      }, 200);
    });
  };
  watch(current);
  return {
    async kill() {
      killed = true;
      clearTimeout(timer);
      current.child.kill('SIGKILL');
      await current.exited;
    },
  };
}
