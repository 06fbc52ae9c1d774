// Pre-generated load-cell traffic for the shelf benchmarks: a large generated store, the emulator's batches
// for a stretch of device time with picks spread over it, and when each pick's change was decided.

import type { LoadCellBatch } from '../../shared/schemas/load-cell-batch.ts';
import { indexStore, type StoreIndex } from '../../shared/store-config.ts';
import { LoadCellEmulator } from '../../simulators/devices/load-cell-emulator.ts';
import { NOISE_PROFILES } from '../../simulators/devices/noise-profiles.ts';
import { deriveRandom } from '../../simulators/world/derived-random.ts';
import { StoreWorld } from '../../simulators/world/store-world.ts';
import { benchStoreConfig } from './eval-store.ts';

export const BENCH_START_TS = 1_767_225_600_000;

export interface BenchTraffic {
  store: StoreIndex;
  /** In capture order across shelves, as the controllers would send them. */
  batches: LoadCellBatch[];
  samples: number;
  picks: number;
}

/** `seconds` of device time for `shelves` × `lanesPerShelf` lanes, with one pick per shelf every ~10 s. */
export function generateBenchTraffic(
  shelves: number,
  lanesPerShelf: number,
  seconds: number,
  seed = 7,
): BenchTraffic {
  const store = indexStore(benchStoreConfig(shelves, lanesPerShelf));
  const world = StoreWorld.stocked(store, deriveRandom(seed, 'world'));
  const emulator = new LoadCellEmulator({
    store,
    seed,
    noise: NOISE_PROFILES.standard,
    startTs: BENCH_START_TS,
    laneGrams: (laneId) => world.laneGrams(laneId),
  });
  const random = deriveRandom(seed, 'bench-picks');
  const batches: LoadCellBatch[] = [];
  let picks = 0;
  const stepMs = emulator.periodMs * emulator.samplesPerBatch;
  for (let now = BENCH_START_TS; now < BENCH_START_TS + seconds * 1000; now += stepMs) {
    for (const shelf of store.config.shelves) {
      // ~one pick per shelf every 10 s, after a 2 s warm-up
      if (now - BENCH_START_TS < 2000 || random.next() > stepMs / 10_000) continue;
      const lane = random.pick(shelf.lanes);
      const moved = world.pick('bench', lane.id, 1);
      if (!moved.ok) continue;
      emulator.interact(lane.id, now + random.next() * stepMs, -moved.grams, random);
      picks++;
    }
    batches.push(...emulator.produceDue(now + stepMs));
  }
  const samples = batches.reduce((n, b) => n + b.cells.length * (b.cells[0]?.grams.length ?? 0), 0);
  return { store, batches, samples, picks };
}
