// Plays a scenario's people through every ceiling camera at a frame rate, in simulated time: each tick yields
// the frames the cameras captured (some dropped, capture times jittered) and where everyone truly was.
// Used offline by eval:vision and the tests; the live camera emulator renders the same way.
import { Random } from '../../shared/random.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { Scenario } from '../scenario/scenario-schema.ts';
import { deriveRandom, deriveSeed } from '../world/derived-random.ts';
import { cameraView } from './camera-geometry.ts';
import { CrowdMotion } from './crowd-motion.ts';
import { EmptyViewCache } from './empty-view-cache.ts';
import { visionPlanner } from './floor-planner.ts';
import { FrameRenderer, type VisiblePerson } from './frame-renderer.ts';
import { type PersonPlan, planScenario } from './motion-plan.ts';

export interface TruthPerson {
  id: string;
  shopperId: string;
  x: number;
  y: number;
  onFloor: boolean;
  hand: { x: number; y: number } | undefined;
}

export interface CapturedFrame {
  camera: string;
  captureTs: number;
  seq: number;
  jpeg: Buffer;
  visible: VisiblePerson[];
}

export interface SceneTick {
  ts: number;
  frames: CapturedFrame[];
  truth: TruthPerson[];
}

export interface SceneOptions {
  fps: number;
  /** Share of frames a camera fails to deliver. */
  dropRate: number;
  startTs: number;
  /** Stop after this many scenario seconds (default: when the last person has left). */
  durationS?: number;
}

// the planner lives with the floor model (the scenario generator times walks with it, without the renderer)
export { visionPlanner };

export function scenarioEndS(plans: readonly PersonPlan[]): number {
  let end = 0;
  for (const p of plans) {
    const ks = p.keyframes;
    // the last keyframe only holds the person outside; the one before is when they left
    end = Math.max(end, (ks[ks.length - 2]?.t ?? 0) / 1000);
  }
  return end + 2;
}

export async function* scenarioFrames(
  scenario: Scenario,
  store: StoreIndex,
  options: SceneOptions,
): AsyncGenerator<SceneTick> {
  const config = store.config;
  const plans = planScenario(scenario, store, visionPlanner(config));
  const crowd = new CrowdMotion(plans, config.floor);
  const views = config.cameras.map(cameraView);
  const cameras = views.map(
    (v, c) =>
      new EmptyViewCache(
        new FrameRenderer(v, config),
        c,
        deriveSeed(scenario.seed, `vision:empty-view:${v.camera.id}`),
      ),
  );
  const random = deriveRandom(scenario.seed, 'vision:frames');
  const noise = new Random(scenario.seed ^ 0x5eed);
  const endS = options.durationS ?? scenarioEndS(plans);
  const periodMs = 1000 / options.fps;
  const seq = views.map(() => 0);
  for (let t = 0; t <= endS * 1000; t += periodMs) {
    const actors = crowd.actorsAt(t);
    const frames: CapturedFrame[] = [];
    for (const [c, view] of views.entries()) {
      const camera = cameras[c];
      seq[c] = (seq[c] ?? 0) + 1;
      if (camera === undefined || random.next() < options.dropRate) continue;
      const jitter = random.next() * 8;
      const { jpeg, visible } = await camera.shoot(actors, t, noise);
      frames.push({
        camera: view.camera.id,
        captureTs: options.startTs + t + jitter,
        seq: seq[c] ?? 0,
        jpeg,
        visible,
      });
    }
    const truth = actors.map((a) => {
      const plan = plans.find((p) => p.id === a.id);
      return {
        id: a.id,
        shopperId: plan?.shopperId ?? a.id,
        x: a.pose.x,
        y: a.pose.y,
        onFloor: a.pose.onFloor,
        hand: a.pose.reach >= 0.6 ? a.pose.hand : undefined,
      };
    });
    yield { ts: options.startTs + t, frames, truth };
  }
}
