import { describe, expect, it } from 'vitest';
import { Random } from '../../../../shared/random.ts';
import { loadStoreConfig } from '../../../../shared/store-config.ts';
import { cameraView } from '../../../../simulators/vision/camera-geometry.ts';
import {
  ARM_HARD_CASES,
  HARD_CASES,
  type HardCases,
  identityPool,
  randomScene,
} from '../../../../simulators/vision/training-scenes.ts';

const store = loadStoreConfig('stores/sample-store.json');
const views = store.cameras.map(cameraView);

/** Of `n` scenes drawn with `hard`, how many hands reach 0.85 m or more from their body. */
function longReaches(hard: HardCases, n: number): { hands: number; long: number } {
  const random = new Random(21);
  const identities = identityPool(30, new Random(22));
  let hands = 0;
  let long = 0;
  for (let i = 0; i < n; i++) {
    const view = views[i % views.length];
    if (view === undefined) continue;
    for (const actor of randomScene(store, view, identities, random, hard)) {
      const { hand, x, y } = actor.pose;
      if (hand === undefined) continue;
      hands++;
      if (Math.hypot(hand.x - x, hand.y - y) >= 0.85) long++;
    }
  }
  return { hands, long };
}

describe('training scenes', () => {
  it("draws the arm-owner net's mix with far more reaches into a neighbour's lane than the detector's", () => {
    const usual = longReaches(HARD_CASES, 600);
    const arm = longReaches(ARM_HARD_CASES, 600);
    expect(usual.hands).toBeGreaterThan(300);
    expect(arm.hands).toBeGreaterThan(300);
    expect(arm.long / arm.hands).toBeGreaterThan(1.5 * (usual.long / usual.hands));
  });
});
