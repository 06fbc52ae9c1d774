// Where every simulated person is over time, derived from a scenario alone (deterministic from its seed):
// in through the entry gate, along aisles at ~1.2 m/s to each lane they act on, standing there with the arm
// reaching during the action, out through the exit gate. Companions on a party code walk alongside.
import type { Random } from '../../shared/random.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { Scenario } from '../scenario/scenario-schema.ts';
import { deriveRandom } from '../world/derived-random.ts';
import { type Appearance, drawAppearance } from './appearance.ts';
import { type FloorPlanner, laneAccess, type Point, shelfAxes } from './floor-planner.ts';

export interface Keyframe {
  t: number;
  x: number;
  y: number;
}

export interface ReachInterval {
  t0: number;
  t1: number;
  /** Where the hand ends up (inside the shelf face). */
  hand: Point;
}

export interface PersonPlan {
  /** `<shopper>` for the scanner, `<shopper>#<k>` for the k-th companion. */
  id: string;
  shopperId: string;
  appearance: Appearance;
  /** Times in ms relative to scenario start; position is linear between keyframes. */
  keyframes: Keyframe[];
  reaches: ReachInterval[];
  /**
   * By script index: when the action really happens (ms from scenario start) — its `at`, or later when the
   * walk there takes longer. Picks and put-backs: the moment the hand is in the lane.
   */
  actionTimes: number[];
  /** Facing while standing still (radians), by keyframe index where a stand begins. */
  facing: Map<number, number>;
}

export interface Pose {
  x: number;
  y: number;
  heading: number;
  /** Hand position while the arm is out (extended towards the shelf by `reach`). */
  hand: Point | undefined;
  /** 0 → 1 while the arm extends and returns. */
  reach: number;
  /** False before entering and after leaving the floor. */
  onFloor: boolean;
}

// Exported for the scenario generator (simulators/scenario/visit-schedule.ts), which times scripts so that
// nobody has to hurry or be late.
/** The hand is in the lane this long after the reach starts. */
export const REACH_BEFORE_MS = 250;
/** ...and out again this long after that. */
export const REACH_AFTER_MS = 950;
/** Standing still after the arm is back, before walking on. */
export const LEAVE_AFTER_MS = 300;
/** Standing at the spot at least this long before an action (or a scan at the exit) starts. */
export const SETTLE_MS = 200;
/** A gate scan: the wait at the scanner, then the walk through the gate (entry: to the lobby). */
export const SCAN_WAIT_MS = 300;
export const GATE_WALK_MS = 2500;
export const COMPANION_LAG_MS = 900;
/** People stand this far inside a gate after passing it (and before scanning out). */
export const LOBBY_DEPTH_M = 1.8;
const KEEP_RIGHT_M = 0.25;
export const STEP_BACK_M = 0.6;
/** Each shopper's own walking pace, m/s: `min` + uniform × `spread` (1.05–1.35, a relaxed shopping walk). */
export const PACE_MPS = { min: 1.05, spread: 0.3 } as const;

/** Unit vector from a gate into the store: away from the nearest wall. */
export function inwardOf(floor: { widthM: number; depthM: number }, gate: Point): Point {
  const { widthM, depthM } = floor;
  const d = [
    { d: gate.y, v: { x: 0, y: 1 } },
    { d: depthM - gate.y, v: { x: 0, y: -1 } },
    { d: gate.x, v: { x: 1, y: 0 } },
    { d: widthM - gate.x, v: { x: -1, y: 0 } },
  ].sort((a, b) => a.d - b.d);
  return d[0]?.v ?? { x: 0, y: 1 };
}

class PlanBuilder {
  readonly keyframes: Keyframe[] = [];
  readonly facing = new Map<number, number>();
  constructor(private readonly speed: number) {}
  get last(): Keyframe {
    const k = this.keyframes[this.keyframes.length - 1];
    if (k === undefined) throw new Error('plan has no start');
    return k;
  }
  at(t: number, p: Point): void {
    this.keyframes.push({ t, x: p.x, y: p.y });
  }
  /** Walks the path, arriving no later than `deadline` if it can (hurrying up to 3 m/s). */
  walk(path: Point[], deadline: number): void {
    const start = this.last;
    const pts = keepRight(path);
    let length = 0;
    for (let i = 1; i < pts.length; i++) length += dist(pts[i - 1] as Point, pts[i] as Point);
    const room = deadline - start.t;
    const v = room > 0 ? Math.min(3, Math.max(this.speed, length / (room / 1000))) : 3;
    let t = start.t;
    for (let i = 1; i < pts.length; i++) {
      t += (dist(pts[i - 1] as Point, pts[i] as Point) / v) * 1000;
      this.at(t, pts[i] as Point);
    }
  }
  stay(until: number, facing?: number): void {
    const last = this.last;
    if (until <= last.t) return;
    if (facing !== undefined) this.facing.set(this.keyframes.length - 1, facing);
    this.at(until, last);
  }
}

const dist = (a: Point, b: Point) => Math.hypot(b.x - a.x, b.y - a.y);

/** Shifts interior corners of a path to the walker's right, so people meeting in an aisle pass each other. */
function keepRight(path: Point[]): Point[] {
  return path.map((p, i) => {
    const a = path[i - 1];
    const b = path[i + 1];
    if (a === undefined || b === undefined) return p;
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const n = Math.hypot(dx, dy) || 1;
    return { x: p.x - (dy / n) * KEEP_RIGHT_M, y: p.y + (dx / n) * KEEP_RIGHT_M };
  });
}

/** Plans every person of a scenario: one per shopper plus companions for parties. */
export function planScenario(scenario: Scenario, store: StoreIndex, planner: FloorPlanner): PersonPlan[] {
  const plans: PersonPlan[] = [];
  for (const shopper of scenario.shoppers) {
    for (let k = 0; k < shopper.party; k++) {
      const random = deriveRandom(scenario.seed, `vision:${shopper.id}:${k}`);
      // people waiting at a gate stand side by side, not on the same spot
      const spread = ((plans.length * 0.55) % 1.5) - 0.6;
      plans.push(planPerson(shopper.id, k, shopper.script, store, planner, random, spread));
    }
  }
  // look-alikes copy the colours after every draw, so nobody else's appearance or motion changes
  for (const shopper of scenario.shoppers) {
    const source = lookAlikeSource(scenario, shopper.id);
    const plan = plans.find((p) => p.id === shopper.id);
    const original = plans.find((p) => p.id === source);
    if (source === undefined || plan === undefined || original === undefined) continue;
    const { top, head, skin } = original.appearance;
    plan.appearance = { ...plan.appearance, top: [...top], head: [...head], skin: [...skin] };
  }
  return plans;
}

/**
 * Whose clothing, hair and skin the shopper (the one who scanned) wears: `looksLike` followed to the end of
 * the chain (a → b → c: a looks like c). Undefined without `looksLike` or on a cycle (the loader rejects those).
 */
export function lookAlikeSource(scenario: Scenario, shopperId: string): string | undefined {
  const byId = new Map(scenario.shoppers.map((s) => [s.id, s]));
  const seen = new Set([shopperId]);
  let source = byId.get(shopperId)?.looksLike;
  while (source !== undefined) {
    const next = byId.get(source)?.looksLike;
    if (next === undefined) return source;
    if (seen.has(source)) return undefined;
    seen.add(source);
    source = next;
  }
  return undefined;
}

function planPerson(
  shopperId: string,
  member: number,
  script: Scenario['shoppers'][number]['script'],
  store: StoreIndex,
  planner: FloorPlanner,
  random: Random,
  spread: number,
): PersonPlan {
  const appearance = drawAppearance(random);
  // a party walks at its leader's pace (same stream draw for every member), each member a step behind
  const pace = deriveRandom(0, `pace:${shopperId}`).next();
  random.next();
  const b = new PlanBuilder(PACE_MPS.min + pace * PACE_MPS.spread);
  const reaches: ReachInterval[] = [];
  const actionTimes: number[] = [];
  const lag = member * COMPANION_LAG_MS;
  const side = member === 0 ? 0 : (member % 2 === 1 ? 1 : -1) * 0.6 * Math.ceil(member / 2);
  let stepBack: Point | undefined;
  for (const [i, action] of script.entries()) {
    const at = action.at * 1000;
    const next = script[i + 1];
    actionTimes[i] = at;
    if (action.do === 'hand-over') continue;
    if (action.do === 'enter' || action.do === 'exit') {
      const gate = store.gateById.get(action.gate);
      if (gate === undefined) continue;
      const move = { at, lag, spread, stepBack, nextAtMs: next === undefined ? undefined : next.at * 1000 };
      const scanAt = walkThroughGate(b, action.do, gate.position, store, planner, move);
      if (scanAt !== undefined) actionTimes[i] = scanAt;
      stepBack = undefined;
      continue;
    }
    if (!('lane' in action)) continue;
    const found = store.laneById.get(action.lane);
    if (found === undefined) continue;
    const acting = action.member === member;
    const standLane = 'standAt' in action ? store.laneById.get(action.standAt) : undefined;
    const { reach } = laneAccess(found.shelf, found.lane);
    const { stand } = laneAccess(found.shelf, (acting ? standLane?.lane : undefined) ?? found.lane);
    const { face, along } = shelfAxes(found.shelf);
    // the one acting stands at the lane; the rest of the party a step aside
    const offset = acting ? 0 : side === 0 ? (action.member === 0 ? 0.6 : -0.6) : side;
    const spot = { x: stand.x + along.x * offset, y: stand.y + along.y * offset };
    // step back from the shelf before walking off and come in square to it: people pass behind those
    // standing at a shelf instead of through them
    const approach = { x: spot.x + face.x * STEP_BACK_M, y: spot.y + face.y * STEP_BACK_M };
    const from = stepBack === undefined ? b.last : { x: b.last.x + stepBack.x, y: b.last.y + stepBack.y };
    const head = stepBack === undefined ? [] : [b.last];
    b.walk([...head, ...planner.path(from, approach), spot], at - REACH_BEFORE_MS - SETTLE_MS);
    stepBack = { x: face.x * STEP_BACK_M, y: face.y * STEP_BACK_M };
    // a script that leaves too little time to walk there: the reach happens on arrival
    const reachT0 = Math.max(at - REACH_BEFORE_MS, b.last.t + SETTLE_MS);
    const reachT1 = reachT0 + REACH_BEFORE_MS + REACH_AFTER_MS;
    const lingerMs = action.do === 'linger' ? action.forS * 1000 : 0;
    const leaveAt = reachT1 + LEAVE_AFTER_MS + lingerMs;
    actionTimes[i] = reachT0 + REACH_BEFORE_MS;
    b.stay(leaveAt, Math.atan2(-face.y, -face.x));
    if (acting && action.do !== 'linger') reaches.push({ t0: reachT0, t1: reachT1, hand: reach });
    // idle while the next action is far off: browse where we stand
    if (next !== undefined && next.at * 1000 - leaveAt > 20_000) b.stay(next.at * 1000 - 15_000);
  }
  return {
    id: memberId(shopperId, member),
    shopperId,
    appearance,
    keyframes: b.keyframes,
    facing: b.facing,
    reaches,
    actionTimes,
  };
}

/**
 * Through a gate: in from outside to the lobby, or out from where the person is to the lobby and outside.
 * Returns when an exit scan really happens (on arrival when the script leaves too little time to walk there).
 */
function walkThroughGate(
  b: PlanBuilder,
  kind: 'enter' | 'exit',
  gatePosition: Point,
  store: StoreIndex,
  planner: FloorPlanner,
  move: {
    at: number;
    lag: number;
    spread: number;
    stepBack: Point | undefined;
    nextAtMs: number | undefined;
  },
): number | undefined {
  const { at, lag, spread, stepBack, nextAtMs } = move;
  const inward = inwardOf(store.config.floor, gatePosition);
  const outside = { x: gatePosition.x - inward.x, y: gatePosition.y - inward.y };
  const lobby = {
    x: gatePosition.x + inward.x * LOBBY_DEPTH_M + inward.y * spread,
    y: gatePosition.y + inward.y * LOBBY_DEPTH_M + inward.x * spread,
  };
  if (kind === 'enter') {
    // coming back after an exit: walk round outside from the exit to the entry
    if (b.keyframes.length === 0) b.at(0, outside);
    else b.walk([b.last, outside], at);
    b.stay(at + SCAN_WAIT_MS + lag);
    b.walk([outside, gatePosition, lobby], at + SCAN_WAIT_MS + lag + GATE_WALK_MS);
    return undefined;
  }
  const from = stepBack === undefined ? b.last : { x: b.last.x + stepBack.x, y: b.last.y + stepBack.y };
  const head = stepBack === undefined ? [] : [b.last];
  b.walk([...head, ...planner.path(from, lobby)], at - SETTLE_MS + lag);
  // a script that leaves too little time to walk to the exit: the scan happens on arrival
  const scanAt = Math.max(at, b.last.t + SETTLE_MS - lag);
  b.stay(scanAt + SCAN_WAIT_MS + lag);
  b.walk([lobby, gatePosition, outside], scanAt + GATE_WALK_MS + lag);
  b.stay(nextAtMs === undefined ? at + 60_000 : Math.max(b.last.t, nextAtMs - 3000));
  return scanAt;
}

/** Id of a party member's plan: the shopper for the one who scanned, `<shopper>#<k>` for companions. */
export function memberId(shopperId: string, member: number): string {
  return member === 0 ? shopperId : `${shopperId}#${member}`;
}

/** The person's pose at `t` ms from scenario start. */
export function poseAt(plan: PersonPlan, t: number, floor: { widthM: number; depthM: number }): Pose {
  const ks = plan.keyframes;
  let i = 0;
  while (i < ks.length - 2 && (ks[i + 1] as Keyframe).t <= t) i++;
  const a = ks[i] as Keyframe;
  const b = ks[i + 1] ?? a;
  const span = b.t - a.t;
  const f = span > 0 ? Math.min(1, Math.max(0, (t - a.t) / span)) : 1;
  const x = a.x + (b.x - a.x) * f;
  const y = a.y + (b.y - a.y) * f;
  let heading = plan.facing.get(i);
  if (heading === undefined) {
    const moving = Math.hypot(b.x - a.x, b.y - a.y) > 1e-6;
    const prev = ks[i - 1];
    heading = moving
      ? Math.atan2(b.y - a.y, b.x - a.x)
      : prev !== undefined
        ? (plan.facing.get(i - 1) ?? Math.atan2(a.y - prev.y, a.x - prev.x))
        : Math.PI / 2;
  }
  let hand: Point | undefined;
  let reach = 0;
  for (const r of plan.reaches) {
    if (t >= r.t0 && t <= r.t1) {
      const u = (t - r.t0) / (r.t1 - r.t0);
      reach = Math.min(1, Math.min(u, 1 - u) * 4);
      hand = { x: x + (r.hand.x - x) * reach, y: y + (r.hand.y - y) * reach };
      heading = Math.atan2(r.hand.y - y, r.hand.x - x);
    }
  }
  const onFloor = x >= 0 && y >= 0 && x <= floor.widthM && y <= floor.depthM && t >= (ks[0]?.t ?? 0);
  return { x, y, heading, hand, reach, onFloor };
}
