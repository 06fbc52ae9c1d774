// The evaluation's promise: a lockstep run gives the same result on a quiet machine and on a loaded one. One
// camera scenario (two shoppers reaching across each other, then walking out) is played twice through the whole
// pipeline — the second time with both cores kept busy by other processes — and every decision, receipt line
// and receipt latency must come out identical.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import type { ScenarioRun } from '../../../evaluation/store-eval/evaluate-scenario.ts';
import { runInFreshStore } from '../../../evaluation/store-eval/run-in-fresh-store.ts';
import { scenarioResult } from '../../../evaluation/store-eval/scenario-result.ts';
import { loadScenario } from '../../../simulators/scenario/scenario-loader.ts';
import { withCameraFps } from '../../support/camera-rate.ts';
import { realMosquitto } from '../../support/services.ts';

const file = withCameraFps(loadScenario('scenarios/suite/05-two-shoppers-crossing-hands.json'), 5);
// the crossing pick and the exits only, at 5 fps: the same mechanism at a third of the cost
const loaded = {
  ...file,
  scenario: {
    ...file.scenario,
    shoppers: file.scenario.shoppers.map((s) => ({
      ...s,
      script: s.script
        .filter((a, i) => i < 2 || a.do === 'exit')
        .map((a) => (a.do === 'exit' ? { ...a, at: a.at - 12 } : a)),
    })),
  },
};
const mosquitto = realMosquitto();

/** The run as the evaluation scores it, with session ids (random per run) replaced by shopper ids. */
function comparable(run: ScenarioRun): unknown {
  const result = scenarioResult(run, { family: 'repro', variant: 0, seed: run.truth.seed, wallMs: 0 });
  const text = JSON.stringify(result).replace(
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
    (id) => run.shopperOfSession[id] ?? 'unknown-session',
  );
  return JSON.parse(text);
}

describe('lockstep evaluation', () => {
  const burners: ChildProcess[] = [];
  afterAll(() => {
    for (const b of burners) b.kill('SIGKILL');
  });

  it('gives identical results on a quiet and on a loaded machine', async () => {
    const quiet = comparable(await runInFreshStore(loaded, { mqttUrl: mosquitto.url }));
    // both cores busy with other processes while the second run plays
    for (let i = 0; i < Math.max(2, cpus().length); i++)
      burners.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
    const loadedRun = comparable(await runInFreshStore(loaded, { mqttUrl: mosquitto.url }));
    for (const b of burners) b.kill('SIGKILL');
    expect(loadedRun).toEqual(quiet);
    // and the run did real work: both visits received, decisions made with the cameras
    const r = quiet as { outcomes: unknown[]; decisions: Array<{ evidence: { vision?: boolean } | null }> };
    expect(r.outcomes).toHaveLength(2);
    expect(r.decisions.length).toBeGreaterThanOrEqual(2);
    expect(r.decisions.every((d) => d.evidence?.vision === true)).toBe(true);
  }, 600_000);
});
