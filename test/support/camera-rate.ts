// A scenario played with its ceiling cameras at another frame rate (the same drop rate): a camera suite that
// needs the mechanism, not the full rate, infers fewer frames.
import type { LoadedScenario } from '../../simulators/scenario/scenario-loader.ts';

export function withCameraFps(loaded: LoadedScenario, fps: number): LoadedScenario {
  return {
    ...loaded,
    scenario: {
      ...loaded.scenario,
      cameras: { fps, dropRate: loaded.scenario.cameras?.dropRate ?? 0.02 },
    },
  };
}
