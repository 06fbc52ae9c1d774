// The behaviour stage's tuned numbers, with their units. Chosen against the simulator's motion plans
// (simulators/vision/motion-plan.ts) and checked by `npm run eval:behaviour`: a shopper taking an item stands
// at the lane ~1.5–2 s (reach 1.2 s + settle), one lingering stands ≥ 5 s, so a linger needs 3 s.
export interface BehaviourSettings {
  /** Farthest a body may be from the shelf's front edge to be within reach of its lanes (m). The simulator's
   * shoppers stand 0.4 m out and step back 0.6 m more before walking off. */
  reachM: number;
  /** Once at a lane, the stay keeps that lane until the body is this much beyond the lane's half pitch (m):
   * tracker jitter between neighbouring lanes does not split a stay. */
  laneHysteresisM: number;
  /** Faster than this the person is walking past, not standing at the shelf (m/s). */
  standMaxSpeedMps: number;
  /** A stay shorter than this is not counted at all, not even as dwell (ms). */
  minStayMs: number;
  /** A stay at least this long without taking from the lane is a linger (ms). */
  lingerMinMs: number;
  /** A gap in the track longer than this ends a stay (ms). */
  maxGapMs: number;
  /** When the tracker reports a heading: the body faces the shelf within this angle (degrees). */
  facingToleranceDeg: number;
  /** Coarse path: one point per this many ms, positions rounded to this many metres. */
  pathEveryMs: number;
  pathGridM: number;
  /** Shelf events this close to a stay (ms) count as taken during it. */
  eventSlackMs: number;
  /** Least capture time between two positions of a track the floor heat follows (ms): 4 Hz, the rate the
   * visit tracks are kept at, so the heat and a visit see a person the same way. */
  heatSampleMs: number;
}

export const DEFAULT_BEHAVIOUR: BehaviourSettings = {
  reachM: 0.9,
  laneHysteresisM: 0.15,
  standMaxSpeedMps: 0.5,
  minStayMs: 600,
  lingerMinMs: 3000,
  maxGapMs: 1500,
  facingToleranceDeg: 60,
  pathEveryMs: 5000,
  pathGridM: 0.5,
  eventSlackMs: 1000,
  heatSampleMs: 250,
};
