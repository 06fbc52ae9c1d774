// Everyone's pose over time, with personal space: two bodies never share the floor. Each person's plan is made
// alone (a companion follows its leader's path a step behind, two shoppers can be sent to one lane, one
// shopper's path can run through the spot where another stands), so here the plans are played together in
// small fixed steps: anyone closer than PERSONAL_SPACE_M to another steps away, each half the way, and someone
// walking into another slides round them rather than pushing them along; when nothing presses, people drift
// back onto their planned path. A step depends only on the plans and the step before, so the motion is
// continuous and the same for every camera, the rendered frames and the truth they are scored against.
// A hand reaching into a shelf keeps its item: only the body moves.
import type { Point } from './floor-planner.ts';
import type { SceneActor } from './frame-renderer.ts';
import { type PersonPlan, type Pose, poseAt } from './motion-plan.ts';

/** Closest two people's centres come on the floor: a body is ~0.45 m across the shoulders, 0.25–0.3 m deep. */
export const PERSONAL_SPACE_M = 0.4;
/** Simulation step. */
const STEP_MS = 20;
/** Rounds of pairwise pushes per step: enough for three or four people pressing on one spot. */
const ROUNDS = 4;
/** Drifting back to the plan: the offset halves in about this long, and never faster than RETURN_MPS. */
const RETURN_HALF_LIFE_MS = 400;
const RETURN_MPS = 0.8;
/** How strongly someone walking into another turns aside (tangential share of the push at 1 m/s closing). */
const SIDESTEP = 1.5;
/** Steps kept for cameras asking about moments a little in the past (10 s). */
const KEPT_STEPS = 500;

type Floor = { widthM: number; depthM: number };

export class CrowdMotion {
  private readonly n: number;
  /** Offsets from the plans after each step, x then y per person: `offsets[k - base]` holds step k. */
  private offsets: Float64Array[] = [];
  private base = 0;
  /** The plans' poses at the last step taken (for planned velocities). */
  private planned: Pose[] = [];
  /** After the plans' last keyframe nobody's plan moves: the steps stop there (a long-lived scene stays cheap). */
  private readonly lastStep: number;

  constructor(
    private readonly plans: readonly PersonPlan[],
    private readonly floor: Floor,
  ) {
    this.n = plans.length;
    const endMs = Math.max(0, ...plans.map((p) => p.keyframes[p.keyframes.length - 1]?.t ?? 0));
    this.lastStep = Math.ceil(endMs / STEP_MS) + 1;
    this.restart();
  }

  /** Every person's pose at `t` ms from scenario start, in the order of the plans. */
  posesAt(t: number): Pose[] {
    const at = Math.min(t, this.lastStep * STEP_MS);
    const k = Math.max(0, Math.floor(at / STEP_MS));
    const f = Math.min(1, Math.max(0, at / STEP_MS - k));
    // asked about a moment before the kept steps (cameras ask about the last moments): play again from the start
    if (k < this.base) this.restart();
    while (this.base + this.offsets.length <= k + 1) this.advance();
    const [a, b] = [
      this.offsets[k - this.base] as Float64Array,
      this.offsets[k + 1 - this.base] as Float64Array,
    ];
    return this.plans.map((plan, i) => {
      const pose = poseAt(plan, t, this.floor);
      if (!pose.onFloor) return pose;
      const dx = (a[2 * i] as number) * (1 - f) + (b[2 * i] as number) * f;
      const dy = (a[2 * i + 1] as number) * (1 - f) + (b[2 * i + 1] as number) * f;
      return moveBody(pose, { x: pose.x + dx, y: pose.y + dy });
    });
  }

  /** Everyone at `t` ms as the renderer draws them: id, pose and looks, in the order of the plans. */
  actorsAt(t: number): SceneActor[] {
    const poses = this.posesAt(t);
    return this.plans.map((p, k) => ({ id: p.id, pose: poses[k] as Pose, appearance: p.appearance }));
  }

  private restart(): void {
    this.offsets = [new Float64Array(this.n * 2)];
    this.base = 0;
    this.planned = this.plans.map((p) => poseAt(p, 0, this.floor));
  }

  /** Takes one step; keeps the last KEPT_STEPS. */
  private advance(): void {
    const k = this.base + this.offsets.length;
    const now = this.plans.map((p) => poseAt(p, k * STEP_MS, this.floor));
    this.offsets.push(this.step(this.offsets[this.offsets.length - 1] as Float64Array, this.planned, now));
    this.planned = now;
    if (this.offsets.length > KEPT_STEPS) {
      this.offsets.shift();
      this.base++;
    }
  }

  /** Offsets where the plans are `now`, from those a step earlier (`before`, when the plans were `then`). */
  private step(before: Float64Array, then: readonly Pose[], now: readonly Pose[]): Float64Array {
    const keep = 0.5 ** (STEP_MS / RETURN_HALF_LIFE_MS);
    const at: Point[] = now.map((pose, i) => {
      const [ox, oy] = [before[2 * i] as number, before[2 * i + 1] as number];
      const o = Math.hypot(ox, oy);
      const shrink = o === 0 ? 1 : Math.max(keep, 1 - (RETURN_MPS * STEP_MS) / 1000 / o);
      return pose.onFloor ? { x: pose.x + ox * shrink, y: pose.y + oy * shrink } : { x: pose.x, y: pose.y };
    });
    const velocity = now.map((p, i) => ({
      x: ((p.x - (then[i] as Pose).x) * 1000) / STEP_MS,
      y: ((p.y - (then[i] as Pose).y) * 1000) / STEP_MS,
    }));
    for (let round = 0; round < ROUNDS; round++) {
      let pushed = false;
      for (let i = 0; i < this.n; i++) {
        for (let j = i + 1; j < this.n; j++) {
          const [a, b] = [now[i] as Pose, now[j] as Pose];
          if (!a.onFloor || !b.onFloor) continue;
          const [va, vb] = [velocity[i] as Point, velocity[j] as Point];
          const relative = { x: vb.x - va.x, y: vb.y - va.y };
          pushed = pushApart(at[i] as Point, at[j] as Point, relative, a.heading) || pushed;
        }
      }
      if (!pushed) break;
    }
    const out = new Float64Array(this.n * 2);
    for (const [i, pose] of now.entries()) {
      if (!pose.onFloor) continue;
      out[2 * i] = (at[i] as Point).x - pose.x;
      out[2 * i + 1] = (at[i] as Point).y - pose.y;
    }
    return out;
  }
}

/**
 * Moves `a` and `b` apart until they are PERSONAL_SPACE_M apart. `relative` is b's planned velocity relative to
 * a's: when the plans walk them into each other, the push turns aside (to the side b is already passing on,
 * else b's left) so they slide round each other; people standing still are pushed straight apart.
 */
function pushApart(a: Point, b: Point, relative: Point, headingA: number): boolean {
  let dx = b.x - a.x;
  let dy = b.y - a.y;
  const d = Math.hypot(dx, dy);
  if (d >= PERSONAL_SPACE_M) return false;
  if (d < 1e-6) {
    // on one spot: side by side, across a's heading
    [dx, dy] = [-Math.sin(headingA), Math.cos(headingA)];
  } else {
    [dx, dy] = [dx / d, dy / d];
  }
  const closingMps = Math.max(0, -(relative.x * dx + relative.y * dy));
  const [tx, ty] = [-dy, dx];
  const passing = relative.x * tx + relative.y * ty;
  const side = Math.abs(passing) < 0.05 ? 1 : Math.sign(passing);
  const turn = Math.min(1, closingMps) * SIDESTEP * side;
  // the part along the line between them closes the gap; the turn adds a sideways slide
  const half = (PERSONAL_SPACE_M - d) / 2;
  const ux = (dx + tx * turn) * half;
  const uy = (dy + ty * turn) * half;
  a.x -= ux;
  a.y -= uy;
  b.x += ux;
  b.y += uy;
  return true;
}

/** The pose with its body at `to`; a hand reaching to a point keeps its end point and extension. */
function moveBody(pose: Pose, to: Point): Pose {
  const dx = to.x - pose.x;
  const dy = to.y - pose.y;
  if (dx === 0 && dy === 0) return pose;
  // hand = body + (target − body) × reach, so moving the body by d moves the hand by d × (1 − reach)
  const hand =
    pose.hand === undefined
      ? undefined
      : { x: pose.hand.x + dx * (1 - pose.reach), y: pose.hand.y + dy * (1 - pose.reach) };
  const heading =
    hand !== undefined && pose.reach > 0.05 ? Math.atan2(hand.y - to.y, hand.x - to.x) : pose.heading;
  return { ...pose, x: to.x, y: to.y, hand, heading };
}
