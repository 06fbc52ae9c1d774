// Device time for the simulator's shopper scripts: real time (a clock `speed` times faster than the wall), or
// lockstep time that moves only when a driver advances it and wakes sleeping scripts one at a time.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../../shared/clock.ts';
import type { SteppedTime } from '../../shared/timers.ts';

export interface DeviceTime extends Clock {
  /** Resolves once the device time reads at least `ts`; rejects with an AbortError when `signal` aborts. */
  sleepUntil(ts: number, signal: AbortSignal): Promise<void>;
  /** Runs one shopper's script (lockstep counts it busy until it sleeps or ends). */
  run<T>(task: () => Promise<T>): Promise<T>;
}

/** Wall-clock pacing: `clock` runs `speed` times faster than the wall. */
export class RealtimeDeviceTime implements DeviceTime {
  constructor(
    private readonly clock: Clock,
    private readonly speed: number,
  ) {}

  now(): number {
    return this.clock.now();
  }

  async sleepUntil(ts: number, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    for (let now = this.clock.now(); now < ts; now = this.clock.now()) {
      await sleep(Math.max(1, (ts - now) / this.speed), undefined, { signal });
    }
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    return task();
  }
}

interface Sleeper {
  ts: number;
  /** Order the sleep began: sleepers due at the same time wake in this order. */
  seq: number;
  wake: () => void;
}

/**
 * Lockstep pacing over a SteppedTime: scripts sleep until the driver advances the time past their wake time,
 * and wake one at a time (each runs until it sleeps again or ends), so every run plays the same.
 */
export class LockstepDeviceTime implements DeviceTime {
  private readonly sleepers: Sleeper[] = [];
  private seq = 0;
  /** Scripts running now (not asleep). */
  private busy = 0;
  private whenQuiet: Array<() => void> = [];

  constructor(private readonly time: SteppedTime) {}

  now(): number {
    return this.time.now();
  }

  sleepUntil(until: number, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    // devices stamp whole milliseconds (a scan at 12.5 ms past would be stored as a fraction downstream)
    const ts = Math.ceil(until);
    if (ts <= this.time.now()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = {
        ts,
        seq: this.seq++,
        wake: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const i = this.sleepers.indexOf(sleeper);
        if (i >= 0) this.sleepers.splice(i, 1);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.sleepers.push(sleeper);
      this.setBusy(-1);
    });
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    this.setBusy(+1);
    try {
      return await task();
    } finally {
      this.setBusy(-1);
    }
  }

  /** Earliest wake time of a sleeping script, or undefined when none sleeps. */
  nextWakeTs(): number | undefined {
    return this.nextSleeper()?.ts;
  }

  /** Wakes, one at a time, every script due at or before `ts` (the time must already read `ts`). */
  async wakeDue(ts: number): Promise<void> {
    for (let next = this.nextSleeper(); next !== undefined && next.ts <= ts; next = this.nextSleeper()) {
      this.sleepers.splice(this.sleepers.indexOf(next), 1);
      this.setBusy(+1);
      next.wake();
      await this.quiet();
    }
  }

  /** Resolves when no script is running (every one sleeps, waits on nothing else, or has ended). */
  quiet(): Promise<void> {
    if (this.busy === 0) return Promise.resolve();
    return new Promise((resolve) => this.whenQuiet.push(resolve));
  }

  private nextSleeper(): Sleeper | undefined {
    let best: Sleeper | undefined;
    for (const s of this.sleepers)
      if (best === undefined || s.ts < best.ts || (s.ts === best.ts && s.seq < best.seq)) best = s;
    return best;
  }

  private setBusy(change: number): void {
    this.busy += change;
    if (this.busy > 0) return;
    const waiting = this.whenQuiet;
    this.whenQuiet = [];
    for (const resolve of waiting) resolve();
  }
}

/** Scenario seconds since `startTs`, for progress lines: "[  3.02s]". */
export function scenarioStamp(clock: Clock, startTs: number): string {
  return `[${((clock.now() - startTs) / 1000).toFixed(2).padStart(7)}s]`;
}
