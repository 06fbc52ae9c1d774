// The one "store for a scenario" of the evaluation and the fusion tests: a fresh store (broker session, cloud
// schema, edge state) started for one scenario, the scenario played through it, the store stopped. Nothing of
// one run (a track, a session, an open exception) can touch the next.
import { randomBytes } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { withModelsFromEnv } from '../../edge/vision/vision-config.ts';
import { ScaledClock } from '../../shared/clock.ts';
import { SteppedTime } from '../../shared/timers.ts';
import type { LoadedScenario } from '../../simulators/scenario/scenario-loader.ts';
import { startStoreStack } from '../harness/store-stack.ts';
import { evaluateScenario, type ScenarioRun } from './evaluate-scenario.ts';

/**
 * Device time of a lockstep run's start: fixed, so lighting drift and everything else that reads the absolute
 * time is the same on every run.
 */
export const LOCKSTEP_ORIGIN_TS = Date.UTC(2026, 0, 5, 9, 0, 0);

export interface FreshStoreOptions {
  /** lockstep (reproducible; default) or realtime (wall clock, `speed` × faster). */
  mode?: 'lockstep' | 'realtime';
  speed?: number;
  /** Broker URL (e.g. Mosquitto); undefined starts an embedded aedes broker. */
  mqttUrl?: string;
  /** postgres://…; undefined uses embedded PGlite. */
  databaseUrl?: string;
  /** Edge SQLite file (default in memory). */
  edgeDbPath?: string;
  /** How long a receipt waits for staff (ms of the run's time; default 3000: nobody decides in an eval). */
  exceptionHoldMs?: number;
  /** Longest wait for the receipts after the last action (ms of the run's time; default 15 000). */
  receiptWaitMs?: number;
  logger?: Logger;
}

export async function runInFreshStore(
  loaded: LoadedScenario,
  options: FreshStoreOptions = {},
): Promise<ScenarioRun> {
  const mode = options.mode ?? 'lockstep';
  const logger = options.logger ?? pino({ level: 'silent' });
  const time = mode === 'lockstep' ? new SteppedTime(LOCKSTEP_ORIGIN_TS) : undefined;
  // a store id of its own on a shared broker: other runs' devices must not reach this edge
  const store =
    options.mqttUrl === undefined
      ? loaded.store
      : { ...loaded.store, storeId: `${loaded.store.storeId}-${randomBytes(3).toString('hex')}` };
  const stack = await startStoreStack({
    store,
    mqttUrl: options.mqttUrl,
    databaseUrl: options.databaseUrl,
    postgresSchema: options.databaseUrl === undefined ? undefined : `eval_${randomBytes(5).toString('hex')}`,
    edgeDbPath: options.edgeDbPath,
    exceptionHoldMs: options.exceptionHoldMs ?? 3000,
    // scenarios with ceiling cameras need the edge's tracking to attribute picks among several shoppers
    ...(loaded.scenario.cameras === undefined ? {} : { vision: withModelsFromEnv(process.env) }),
    lockstep: time,
    // faster than real time the devices' clock runs ahead of the edge's wall clock by design
    ...(time === undefined && (options.speed ?? 1) !== 1
      ? { deviceTimeWindow: { maxAheadMs: Number.POSITIVE_INFINITY, maxBehindMs: Number.POSITIVE_INFINITY } }
      : {}),
    logger,
  });
  try {
    const speed = options.speed ?? 1;
    return await evaluateScenario(
      stack,
      { ...loaded, store },
      {
        pace:
          time === undefined
            ? { mode: 'realtime', speed, clock: new ScaledClock(Date.now(), speed) }
            : { mode: 'lockstep', time },
        receiptWaitMs: options.receiptWaitMs ?? 15_000,
        logger,
      },
    );
  } finally {
    await stack.stop();
  }
}
