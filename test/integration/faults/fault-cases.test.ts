// A subset of `npm run faults` (#15) on the real services: cloud, edge and simulator as separate processes,
// the run's own Mosquitto and the test PostgreSQL; the edge is SIGKILLed while a hand is in the lane and
// restarted 2 s later, and the shopper's receipt must still be exactly what was taken, charged once.
// WALKOUT_FAULT_CASES (comma-separated case names) runs others; each takes ~60 s on the 2-core machine.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFaults } from '../../../evaluation/faults/run-faults.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';
import { mosquittoSkipReason } from '../../support/mosquitto-process.ts';
import { realPostgres } from '../../support/services.ts';

const postgres = realPostgres();
const skip = postgres.skipReason ?? mosquittoSkipReason();
const cases = (process.env.WALKOUT_FAULT_CASES ?? 'edge-kill-during-pick')
  .split(',')
  .map((c) => c.trim())
  .filter((c) => c !== '');

describe.skipIf(skip !== undefined)('fault cases on real processes (Mosquitto, PostgreSQL)', () => {
  it(
    `bills every pick once through ${cases.join(', ')}`,
    async () => {
      const storeConfigPath = resolve('stores/sample-store.json');
      const lines: string[] = [];
      const result = await runFaults({
        store: loadStoreConfig(storeConfigPath),
        storeConfigPath,
        only: cases,
        databaseUrl: postgres.url,
        dir: mkdtempSync(join(tmpdir(), 'walkout-faults-')),
        progress: (line) => lines.push(line),
      });
      expect(result.broker).toMatch(/^Mosquitto/);
      expect(result.database).toMatch(/^PostgreSQL/);
      for (const c of result.cases) {
        expect({ name: c.name, error: c.error, problems: c.problems }, lines.join('\n')).toEqual({
          name: c.name,
          error: undefined,
          problems: [],
        });
        expect(c).toMatchObject({ visits: 1, lost: 0, doubleCharges: 0, exact: true });
      }
      expect(result.cases.map((c) => c.name)).toEqual(cases);
      // the fault really struck: the edge was killed and came back
      expect(
        lines.some((l) => l.includes('SIGKILL edge') || l.includes('SIGKILL cloud') || l.includes('stopped')),
      ).toBe(true);
    },
    (90 + 80 * cases.length) * 1000,
  );
});
