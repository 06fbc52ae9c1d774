// Personal space in the simulated store: the plans put a party's members on one path a step apart and can send
// two shoppers to one lane, but no two bodies on the floor ever come closer than PERSONAL_SPACE_M, nobody jumps
// between frames, a hand in the shelf keeps its item, and a person alone moves exactly as planned.
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';
import { loadScenario } from '../../../../simulators/scenario/scenario-loader.ts';
import { CrowdMotion, PERSONAL_SPACE_M } from '../../../../simulators/vision/crowd-motion.ts';
import { visionPlanner } from '../../../../simulators/vision/floor-planner.ts';
import {
  type PersonPlan,
  type Pose,
  planScenario,
  poseAt,
} from '../../../../simulators/vision/motion-plan.ts';
import { scenarioEndS } from '../../../../simulators/vision/scenario-frames.ts';

const root = resolve(import.meta.dirname, '../../../..');
const store = loadStoreConfig(join(root, 'stores/sample-store.json'));
const index = indexStore(store);
const floor = store.floor;

/** A plan standing still at `x, y` facing `heading`, reaching for `hand` between 1 s and 2.2 s. */
function standing(
  id: string,
  x: number,
  y: number,
  heading: number,
  hand?: { x: number; y: number },
): PersonPlan {
  return {
    id,
    shopperId: id,
    appearance: {
      top: [0, 0, 0],
      head: [0, 0, 0],
      skin: [0, 0, 0],
      size: 1,
      carries: 'nothing',
      basket: [0, 0, 0],
    },
    keyframes: [
      { t: 0, x, y },
      { t: 10_000, x, y },
    ],
    reaches: hand === undefined ? [] : [{ t0: 1000, t1: 2200, hand }],
    actionTimes: [],
    facing: new Map([[0, heading]]),
  };
}

/** Plans of a shipped suite scenario. */
function suitePlans(file: string): PersonPlan[] {
  const { scenario } = loadScenario(join(root, 'scenarios/suite', file));
  return planScenario(scenario, index, visionPlanner(store));
}

function closestOnFloor(poses: readonly Pose[]): number {
  const on = poses.filter((p) => p.onFloor);
  let closest = Number.POSITIVE_INFINITY;
  for (const [i, a] of on.entries())
    for (const b of on.slice(i + 1)) closest = Math.min(closest, Math.hypot(a.x - b.x, a.y - b.y));
  return closest;
}

describe('CrowdMotion', () => {
  it('sets two people the plans put on one spot side by side, across their heading, each half the way', () => {
    const plans = [standing('a', 3, 3, Math.PI / 2), standing('b', 3, 3, Math.PI / 2)];
    const [a, b] = new CrowdMotion(plans, floor).posesAt(500);
    expect(Math.hypot((a?.x ?? 0) - (b?.x ?? 0), (a?.y ?? 0) - (b?.y ?? 0))).toBeCloseTo(PERSONAL_SPACE_M, 6);
    // facing +y, so they step apart along x, symmetrically about the planned spot
    expect(Math.abs((a?.y ?? 0) - 3)).toBeLessThan(1e-9);
    expect(((a?.x ?? 0) + (b?.x ?? 0)) / 2).toBeCloseTo(3, 9);
  });

  it('hands the renderer each person of the plans with the pushed pose and the planned looks', () => {
    const plans = [standing('a', 3, 3, Math.PI / 2), standing('b', 3, 3, Math.PI / 2)];
    const actors = new CrowdMotion(plans, floor).actorsAt(500);
    const poses = new CrowdMotion(plans, floor).posesAt(500);
    expect(actors.map((a) => a.id)).toEqual(['a', 'b']);
    expect(actors.map((a) => a.pose)).toEqual(poses);
    expect(actors.map((a) => a.appearance)).toEqual(plans.map((p) => p.appearance));
  });

  it('leaves a person alone, and people already apart, exactly where the plans put them', () => {
    const plans = [standing('a', 2, 2, 0), standing('b', 2.5, 2, 0)];
    const poses = new CrowdMotion(plans, floor).posesAt(500);
    expect(poses).toEqual(plans.map((p) => poseAt(p, 500, floor)));
  });

  it('keeps a reaching hand on its item while the body steps aside', () => {
    const item = { x: 3, y: 3.6 };
    const plans = [standing('a', 3, 3, Math.PI / 2, item), standing('b', 3.1, 3, Math.PI / 2)];
    // full reach 1300–1900 ms (reach = min(u, 1 − u) × 4 over 1000–2200 ms)
    const [a] = new CrowdMotion(plans, floor).posesAt(1600);
    expect(a?.reach).toBe(1);
    expect(a?.hand?.x).toBeCloseTo(item.x, 9);
    expect(a?.hand?.y).toBeCloseTo(item.y, 9);
    expect(a?.x).toBeLessThan(3);
    expect(a?.heading).toBeCloseTo(Math.atan2(item.y - (a?.y ?? 0), item.x - (a?.x ?? 0)), 9);
  });

  it('pushes nobody who is off the floor (waiting outside a gate)', () => {
    const plans = [standing('a', -0.5, 2, 0), standing('b', -0.5, 2, 0)];
    const poses = new CrowdMotion(plans, floor).posesAt(500);
    expect(poses).toEqual(plans.map((p) => poseAt(p, 500, floor)));
  });

  it.each([
    '10-family-on-one-scan.json',
    '07-same-product-same-moment.json',
    '09-four-crowded-at-one-shelf.json',
    '13-busy-hour.json',
  ])('%s: no two people on the floor closer than the personal space, nobody jumps or strays', (file) => {
    const plans = suitePlans(file);
    const end = scenarioEndS(plans) * 1000;
    const frameMs = 100;
    // the plans alone do put people closer (a party's members follow one path, shoppers share a lane)
    let plannedClosest = Number.POSITIVE_INFINITY;
    let closest = Number.POSITIVE_INFINITY;
    let fastest = 0;
    let farthest = 0;
    const crowd = new CrowdMotion(plans, floor);
    let previous = crowd.posesAt(0);
    for (let t = frameMs; t <= end; t += frameMs) {
      const poses = crowd.posesAt(t);
      const planned = plans.map((p) => poseAt(p, t, floor));
      for (let i = 0; i < poses.length; i++) {
        const [p, q, r] = [poses[i], previous[i], planned[i]];
        if (p?.onFloor && q?.onFloor)
          fastest = Math.max(fastest, Math.hypot(p.x - q.x, p.y - q.y) / (frameMs / 1000));
        if (p?.onFloor && r !== undefined) farthest = Math.max(farthest, Math.hypot(p.x - r.x, p.y - r.y));
        for (let j = i + 1; j < poses.length; j++) {
          const [a, b] = [planned[i], planned[j]];
          if (a?.onFloor && b?.onFloor)
            plannedClosest = Math.min(plannedClosest, Math.hypot(a.x - b.x, a.y - b.y));
        }
      }
      closest = Math.min(closest, closestOnFloor(poses));
      previous = poses;
    }
    expect(plannedClosest).toBeLessThan(PERSONAL_SPACE_M - 0.2);
    expect(closest).toBeGreaterThan(PERSONAL_SPACE_M - 0.02);
    // a hurried walk is 3 m/s; stepping aside adds to it between two frames, but never teleports anyone
    expect(fastest).toBeLessThan(5);
    // and people stay by their planned spot: a step aside, not across the aisle
    expect(farthest).toBeLessThan(PERSONAL_SPACE_M);
  });

  it('answers a camera asking about an earlier moment the same as it did the first time', () => {
    const plans = suitePlans('10-family-on-one-scan.json');
    const first = new CrowdMotion(plans, floor);
    const at = [12_000, 12_040, 15_000, 15_100, 20_000];
    const once = at.map((t) => first.posesAt(t));
    // far ahead (beyond the kept steps), then back
    first.posesAt(40_000);
    expect(at.map((t) => first.posesAt(t))).toEqual(once);
    expect(at.map((t) => new CrowdMotion(plans, floor).posesAt(t))).toEqual(once);
  });

  it('stops stepping when the plans end: a scene asked about an hour later answers as just after its end', () => {
    const plans = suitePlans('10-family-on-one-scan.json');
    const end = Math.max(...plans.map((p) => p.keyframes[p.keyframes.length - 1]?.t ?? 0));
    const justAfter = new CrowdMotion(plans, floor).posesAt(end + 1000);
    expect(new CrowdMotion(plans, floor).posesAt(end + 3_600_000)).toEqual(justAfter);
  });
});
