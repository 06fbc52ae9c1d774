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

  it('draws people closer than 0.25 m, side by side and one behind the other, as parties walk', () => {
    const random = new Random(31);
    const identities = identityPool(30, new Random(32));
    let close = 0;
    let inFile = 0;
    let sideBySide = 0;
    for (let i = 0; i < 600; i++) {
      const view = views[i % views.length];
      if (view === undefined) continue;
      const actors = randomScene(store, view, identities, random);
      actors.forEach((a, k) => {
        for (const b of actors.slice(k + 1)) {
          const d = Math.hypot(a.pose.x - b.pose.x, a.pose.y - b.pose.y);
          if (d >= 0.25) continue;
          close++;
          // the angle between one's heading and the line to the other: along it in single file, across it side by side
          const along = Math.abs(
            Math.cos(Math.atan2(b.pose.y - a.pose.y, b.pose.x - a.pose.x) - a.pose.heading),
          );
          if (along > 0.8) inFile++;
          if (along < 0.6) sideBySide++;
        }
      });
    }
    expect(close).toBeGreaterThan(20);
    expect(inFile).toBeGreaterThan(5);
    expect(sideBySide).toBeGreaterThan(5);
  });
});
