// A FusionStage on the sample store in stepped time, for tests: nobody inside, empty carts and decisions
// collected, unless the test says otherwise.
import { FusionStage, type FusionStageOptions } from '../../edge/fusion/fusion-stage.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import { indexStore, loadStoreConfig, type StoreIndex } from '../../shared/store-config.ts';
import { laneReachPoint } from '../../shared/store-geometry.ts';
import { SteppedTime } from '../../shared/timers.ts';

export const sampleStore: StoreIndex = indexStore(loadStoreConfig('stores/sample-store.json'));

/**
 * A lane of the sample store to pick at (the first shelf's third), the point a hand reaches into it at, and
 * every camera's id (a step that names them all saw the lane).
 */
export function sampleLane() {
  const shelf = sampleStore.config.shelves[0];
  const lane = shelf?.lanes[2];
  if (shelf === undefined || lane === undefined) throw new Error('the sample store has shelves with lanes');
  const cameras = sampleStore.config.cameras.map((c) => c.id);
  return { shelf, lane, reach: laneReachPoint(shelf, lane), cameras };
}

export interface SteppedFusion {
  fusion: FusionStage;
  time: SteppedTime;
  /** Every event the stage decided, in order. */
  decided: ShelfEvent[];
}

export function steppedFusion(
  startTs: number,
  options: Partial<Omit<FusionStageOptions, 'clock' | 'timers'>> = {},
): SteppedFusion {
  const time = new SteppedTime(startTs);
  const decided: ShelfEvent[] = [];
  const fusion = new FusionStage({
    store: sampleStore,
    sessions: () => [],
    holds: () => new Map(),
    decided: (event) => decided.push(event),
    ...options,
    clock: time,
    timers: time,
  });
  return { fusion, time, decided };
}
