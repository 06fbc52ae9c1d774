// Pure: when the camera frames waiting for the tracker make one whole step. Cameras are not synchronised: each
// captures at its own moment of the frame period, so one moment of the store arrives as frames spread over a
// period. Tracked as they come, a step held one or two cameras' frames, and a shopper that camera missed (turned
// away, half behind a neighbour) while the camera beside it saw them counted as unseen where a camera looked —
// in a crowd, a close encounter that doubts both identities. So a step waits, at most about one frame period,
// for every camera that is sending: the tracker then sees what a lockstep run shows it, all views of a moment.

export interface StepGatheringSettings {
  /** A camera is waited for while its last frame arrived within this long (ms): a dark camera stops holding steps. */
  expectWithinMs: number;
  /**
   * A step waits at most this share of the shortest frame period of the cameras sending (wall ms between their
   * frames' arrivals): the first camera's next frame is due one period after its last.
   */
  maxWaitPeriods: number;
  /** The frame period assumed for a camera until two of its frames have arrived (ms; 10 fps). */
  defaultPeriodMs: number;
  /** How much of each new arrival interval goes into a camera's period (exponential average, 0–1). */
  periodSmoothing: number;
}

/**
 * `expectWithinMs` is ten periods at 10 fps: a camera gone that long is dark, not late. The wait (0.9 of a period)
 * ends before the first camera's next frame is due, so a step never holds two frames of one camera.
 */
export const STEP_GATHERING_DEFAULTS: StepGatheringSettings = {
  expectWithinMs: 1000,
  maxWaitPeriods: 0.9,
  defaultPeriodMs: 100,
  periodSmoothing: 0.2,
};

interface CameraArrivals {
  /** When its last frame arrived (ms). */
  lastAt: number;
  /** Its frame period as its arrivals show it (ms). */
  periodMs: number;
  arrivals: number;
}

export class StepGathering {
  /** by camera id */
  private readonly cameras = new Map<string, CameraArrivals>();

  constructor(private readonly settings: StepGatheringSettings = STEP_GATHERING_DEFAULTS) {}

  /** A frame of `camera` arrived at `at` (ms, any monotonic clock the caller keeps to). */
  heard(camera: string, at: number): void {
    const { defaultPeriodMs, periodSmoothing, expectWithinMs } = this.settings;
    const seen = this.cameras.get(camera);
    if (seen === undefined) {
      this.cameras.set(camera, { lastAt: at, periodMs: defaultPeriodMs, arrivals: 1 });
      return;
    }
    const interval = at - seen.lastAt;
    // a camera back after a dark spell keeps its period: the gap was no frame period
    if (interval > 0 && interval < expectWithinMs)
      seen.periodMs =
        seen.arrivals === 1 ? interval : seen.periodMs + periodSmoothing * (interval - seen.periodMs);
    seen.lastAt = at;
    seen.arrivals++;
  }

  /**
   * How long (ms) the waiting frames should wait for more before they are tracked as one step; 0 when they are
   * a step now: every camera sending has a frame waiting, a camera already sent its next one (a period passed),
   * or the first of them has waited `maxWaitPeriods` of a period. `waiting`: frames waiting, by camera.
   */
  waitLeft(waiting: ReadonlyMap<string, number>, firstArrivedAt: number, now: number): number {
    const { expectWithinMs, maxWaitPeriods } = this.settings;
    if ([...waiting.values()].some((n) => n > 1)) return 0;
    let periodMs = Number.POSITIVE_INFINITY;
    let complete = true;
    for (const [camera, seen] of this.cameras) {
      if (now - seen.lastAt > expectWithinMs) continue;
      periodMs = Math.min(periodMs, seen.periodMs);
      if ((waiting.get(camera) ?? 0) === 0) complete = false;
    }
    if (complete || !Number.isFinite(periodMs)) return 0;
    return Math.max(0, firstArrivedAt + maxWaitPeriods * periodMs - now);
  }
}
