// The visits a fault case plays, as scenario files for the simulator: one shopper taking five items (the
// third is the 1,007 g pack of spaghetti of issue #15), spaced so a restarted edge is back before the next
// pick; a longer one whose middle picks fall inside a broker outage; three shoppers one after the other (a
// store going on while its uplink is down); and a shopper whose exit scan is lost, who comes back later.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Action =
  | { at: number; do: 'enter' }
  | { at: number; do: 'exit'; scanLost?: true }
  | { at: number; do: 'pick'; lane: string; count: number };

interface FaultShopper {
  id: string;
  name: string;
  script: Action[];
}

export interface FaultScenario {
  file: string;
  /** Lane of the pick the fault is timed against. */
  faultLane: string;
}

/** Restarting an edge (SIGKILL, 2 s, node + tsx start, broker and cloud connect) takes ~6–9 s here. */
const FIVE_PICKS: Action[] = [
  { at: 0.5, do: 'enter' },
  { at: 3, do: 'pick', lane: 'S04-L08', count: 1 },
  { at: 6, do: 'pick', lane: 'S07-L06', count: 1 },
  { at: 9, do: 'pick', lane: 'S03-L08', count: 1 },
  { at: 21, do: 'pick', lane: 'S01-L05', count: 2 },
  { at: 24, do: 'pick', lane: 'S02-L03', count: 1 },
  { at: 28, do: 'exit' },
];

/** Picks before, during (the broker is down from ~3.5 s for 30 s) and after an outage; exit after it. */
const THROUGH_AN_OUTAGE: Action[] = [
  { at: 0.5, do: 'enter' },
  { at: 3, do: 'pick', lane: 'S04-L08', count: 1 },
  { at: 9, do: 'pick', lane: 'S07-L06', count: 1 },
  { at: 15, do: 'pick', lane: 'S03-L08', count: 1 },
  { at: 21, do: 'pick', lane: 'S01-L05', count: 2 },
  { at: 27, do: 'pick', lane: 'S02-L03', count: 1 },
  { at: 42, do: 'pick', lane: 'S04-L08', count: 1 },
  { at: 47, do: 'exit' },
];

/**
 * Three shoppers one after the other, never two inside at once (the fault cases run without cameras, so
 * two shoppers inside would send a pick to staff; walking to the first lane takes ~10 s, so a visit lasts
 * ~25 s): the store goes on while its uplink is cut.
 */
const ONE_AFTER_ANOTHER: FaultShopper[] = [
  {
    id: 'alice',
    name: 'Alice Fault',
    script: [
      { at: 0.5, do: 'enter' },
      { at: 3, do: 'pick', lane: 'S04-L08', count: 1 },
      { at: 6, do: 'pick', lane: 'S03-L08', count: 1 },
      { at: 9, do: 'exit' },
    ],
  },
  {
    id: 'bob',
    name: 'Bob Fault',
    script: [
      { at: 32, do: 'enter' },
      { at: 35, do: 'pick', lane: 'S07-L06', count: 1 },
      { at: 38, do: 'pick', lane: 'S01-L05', count: 2 },
      { at: 41, do: 'exit' },
    ],
  },
  {
    id: 'carol',
    name: 'Carol Fault',
    script: [
      { at: 64, do: 'enter' },
      { at: 67, do: 'pick', lane: 'S02-L03', count: 1 },
      { at: 70, do: 'exit' },
    ],
  },
];

/**
 * The exit scan of the first visit is lost (the shopper walks out); the edge closes the visit after the
 * maximum visit time the case sets (1 min), and the shopper comes back 95 s in and must be let in again.
 */
const LOST_EXIT_SCAN: Action[] = [
  { at: 0.5, do: 'enter' },
  { at: 3, do: 'pick', lane: 'S04-L08', count: 1 },
  { at: 6, do: 'pick', lane: 'S03-L08', count: 1 },
  { at: 10, do: 'exit', scanLost: true },
  { at: 95, do: 'enter' },
  { at: 98, do: 'pick', lane: 'S07-L06', count: 1 },
  { at: 102, do: 'exit' },
];

const alone = (script: Action[]): FaultShopper[] => [{ id: 'alice', name: 'Alice Fault', script }];

export const SCENARIO_TIMELINES = {
  'five-picks': alone(FIVE_PICKS),
  'through-an-outage': alone(THROUGH_AN_OUTAGE),
  'one-after-another': ONE_AFTER_ANOTHER,
  'lost-exit-scan': alone(LOST_EXIT_SCAN),
};
export type ScenarioTimeline = keyof typeof SCENARIO_TIMELINES;

/** Writes the case's scenario file into `dir` (the store named by absolute path) and returns its path. */
export function writeFaultScenario(
  dir: string,
  caseName: string,
  timeline: ScenarioTimeline,
  storeConfigPath: string,
  seed: number,
): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${caseName}.scenario.json`);
  const scenario = {
    name: `faults-${caseName}`,
    description: `npm run faults: ${caseName}`,
    store: storeConfigPath,
    seed,
    noise: 'standard',
    shoppers: SCENARIO_TIMELINES[timeline].map((s) => ({ ...s, card: 'tok_visa', party: 1 })),
  };
  writeFileSync(file, `${JSON.stringify(scenario, null, 2)}\n`);
  return file;
}
