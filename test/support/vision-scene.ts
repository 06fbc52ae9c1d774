// The scene the vision integration suites track: one shopper (or a party) walking in through G-IN of the
// sample store and on along the aisles, rendered by the camera emulators at real speed (5 fps, no drops) and
// published over MQTT; the suites differ only in how the edge's vision stage gets the frames' detections.
import pino from 'pino';
import type { VisionStage } from '../../edge/vision/vision-stage.ts';
import type { AuthByUsername } from '../../shared/broker/broker-credentials.ts';
import { systemClock } from '../../shared/clock.ts';
import { indexStore, loadStoreConfig } from '../../shared/store-config.ts';
import { parseScenario } from '../../simulators/scenario/scenario-loader.ts';
import { CameraRig } from '../../simulators/vision/camera-emulator.ts';
import { planScenario } from '../../simulators/vision/motion-plan.ts';
import { visionPlanner } from '../../simulators/vision/scenario-frames.ts';

export const visionStore = loadStoreConfig('stores/sample-store.json');
export const visionStoreIndex = indexStore(visionStore);
export const visionLogger = pino({ level: 'warn' });

export interface WalkIn {
  /** Scenario name. */
  name: string;
  /** The shopper's id; their session is `session-<shopper>`. */
  shopper: string;
  seed: number;
  /** People on the floor behind the one scan (default 1). */
  party?: number;
  /** When the shopper leaves (scenario seconds): long enough that every wait of the suite ends first. */
  exitAtS: number;
}

/** The camera emulators for a walk-in, on the broker at `mqttUrl` (with each camera's login when it has them). */
export function walkInCameras(mqttUrl: string, walkIn: WalkIn, auth?: AuthByUsername): CameraRig {
  return new CameraRig({
    store: visionStoreIndex,
    mqttUrl,
    clock: systemClock,
    speed: 1,
    fps: 5,
    dropRate: 0,
    seed: walkIn.seed,
    logger: visionLogger,
    ...(auth === undefined ? {} : { auth }),
  });
}

/**
 * Starts the cameras on the walk-in and tells the stage the gate admitted the shopper at G-IN 200 ms in, as the
 * edge does on an entry scan. Returns the session id the shopper's track is bound to.
 */
export async function playWalkIn(rig: CameraRig, stage: VisionStage, walkIn: WalkIn): Promise<string> {
  const party = walkIn.party ?? 1;
  const scenario = parseScenario(
    {
      name: walkIn.name,
      store: 'x',
      seed: walkIn.seed,
      shoppers: [
        {
          id: walkIn.shopper,
          ...(party === 1 ? {} : { party }),
          script: [
            { at: 0.2, do: 'enter' },
            { at: walkIn.exitAtS, do: 'exit' },
          ],
        },
      ],
    },
    visionStore,
  );
  await rig.start();
  const startTs = systemClock.now();
  rig.setScene(planScenario(scenario, visionStoreIndex, visionPlanner(visionStore)), startTs);
  const sessionId = `session-${walkIn.shopper}`;
  stage.entered(sessionId, 'G-IN', 1, startTs + 200);
  return sessionId;
}
