// The shelf controllers' samples: batch shape and timing, and a pick seen as the settled level dropping by
// the unit's true weight after a press transient.
import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../../shared/random.ts';
import { type LoadCellBatch, LoadCellBatchSchema } from '../../../../shared/schemas/load-cell-batch.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';
import { compileValidator } from '../../../../shared/validator.ts';
import { interactionGrams, planInteraction } from '../../../../simulators/devices/hand-interaction.ts';
import { LoadCellEmulator } from '../../../../simulators/devices/load-cell-emulator.ts';
import { NOISE_PROFILES, type NoiseProfileName } from '../../../../simulators/devices/noise-profiles.ts';
import { deriveRandom } from '../../../../simulators/world/derived-random.ts';
import { StoreWorld } from '../../../../simulators/world/store-world.ts';

const store = indexStore(
  loadStoreConfig(resolve(import.meta.dirname, '../../../../stores/sample-store.json')),
);
const batchValidator = compileValidator(LoadCellBatchSchema);
const START = 1_700_000_000_000;

function setUp(seed: number, noise: NoiseProfileName) {
  const world = StoreWorld.stocked(store, deriveRandom(seed, 'world'));
  const emulator = new LoadCellEmulator({
    store,
    seed,
    noise: NOISE_PROFILES[noise],
    startTs: START,
    laneGrams: (laneId) => world.laneGrams(laneId),
  });
  return { world, emulator };
}

/** Samples of one cell with their times, from a run of batches. */
function samplesOf(batches: LoadCellBatch[], cellId: string): { ts: number; grams: number }[] {
  const out: { ts: number; grams: number }[] = [];
  for (const batch of batches) {
    const cell = batch.cells.find((c) => c.id === cellId);
    cell?.grams.forEach((g, i) => {
      if (g !== null) out.push({ ts: batch.t0 + i * batch.periodMs, grams: g });
    });
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('LoadCellEmulator', () => {
  it('closes one valid batch per shelf every 200 ms with all its cells and 12 samples each', () => {
    const { emulator } = setUp(42, 'standard');
    const batches = emulator.produceDue(START + 2000);
    expect(batches.length).toBeGreaterThanOrEqual(20 * 9);
    for (const batch of batches) {
      expect(batchValidator.check(batch).ok).toBe(true);
      const shelf = store.shelfById.get(batch.device);
      expect(batch.cells.map((c) => c.id)).toEqual(shelf?.lanes.map((l) => l.loadCell));
      for (const cell of batch.cells) expect(cell.grams).toHaveLength(12);
      expect(batch.periodMs).toBeCloseTo(1000 / 60, 9);
      expect(batch.t0 + 11 * batch.periodMs).toBeLessThanOrEqual(START + 2000 + 1e-6);
    }
    const s01 = batches.filter((b) => b.device === 'S01');
    expect(s01.map((b) => b.seq)).toEqual(s01.map((_, i) => i));
    for (let i = 1; i < s01.length; i++) {
      expect((s01[i]?.t0 ?? 0) - (s01[i - 1]?.t0 ?? 0)).toBeCloseTo(200, 2);
    }
    // Nothing is produced twice; the next call continues the sequence.
    expect(emulator.produceDue(START + 2000)).toEqual([]);
    const next = emulator.produceDue(START + 2400).filter((b) => b.device === 'S01');
    expect(next[0]?.seq).toBe(s01.length);
  });

  it('reads tare plus contents, not zeroed', () => {
    const { world, emulator } = setUp(42, 'quiet');
    const batches = emulator.produceDue(START + 1000);
    const tare = emulator.cell('S07-L06')?.tareGrams ?? 0;
    expect(tare).toBeGreaterThanOrEqual(400);
    expect(tare).toBeLessThanOrEqual(2000);
    const level = mean(samplesOf(batches, 'S07-LC06').map((s) => s.grams));
    expect(level).toBeCloseTo(tare + world.laneGrams('S07-L06'), 0);
  });

  it('shows a 1-unit pick of a ~300 g product as a press, then a drop by the unit true weight', () => {
    const { world, emulator } = setUp(42, 'standard');
    const before = emulator.produceDue(START + 3000);
    const picked = world.pick('alice', 'S07-L06', 1);
    if (!picked.ok) throw new Error(picked.reason);
    expect(picked.grams).toBeGreaterThan(290);
    expect(picked.grams).toBeLessThan(335);
    const hand = emulator.interact('S07-L06', START + 3000, -picked.grams, new Random(7));
    expect(hand.endTs - hand.startTs).toBeGreaterThanOrEqual(600);
    expect(hand.endTs - hand.startTs).toBeLessThanOrEqual(1200);
    const after = emulator.produceDue(START + 7000);
    const samples = samplesOf(after, 'S07-LC06');
    const levelBefore = mean(
      samplesOf(before, 'S07-LC06')
        .slice(-60)
        .map((s) => s.grams),
    );
    const levelAfter = mean(samples.filter((s) => s.ts > hand.endTs + 500).map((s) => s.grams));
    // Standard noise: sd 3 g per sample, averaged over ≥ 60 samples; drift over seconds is below 1 g.
    expect(levelBefore - levelAfter).toBeGreaterThan(picked.grams - 3);
    expect(levelBefore - levelAfter).toBeLessThan(picked.grams + 3);
    const duringPress = samples.filter((s) => s.ts >= hand.pressStartTs && s.ts < hand.pressEndTs);
    expect(Math.max(...duringPress.map((s) => s.grams))).toBeGreaterThan(levelBefore + 30);
    // Other lanes of the shelf do not see it.
    const neighbour = samplesOf(after, 'S07-LC05').map((s) => s.grams);
    expect(Math.max(...neighbour) - Math.min(...neighbour)).toBeLessThan(30);
  });

  it('is reproducible for a seed', () => {
    const a = setUp(9, 'noisy').emulator.produceDue(START + 1000);
    const b = setUp(9, 'noisy').emulator.produceDue(START + 1000);
    const c = setUp(10, 'noisy').emulator.produceDue(START + 1000);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe('hand interaction', () => {
  it('starts at zero, lasts 0.6–1.2 s and ends exactly at the new level', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.double({ min: -3000, max: 3000, noNaN: true }),
        (seed, delta) => {
          const hand = planInteraction(1000, delta, new Random(seed));
          const duration = hand.endTs - hand.startTs;
          expect(duration).toBeGreaterThanOrEqual(600);
          expect(duration).toBeLessThanOrEqual(1200);
          expect(hand.startTs).toBeLessThan(hand.changeTs);
          expect(hand.changeTs).toBeLessThan(hand.endTs - 50);
          expect(hand.pressGrams).toBeGreaterThanOrEqual(50);
          expect(hand.pressGrams).toBeLessThanOrEqual(300);
          expect(interactionGrams(hand, 999)).toBe(0);
          expect(interactionGrams(hand, hand.endTs)).toBe(delta);
          expect(interactionGrams(hand, hand.endTs - 0.001)).toBeCloseTo(delta, 0);
        },
      ),
    );
  });
});
