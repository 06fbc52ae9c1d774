// Waiting for a device time on the simulator's clock, which may run `speed` times faster than wall time.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../shared/clock.ts';

/** Resolves once `clock` reads at least `ts`; rejects with an AbortError when `signal` aborts. */
export async function sleepUntil(
  clock: Clock,
  speed: number,
  ts: number,
  signal: AbortSignal,
): Promise<void> {
  signal.throwIfAborted();
  for (let now = clock.now(); now < ts; now = clock.now()) {
    await sleep(Math.max(1, (ts - now) / speed), undefined, { signal });
  }
}

/** Scenario seconds since `startTs`, for progress lines: "[  3.02s]". */
export function scenarioStamp(clock: Clock, startTs: number): string {
  return `[${((clock.now() - startTs) / 1000).toFixed(2).padStart(7)}s]`;
}
