// Pure: how long before a scan at the exit a shopper could last have had a hand in each shelf. A shopper who
// scanned out stood at the scanner then, so a change on a shelf across the floor that began after they could
// have walked from it to the scanner is someone else's: their receipt need not wait for it (#13, exit → receipt
// latency: in a busy hour every receipt waited for any shelf change in progress anywhere in the store).
import type { StoreConfig } from '../../shared/store-config.ts';
import { type FloorPoint, laneReachPoint, nearestM } from '../../shared/store-geometry.ts';
import { FASTEST_WALK_MPS } from '../../shared/walking-pace.ts';

export interface WalkLimits {
  /**
   * Distance (m) no walk is needed for: an arm into the lane at one end and an arm out to the scanner at the
   * other (the straight line across the floor is shorter than any walk around shelves, so this is a bound).
   */
  slackM: number;
  /** Fastest anyone crosses the floor (m/s, shared/walking-pace.ts). Faster only makes the wait longer. */
  topSpeedMps: number;
}

export const WALK_LIMITS: WalkLimits = { slackM: 1.6, topSpeedMps: FASTEST_WALK_MPS };

/** By shelf id: the least time (ms) from a hand in any of its lanes to standing at the scanner at `at`. */
export function walkLeadsMs(
  store: Pick<StoreConfig, 'shelves'>,
  at: FloorPoint,
  limits: WalkLimits = WALK_LIMITS,
): Map<string, number> {
  const leads = new Map<string, number>();
  for (const shelf of store.shelves) {
    const nearest = nearestM(
      shelf.lanes.map((lane) => laneReachPoint(shelf, lane)),
      at,
    );
    if (!Number.isFinite(nearest)) continue;
    leads.set(shelf.id, Math.floor((Math.max(0, nearest - limits.slackM) / limits.topSpeedMps) * 1000));
  }
  return leads;
}
