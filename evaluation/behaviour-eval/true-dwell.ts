// The ground truth of dwell: from the simulator's own motion plan (where each person really stood and for how
// long), per shopper and product category — the time the scanning shopper stood still at a lane's stand spot.
// World-model geometry only; nothing of the edge's behaviour code.
import type { StoreIndex } from '../../shared/store-config.ts';
import type { Scenario } from '../../simulators/scenario/scenario-schema.ts';
import { laneAccess, visionPlanner } from '../../simulators/vision/floor-planner.ts';
import { planScenario } from '../../simulators/vision/motion-plan.ts';

/** A stand spot this close to where the person stood is the lane they stood at (m): half a lane's pitch. */
const AT_SPOT_M = 0.25;

/** by shopper id, then category: ms stood at shelves of that category (the one who scanned, not companions). */
export function trueDwell(scenario: Scenario, store: StoreIndex): Map<string, Map<string, number>> {
  const spots = store.config.shelves.flatMap((shelf) =>
    shelf.lanes.flatMap((lane) => {
      const category = lane.sku === undefined ? undefined : store.productBySku.get(lane.sku)?.category;
      return category === undefined ? [] : [{ category, ...laneAccess(shelf, lane).stand }];
    }),
  );
  const dwell = new Map<string, Map<string, number>>();
  for (const plan of planScenario(scenario, store, visionPlanner(store.config))) {
    if (plan.id !== plan.shopperId) continue;
    const byCategory = dwell.get(plan.shopperId) ?? new Map<string, number>();
    dwell.set(plan.shopperId, byCategory);
    for (let i = 0; i + 1 < plan.keyframes.length; i++) {
      const a = plan.keyframes[i];
      const b = plan.keyframes[i + 1];
      if (a === undefined || b === undefined || b.t <= a.t) continue;
      if (Math.hypot(b.x - a.x, b.y - a.y) > 1e-3) continue;
      const spot = spots.find((s) => Math.hypot(s.x - a.x, s.y - a.y) <= AT_SPOT_M);
      if (spot === undefined) continue;
      byCategory.set(spot.category, (byCategory.get(spot.category) ?? 0) + (b.t - a.t));
    }
  }
  return dwell;
}
