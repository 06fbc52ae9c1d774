// Timers injected beside the Clock: real ones in a store, virtual ones in a lockstep run, where they fire in
// time order as the run advances its clock, so a decision taken on a timer is the same on every machine.
import type { Clock } from './clock.ts';

/** Stops a timer; calling it twice is harmless. */
export type CancelTimer = () => void;

export interface Timers {
  /** Calls `fn` every `ms` from now until cancelled. */
  every(ms: number, fn: () => void): CancelTimer;
  /** Calls `fn` once, `ms` from now, unless cancelled first. */
  after(ms: number, fn: () => void): CancelTimer;
}

/** Wall-clock timers (setInterval / setTimeout). */
export const systemTimers: Timers = {
  every(ms, fn) {
    const handle = setInterval(fn, ms);
    return () => clearInterval(handle);
  },
  after(ms, fn) {
    const handle = setTimeout(fn, ms);
    return () => clearTimeout(handle);
  },
};

interface VirtualTimer {
  dueTs: number;
  /** Order of creation: timers due at the same time fire in the order they were set. */
  seq: number;
  /** Undefined for a one-shot timer. */
  periodMs: number | undefined;
  fn: () => void;
}

/**
 * Virtual time: a clock that moves only when `advanceTo` is called, and timers that fire in (due time, creation)
 * order as it moves, with the clock reading each timer's due time while it runs.
 */
export class SteppedTime implements Clock, Timers {
  private current: number;
  private seq = 0;
  /** Pending timers, unordered (a handful at a time; sorted when due). */
  private readonly timers = new Set<VirtualTimer>();

  constructor(originTs: number) {
    this.current = originTs;
  }

  now(): number {
    return this.current;
  }

  every(ms: number, fn: () => void): CancelTimer {
    if (!(ms > 0)) throw new RangeError(`a repeating timer needs a period > 0 ms, got ${ms}`);
    return this.add(ms, ms, fn);
  }

  after(ms: number, fn: () => void): CancelTimer {
    return this.add(Math.max(0, ms), undefined, fn);
  }

  /** Due time of the next timer, or undefined when none is set. */
  nextTimerTs(): number | undefined {
    let next: number | undefined;
    for (const t of this.timers) if (next === undefined || t.dueTs < next) next = t.dueTs;
    return next;
  }

  /** Moves the clock to `ts`, firing every timer due on the way in order. Time never goes back. */
  advanceTo(ts: number): void {
    for (;;) {
      const due = this.nextDue(ts);
      if (due === undefined) break;
      this.current = Math.max(this.current, due.dueTs);
      if (due.periodMs === undefined) {
        this.timers.delete(due);
      } else {
        due.dueTs += due.periodMs;
        due.seq = this.seq++;
      }
      due.fn();
    }
    this.current = Math.max(this.current, ts);
  }

  private nextDue(ts: number): VirtualTimer | undefined {
    let best: VirtualTimer | undefined;
    for (const t of this.timers) {
      if (t.dueTs > ts) continue;
      if (best === undefined || t.dueTs < best.dueTs || (t.dueTs === best.dueTs && t.seq < best.seq))
        best = t;
    }
    return best;
  }

  private add(delayMs: number, periodMs: number | undefined, fn: () => void): CancelTimer {
    const timer: VirtualTimer = { dueTs: this.current + delayMs, seq: this.seq++, periodMs, fn };
    this.timers.add(timer);
    return () => {
      this.timers.delete(timer);
    };
  }
}
