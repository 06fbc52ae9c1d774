// Runs a scenario once from start to finish: devices up, scripts played, signals settled, devices down.
import type { GroundTruth } from './ground-truth.ts';
import { Simulator, type SimulatorOptions } from './simulator.ts';

export interface RunScenarioOptions extends SimulatorOptions {
  /** Device seconds the load cells keep publishing after the last action (default 3). */
  settleS?: number;
}

export async function runScenario(options: RunScenarioOptions): Promise<GroundTruth> {
  const simulator = new Simulator(options);
  await simulator.start();
  try {
    const truth = await simulator.play();
    await simulator.idle(options.settleS ?? 3);
    return { ...truth, endedAt: simulator.now() };
  } finally {
    await simulator.stop();
  }
}
