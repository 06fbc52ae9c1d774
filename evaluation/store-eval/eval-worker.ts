// A worker process of `npm run eval`: plays the scenario runs its parent sends (one at a time, each in a fresh
// store) and sends back their results. Lockstep runs give the same result however many workers share the cores.
import pino from 'pino';
import { loadScenario } from '../../simulators/scenario/scenario-loader.ts';
import { scenarioVariant } from '../../simulators/scenario/seed-variant.ts';
import { type FreshStoreOptions, runInFreshStore } from './run-in-fresh-store.ts';
import { scenarioResult } from './scenario-result.ts';

export interface EvalJob {
  id: number;
  file: string;
  variant: number;
  options: Omit<FreshStoreOptions, 'logger'>;
}

export type EvalJobAnswer =
  | { id: number; ok: true; result: ReturnType<typeof scenarioResult> }
  | { id: number; ok: false; error: string };

/** Plays one job in this process. */
export async function playJob(job: EvalJob): Promise<EvalJobAnswer> {
  const started = performance.now();
  try {
    const loaded = loadScenario(job.file);
    const scenario = scenarioVariant(loaded.scenario, job.variant);
    const run = await runInFreshStore(
      { ...loaded, scenario },
      { ...job.options, logger: pino({ level: process.env.LOG_LEVEL ?? 'silent' }) },
    );
    const result = scenarioResult(run, {
      family: scenario.family,
      variant: job.variant,
      seed: scenario.seed,
      wallMs: Math.round(performance.now() - started),
    });
    return { id: job.id, ok: true, result };
  } catch (err) {
    return { id: job.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
  }
}

if (process.send !== undefined) {
  const send = process.send.bind(process);
  process.on('message', (job: EvalJob) => {
    playJob(job).then(
      (answer) => send(answer),
      (err: unknown) => send({ id: job.id, ok: false, error: String(err) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
}
