// The visits a fault case plays, as scenario files for the simulator: one shopper taking five items (the
// third is the 1,007 g pack of spaghetti of issue #15), spaced so a restarted edge is back before the next
// pick; and a longer one whose middle picks fall inside a broker outage.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type Action = { at: number; do: 'enter' | 'exit' } | { at: number; do: 'pick'; lane: string; count: number };

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

export const SCENARIO_TIMELINES = { 'five-picks': FIVE_PICKS, 'through-an-outage': THROUGH_AN_OUTAGE };
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
    shoppers: [
      { id: 'alice', name: 'Alice Fault', card: 'tok_visa', party: 1, script: SCENARIO_TIMELINES[timeline] },
    ],
  };
  writeFileSync(file, `${JSON.stringify(scenario, null, 2)}\n`);
  return file;
}
