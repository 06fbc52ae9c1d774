// One behaviour run: a fresh store (broker, cloud, edge with vision when the scenario has cameras) plays the
// scenario in lockstep through the same evaluation as `npm run eval`; then each shopper's exported data gives
// the floor behaviour the cloud kept for their visits, scored against the ground truth and the motion plan.
import pino from 'pino';
import { DEFAULT_VISION } from '../../edge/vision/vision-config.ts';
import type { VisitBehaviour } from '../../shared/schemas/visit-behaviour.ts';
import { indexStore } from '../../shared/store-config.ts';
import { SteppedTime } from '../../shared/timers.ts';
import { CloudAppClient } from '../../simulators/app/cloud-app-client.ts';
import type { LoadedScenario } from '../../simulators/scenario/scenario-loader.ts';
import { SHOPPER_PASSWORD, shopperEmail } from '../../simulators/scenario/simulator.ts';
import { startStoreStack } from '../harness/store-stack.ts';
import { evaluateScenario } from '../store-eval/evaluate-scenario.ts';
import { LOCKSTEP_ORIGIN_TS } from '../store-eval/run-in-fresh-store.ts';
import { type BehaviourScore, type DerivedVisit, scoreBehaviour } from './score-behaviour.ts';
import { trueDwell } from './true-dwell.ts';

export interface BehaviourRun {
  scenario: string;
  seed: number;
  score: BehaviourScore;
  wallMs: number;
}

export async function runBehaviourScenario(loaded: LoadedScenario): Promise<BehaviourRun> {
  const started = performance.now();
  const logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });
  const time = new SteppedTime(LOCKSTEP_ORIGIN_TS);
  const stack = await startStoreStack({
    store: loaded.store,
    exceptionHoldMs: 3000,
    ...(loaded.scenario.cameras === undefined ? {} : { vision: DEFAULT_VISION }),
    lockstep: time,
    logger,
  });
  try {
    const run = await evaluateScenario(stack, loaded, {
      pace: { mode: 'lockstep', time },
      receiptWaitMs: 15_000,
      logger,
    });
    const app = new CloudAppClient(stack.cloudUrl, undefined, 60_000);
    const derived: DerivedVisit[] = [];
    for (const shopper of run.truth.shoppers.filter((s) => s.accountId !== null)) {
      const session = await app.signUpOrIn({
        email: shopperEmail(loaded.scenario.name, shopper.id, run.truth.nonce),
        password: SHOPPER_PASSWORD,
        name: shopper.id,
      });
      const response = await fetch(`${stack.cloudUrl}/v1/me/export`, {
        headers: { authorization: `Bearer ${session.token}` },
      });
      if (!response.ok) throw new Error(`export of ${shopper.id}: HTTP ${response.status}`);
      const { data } = (await response.json()) as {
        data: { behaviour: Array<{ floor: VisitBehaviour | null }>; visits: unknown[] };
      };
      for (const row of data.behaviour) derived.push({ shopper: shopper.id, floor: row.floor ?? undefined });
    }
    const store = indexStore(loaded.store);
    const score = scoreBehaviour(
      loaded.scenario,
      store,
      run.truth,
      derived,
      trueDwell(loaded.scenario, store),
    );
    return {
      scenario: loaded.scenario.name,
      seed: loaded.scenario.seed,
      score,
      wallMs: Math.round(performance.now() - started),
    };
  } finally {
    await stack.stop();
  }
}
