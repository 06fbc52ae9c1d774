// Stays at the shelves from one person's floor positions: a stay is a run of positions, standing still (not
// walking past), within reach of one lane. Incremental (a point at a time, per person) so the visit's batch
// derivation and the anonymous floor heat share it.
import type { BehaviourSettings } from './behaviour-settings.ts';
import type { LaneReach } from './lane-reach.ts';

export interface FloorPoint {
  /** Capture time (ms since the epoch). */
  ts: number;
  x: number;
  y: number;
  /** Where the body faces (radians from +x), when the tracker knows; absent: judged by position alone. */
  headingRad?: number;
}

export interface LaneStay {
  lane: string;
  shelf: string;
  startTs: number;
  endTs: number;
}

type StaySettings = Pick<
  BehaviourSettings,
  'laneHysteresisM' | 'standMaxSpeedMps' | 'minStayMs' | 'maxGapMs' | 'facingToleranceDeg'
>;

export class LaneStays {
  private previous: FloorPoint | undefined;
  private current: { lane: string; shelf: string; startTs: number; lastTs: number } | undefined;

  constructor(
    private readonly reach: LaneReach,
    private readonly settings: StaySettings,
  ) {}

  /** Takes the next point (in time order); returns the stay it ended, if one long enough ended. */
  push(p: FloorPoint): LaneStay | undefined {
    const prev = this.previous;
    this.previous = p;
    let ended: LaneStay | undefined;
    if (this.current !== undefined && p.ts - this.current.lastTs > this.settings.maxGapMs)
      ended = this.close(this.current.lastTs);
    const dt = prev === undefined ? 0 : p.ts - prev.ts;
    if (dt <= 0 || prev === undefined) return ended;
    const speed = (Math.hypot(p.x - prev.x, p.y - prev.y) / dt) * 1000;
    const standing = speed <= this.settings.standMaxSpeedMps;
    const at = standing
      ? this.reach.at(p.x, p.y, {
          keep: this.current?.lane,
          hysteresisM: this.settings.laneHysteresisM,
          headingRad: p.headingRad,
          facingToleranceDeg: this.settings.facingToleranceDeg,
        })
      : undefined;
    const half = Math.min(dt, this.settings.maxGapMs) / 2;
    if (this.current !== undefined && at?.lane.id === this.current.lane) {
      this.current.lastTs = p.ts;
      return ended;
    }
    // walked off or moved to another lane: the stay ended between the two points
    if (this.current !== undefined) ended = this.close(p.ts - half);
    if (at !== undefined)
      this.current = { lane: at.lane.id, shelf: at.shelf.id, startTs: p.ts - half, lastTs: p.ts };
    return ended;
  }

  /** Ends the stay in progress (the track ended). */
  flush(): LaneStay | undefined {
    const current = this.current;
    return current === undefined ? undefined : this.close(current.lastTs);
  }

  private close(endTs: number): LaneStay | undefined {
    const current = this.current;
    this.current = undefined;
    if (current === undefined || endTs - current.startTs < this.settings.minStayMs) return undefined;
    return { lane: current.lane, shelf: current.shelf, startTs: current.startTs, endTs };
  }
}
