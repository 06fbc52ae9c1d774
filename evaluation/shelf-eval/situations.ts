// Shelf situations from issue #3, each a seeded generator of a scenario on the evaluation store
// (evaluation/shelf-eval/eval-store.ts): what shoppers do, which lanes get knocked, which cells fail.
import type { Random } from '../../shared/random.ts';
import type { StoreConfig } from '../../shared/store-config.ts';
import type { ShelfAction, ShelfScript } from './shelf-script.ts';

/** Scenario time before the first action: the detectors learn each cell's level and noise. */
const WARM_UP_MS = 3000;
/** Time between episodes: every interaction has settled before the next begins. */
const EPISODE_MS = 4000;
/** Episodes per scenario. */
const EPISODES = 8;

interface Build {
  random: Random;
  store: StoreConfig;
  actions: ShelfAction[];
  bumps: ShelfScript['bumps'];
  faults: ShelfScript['faults'];
  transport: ShelfScript['transport'];
}

type Episode = (b: Build, at: number, episode: number) => void;

const lanesOf = (b: Build, shelf: number) => (b.store.shelves[shelf]?.lanes ?? []).map((l) => l.id);
const laneAt = (b: Build, shelf: number, index: number) => lanesOf(b, shelf)[index] as string;
/** A lane of a distinct-product shelf (0 or 2). */
const anyDistinctLane = (b: Build) => laneAt(b, b.random.next() < 0.5 ? 0 : 2, b.random.int(0, 7));
const jitter = (b: Build, ms: number) => Math.round(b.random.next() * ms);

function pick(b: Build, at: number, lane: string, count = 1, shopper = 'a', style?: ShelfAction['style']) {
  b.actions.push({ at, shopper, kind: 'pick', lane, count, ...(style ? { style } : {}) });
}
function putBack(b: Build, at: number, lane: string, count = 1, shopper = 'a', sku?: string) {
  b.actions.push({ at, shopper, kind: 'put-back', lane, count, ...(sku ? { sku } : {}) });
}
const skuOf = (b: Build, laneId: string) =>
  b.store.shelves.flatMap((s) => s.lanes).find((l) => l.id === laneId)?.sku as string;

/** Every situation by name: one episode generator each. */
export const SITUATIONS: Record<string, Episode> = {
  'single-pick': (b, at) => pick(b, at + jitter(b, 300), anyDistinctLane(b)),
  'multi-pick': (b, at) => pick(b, at + jitter(b, 300), anyDistinctLane(b), b.random.int(2, 3)),
  'put-back': (b, at, n) => {
    const lane = anyDistinctLane(b);
    const shopper = `s${n}`;
    pick(b, at, lane, 1, shopper);
    putBack(b, at + 2000 + jitter(b, 300), lane, 1, shopper);
  },
  'pick-return-quick': (b, at, n) => {
    // the hand is back within a second of taking the item (the pick's signal lasts ≤ 1.2 s)
    const lane = anyDistinctLane(b);
    pick(b, at, lane, 1, `s${n}`);
    putBack(b, at + 1700 + jitter(b, 300), lane, 1, `s${n}`);
  },
  'hand-rest': (b, at, n) => {
    const lane = anyDistinctLane(b);
    pick(b, at, lane, b.random.int(1, 2), `s${n}`, 'resting');
  },
  'neighbour-bump': (b, at) => {
    const shelf = b.random.next() < 0.5 ? 0 : 2;
    const index = b.random.int(1, 6);
    pick(b, at, laneAt(b, shelf, index));
    const neighbour = laneAt(b, shelf, index + (b.random.next() < 0.5 ? -1 : 1));
    b.bumps.push({ at: at + jitter(b, 500), lane: neighbour });
  },
  'adjacent-simultaneous': (b, at) => {
    const shelf = b.random.next() < 0.5 ? 0 : 2;
    const index = b.random.int(0, 6);
    pick(b, at, laneAt(b, shelf, index), 1, 'a');
    pick(b, at + jitter(b, 300), laneAt(b, shelf, index + 1), b.random.int(1, 2), 'b');
  },
  'cross-shelf-simultaneous': (b, at) => {
    pick(b, at, laneAt(b, 0, b.random.int(0, 7)), 1, 'a');
    pick(b, at + jitter(b, 200), laneAt(b, 2, b.random.int(0, 7)), 1, 'b');
    pick(b, at + jitter(b, 200), laneAt(b, 1, b.random.int(0, 7)), 1, 'c');
  },
  'misplaced-return': (b, at, n) => {
    // shopper A puts an item back one lane off; shopper B later picks it up from there
    const shelf = b.random.next() < 0.5 ? 0 : 2;
    const index = b.random.int(0, 6);
    const [from, to] = b.random.next() < 0.5 ? [index, index + 1] : [index + 1, index];
    const fromLane = laneAt(b, shelf, from);
    pick(b, at, fromLane, 1, `a${n}`);
    putBack(b, at + 1500, laneAt(b, shelf, to), 1, `a${n}`, skuOf(b, fromLane));
    pick(b, at + 3000, laneAt(b, shelf, to), 1, `b${n}`);
  },
  'look-alike': (b, at, n) => {
    // look-alike pairs on shelf E2: lanes 0/1 (near-equal), 2/3 and 5/6 (equal)
    const [x, y] = b.random.pick([
      [0, 1],
      [2, 3],
      [5, 6],
    ] as const);
    const [from, to] = b.random.next() < 0.5 ? [x, y] : [y, x];
    const fromLane = laneAt(b, 1, from);
    pick(b, at, fromLane, 1, `a${n}`);
    if (b.random.next() < 0.5) {
      putBack(b, at + 1500, laneAt(b, 1, to), 1, `a${n}`, skuOf(b, fromLane));
      pick(b, at + 3000, laneAt(b, 1, to), 1, `b${n}`);
    } else {
      putBack(b, at + 1500, fromLane, 1, `a${n}`);
    }
  },
  'drift-temperature': (b, at, n) => {
    if (n === 0) {
      for (const laneId of [...lanesOf(b, 0), ...lanesOf(b, 2)]) {
        const gramsPerMin = (b.random.next() < 0.5 ? -1 : 1) * (20 + 40 * b.random.next());
        b.faults.push({ lane: laneId, fault: { kind: 'temperature', fromTs: 1000, gramsPerMin } });
      }
    }
    pick(b, at + jitter(b, 300), anyDistinctLane(b), b.random.int(1, 2));
  },
  'dead-sensor': (b, at, n) => {
    if (n === 0) b.faults.push({ lane: laneAt(b, 0, 3), fault: { kind: 'dead', fromTs: at + 500 } });
    pick(b, at + 1000, laneAt(b, 0, b.random.pick([0, 1, 2, 4, 5, 6, 7])));
  },
  'stuck-sensor': (b, at, n) => {
    if (n === 0) b.faults.push({ lane: laneAt(b, 2, 4), fault: { kind: 'stuck', fromTs: at + 500 } });
    pick(b, at + 1000, laneAt(b, 2, b.random.pick([0, 1, 2, 3, 5, 6, 7])));
  },
  'sensor-reset': (b, at) => {
    // a controller reset re-zeroes one cell (an instant jump), then shoppers pick, on that lane too
    const shelf = b.random.next() < 0.5 ? 0 : 2;
    const lane = laneAt(b, shelf, b.random.int(0, 7));
    const grams = (b.random.next() < 0.5 ? -1 : 1) * (150 + 1500 * b.random.next());
    b.faults.push({ lane, fault: { kind: 'tare-jump', atTs: at, grams } });
    pick(b, at + 1500 + jitter(b, 300), b.random.next() < 0.5 ? lane : anyDistinctLane(b));
  },
  'out-of-order-duplicates': (b, at) => {
    b.transport.duplicate = 0.1;
    b.transport.reorder = 0.1;
    pick(b, at + jitter(b, 300), anyDistinctLane(b), b.random.int(1, 2));
  },
};

export const SITUATION_NAMES = Object.keys(SITUATIONS);

/** Builds the scenario of one situation for one seed's random stream. */
export function generateScript(situation: string, store: StoreConfig, random: Random): ShelfScript {
  const episode = SITUATIONS[situation];
  if (episode === undefined) throw new RangeError(`unknown situation ${situation}`);
  const b: Build = {
    random,
    store,
    actions: [],
    bumps: [],
    faults: [],
    transport: { duplicate: 0, reorder: 0 },
  };
  const span =
    situation === 'misplaced-return' || situation === 'look-alike' ? EPISODE_MS + 1500 : EPISODE_MS;
  for (let n = 0; n < EPISODES; n++) episode(b, WARM_UP_MS + n * span, n);
  b.actions.sort((x, y) => x.at - y.at);
  const last = Math.max(...b.actions.map((a) => a.at), ...b.bumps.map((x) => x.at));
  return {
    situation,
    durationMs: last + EPISODE_MS,
    actions: b.actions,
    bumps: b.bumps,
    faults: b.faults,
    transport: b.transport,
  };
}
