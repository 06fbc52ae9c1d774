// Time source injected into every component: real in production, simulated in scenarios and tests.
// The core never reads Date.now() itself; it is handed a Clock.

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: deterministic tests and faster-than-real-time scenarios. */
export class ManualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    this.current = ms;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** A clock that runs `speed` times faster than wall time from `origin` (scenario replay). */
export class ScaledClock implements Clock {
  private readonly wallStart: number;
  constructor(
    private readonly origin: number,
    private readonly speed: number,
    private readonly wall: Clock = systemClock,
  ) {
    this.wallStart = wall.now();
  }
  now(): number {
    return this.origin + (this.wall.now() - this.wallStart) * this.speed;
  }
}
