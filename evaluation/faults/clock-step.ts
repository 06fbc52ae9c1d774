// Preloaded (`node --import`) into a fault case's processes to step their wall clock as one, the way a long
// outage looks to them without waiting for it: `Date.now()` and `new Date()` read the real time plus the
// milliseconds written in the file WALKOUT_CLOCK_STEP_FILE (polled every 100 ms). Timers are untouched, so a
// step is a jump of the calendar, as NTP stepping a clock is, never a faster clock. Never loaded in a store.
import { readFileSync } from 'node:fs';

/** How often the file is read (ms): a step reaches every process within this. */
const POLL_MS = 100;

const file = process.env.WALKOUT_CLOCK_STEP_FILE;
if (file !== undefined && file !== '') {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  let offsetMs = 0;
  const read = () => {
    try {
      const value = Number(readFileSync(file, 'utf8').trim());
      if (Number.isFinite(value)) offsetMs = value;
    } catch {
      // not written yet: no step
    }
  };
  read();
  setInterval(read, POLL_MS).unref();
  const steppedNow = () => realNow() + offsetMs;
  // a subclass, so `instanceof Date`, Date.parse and Date.UTC behave as ever; only "now" moves
  class SteppedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(steppedNow());
      else super(...(args as [string | number | Date]));
    }
    static override now(): number {
      return steppedNow();
    }
  }
  globalThis.Date = SteppedDate as DateConstructor;
}
