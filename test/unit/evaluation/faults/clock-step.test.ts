// The fault harness's clock step (evaluation/faults/clock-step.ts), preloaded into a real Node process: "now"
// moves by the milliseconds in the file, everything else about Date stays as it is.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const MODULE = resolve('evaluation/faults/clock-step.ts');
const PROBE = `console.log(JSON.stringify({
  now: Date.now(), constructed: new Date().getTime(), fixed: new Date(0).getTime(),
  parsed: Date.parse('2026-12-01T00:00:00Z'), isDate: new Date() instanceof Date,
}))`;

function probe(env: NodeJS.ProcessEnv) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--import', MODULE, '-e', PROBE], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number | boolean>;
}

describe('clock-step preload', () => {
  it('steps Date.now() and new Date() by the file, leaves explicit dates and parsing alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'walkout-clock-step-'));
    try {
      const file = join(dir, 'step');
      writeFileSync(file, '3600000');
      const before = Date.now();
      const seen = probe({ WALKOUT_CLOCK_STEP_FILE: file });
      const after = Date.now();
      expect(seen.now).toBeGreaterThanOrEqual(before + 3_600_000);
      expect(seen.now).toBeLessThanOrEqual(after + 3_600_000);
      expect(seen.constructed).toBeGreaterThanOrEqual(before + 3_600_000);
      expect(seen).toMatchObject({ fixed: 0, parsed: Date.parse('2026-12-01T00:00:00Z'), isDate: true });
      const unset = probe({ WALKOUT_CLOCK_STEP_FILE: '' });
      expect(unset.now).toBeLessThanOrEqual(Date.now());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
