import { defineConfig } from 'vitest/config';
import { LongFirstSequencer } from './test/support/long-first-sequencer.ts';

/**
 * The test that loads both cores on purpose (to prove the evaluation does not move with the machine's load)
 * runs alone, after everything else: beside it, the real-time suites (the floor view in Chromium, the demo)
 * would lose frames to its busy loops and fail for a reason that is not theirs.
 */
const LOADS_THE_MACHINE = ['test/integration/evaluation/lockstep-reproducible.test.ts'];

/**
 * Unit suites are pure and quick: they share worker processes (no fresh process, no fresh module graph per
 * file), which saves the second or two a process start costs for each of ~100 files.
 */
const UNITS = ['test/unit/**/*.test.ts'];

const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  maxWorkers: 2,
};

export default defineConfig({
  test: {
    reporters: ['default'],
    // the long suites start first, so that none starts last and holds the run open alone
    sequence: { sequencer: LongFirstSequencer },
    projects: [
      {
        test: {
          ...shared,
          name: 'suite',
          include: ['test/**/*.test.ts'],
          exclude: [...LOADS_THE_MACHINE, ...UNITS],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'unit',
          include: UNITS,
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          ...shared,
          name: 'loaded-machine',
          include: LOADS_THE_MACHINE,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
