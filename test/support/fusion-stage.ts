// A FusionStage on the sample store in stepped time, for tests: nobody inside, empty carts and decisions
// collected, unless the test says otherwise.
import { FusionStage, type FusionStageOptions } from '../../edge/fusion/fusion-stage.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import { indexStore, loadStoreConfig, type StoreIndex } from '../../shared/store-config.ts';
import { SteppedTime } from '../../shared/timers.ts';

export const sampleStore: StoreIndex = indexStore(loadStoreConfig('stores/sample-store.json'));

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
