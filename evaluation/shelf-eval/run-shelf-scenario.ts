// Plays a generated shelf scenario in-process and deterministically: the world moves units, the load-cell
// emulator turns them into batches (faults and transport trouble included), a ShelfMonitor detects events.

import { ShelfMonitor } from '../../edge/shelves/shelf-monitor.ts';
import type { Random } from '../../shared/random.ts';
import type { SensorState } from '../../shared/schemas/lane-stock.ts';
import type { LoadCellBatch } from '../../shared/schemas/load-cell-batch.ts';
import type { DetectedShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import { LoadCellEmulator } from '../../simulators/devices/load-cell-emulator.ts';
import type { NoiseProfile } from '../../simulators/devices/noise-profiles.ts';
import { deriveRandom } from '../../simulators/world/derived-random.ts';
import { StoreWorld } from '../../simulators/world/store-world.ts';
import type { ShelfScript, TruthEvent } from './shelf-script.ts';
import { isWeightAmbiguous } from './truth-ambiguity.ts';

export interface ScenarioRun {
  truth: TruthEvent[];
  detected: DetectedShelfEvent[];
  /** Health changes the monitor reported, in order. */
  health: { loadCell: string; state: SensorState }[];
  /** Actions the world refused (a lane ran empty). */
  refused: number;
  samples: number;
}

const START_TS = 1_767_225_600_000;

export function runShelfScenario(
  store: StoreIndex,
  script: ShelfScript,
  noise: NoiseProfile,
  seed: number,
  /** Sees every batch as delivered (debugging, tests). */
  tap?: (batch: LoadCellBatch) => void,
): ScenarioRun {
  const world = StoreWorld.stocked(store, deriveRandom(seed, 'world'));
  const emulator = new LoadCellEmulator({
    store,
    seed,
    noise,
    startTs: START_TS,
    laneGrams: (laneId) => world.laneGrams(laneId),
  });
  for (const { lane, fault } of script.faults) emulator.fault(lane, shiftFault(fault, START_TS));
  const detected: DetectedShelfEvent[] = [];
  const health: ScenarioRun['health'] = [];
  const monitor = new ShelfMonitor(store, {
    event: (e) => detected.push(e),
    reject: () => {},
    stock: () => {},
    health: (_shelf, loadCell, state) => health.push({ loadCell, state }),
  });
  const hands = deriveRandom(seed, 'hands');
  const transport = deriveRandom(seed, 'transport');
  const measurementSd = Math.hypot(noise.whiteSdGrams, noise.vibrationSdGrams ?? 0) * Math.sqrt(2 / 24) + 1;
  const truth: TruthEvent[] = [];
  let refused = 0;
  let samples = 0;
  /** by shelf id: a batch held back to arrive after its successor */
  const heldBack = new Map<string, LoadCellBatch>();
  const deliver = (batch: LoadCellBatch) => {
    samples += batch.cells.length * (batch.cells[0]?.grams.length ?? 0);
    tap?.(batch);
    monitor.ingest(batch.device, batch);
  };

  let nextAction = 0;
  let nextBump = 0;
  const stepMs = emulator.periodMs * emulator.samplesPerBatch;
  for (let now = START_TS; now <= START_TS + script.durationMs; now += stepMs) {
    // hands act before the samples they change are taken
    for (; nextAction < script.actions.length; nextAction++) {
      const action = script.actions[nextAction];
      if (action === undefined || START_TS + action.at >= now + stepMs) break;
      const event = playAction(action, { store, world, emulator, hands, measurementSd });
      if (event === undefined) refused++;
      else truth.push(event);
    }
    for (; nextBump < script.bumps.length; nextBump++) {
      const bump = script.bumps[nextBump];
      if (bump === undefined || START_TS + bump.at >= now + stepMs) break;
      emulator.bump(bump.lane, START_TS + bump.at, hands);
    }
    for (const batch of emulator.produceDue(now + stepMs)) {
      const held = heldBack.get(batch.device);
      if (held !== undefined) {
        heldBack.delete(batch.device);
        deliver(batch);
        deliver(held);
        continue;
      }
      if (transport.next() < script.transport.reorder) {
        heldBack.set(batch.device, batch);
        continue;
      }
      deliver(batch);
      if (transport.next() < script.transport.duplicate) deliver(batch);
    }
  }
  return { truth, detected, health, refused, samples };
}

interface ActionPlay {
  store: StoreIndex;
  world: StoreWorld;
  emulator: LoadCellEmulator;
  hands: Random;
  /** sd of a weight change as the detector measures it, grams */
  measurementSd: number;
}

/** A hand picks or puts back in the world and on the load cells; what really happened, or undefined if refused. */
function playAction(action: ShelfScript['actions'][number], play: ActionPlay): TruthEvent | undefined {
  const { store, world, emulator, hands, measurementSd } = play;
  const at = START_TS + action.at;
  const laneInfo = store.laneById.get(action.lane);
  const before = world.laneUnits(action.lane).map((u) => u.sku);
  const moved =
    action.kind === 'pick'
      ? world.pick(action.shopper, action.lane, action.count)
      : world.putBack(action.shopper, action.lane, action.count, action.sku);
  if (!moved.ok || laneInfo === undefined) return undefined;
  const delta = action.kind === 'pick' ? -moved.grams : moved.grams;
  const hand = emulator.interact(action.lane, at, delta, hands, action.style);
  const lanes = laneInfo.shelf.lanes;
  const i = lanes.findIndex((l) => l.id === action.lane);
  const many = (sku: string | undefined) => ({ sku, maxCount: 12 });
  const one = (sku: string | undefined) => ({ sku, maxCount: 1 });
  const plausible =
    action.kind === 'pick'
      ? [many(laneInfo.lane.sku), ...before.map(many)]
      : [many(laneInfo.lane.sku), one(lanes[i - 1]?.sku), one(lanes[i + 1]?.sku), many(moved.sku)];
  return {
    kind: action.kind,
    shelf: laneInfo.shelf.id,
    lane: action.lane,
    sku: moved.sku,
    count: action.count,
    grams: moved.grams,
    startTs: hand.startTs,
    changeTs: hand.changeTs,
    endTs: hand.endTs,
    ambiguous: isWeightAmbiguous(store, moved.sku, action.count, plausible, measurementSd, moved.grams),
  };
}

function shiftFault(fault: ShelfScript['faults'][number]['fault'], by: number) {
  switch (fault.kind) {
    case 'tare-jump':
      return { ...fault, atTs: fault.atTs + by };
    case 'temperature':
      return { ...fault, fromTs: fault.fromTs + by };
    default:
      return {
        ...fault,
        fromTs: fault.fromTs + by,
        ...(fault.untilTs === undefined ? {} : { untilTs: fault.untilTs + by }),
      };
  }
}
