// Orders the test files for a run on two cores. A fresh clone (CI) has no timings cached, and vitest then
// starts the largest files first; a long suite that happens to be short in lines would start late and hold the
// whole run open alone. So, when any file has no cached timing: first the suites that take a minute or more on
// CI (in that order, longest first), then by kind of suite (end-to-end and browser, then integration, then
// unit: the order of how long their files take), largest first within a kind. With every timing cached (a
// developer's second run), vitest's own order stands: failed first, then longest first.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The suites that take a minute or more on CI, longest first (measured with the JSON reporter, the machine at a
 * load average of 12-20: the soak plays 3 minutes of real time; the lockstep vision run renders and tracks every
 * frame; the others run whole stores, Chromium or many cloud starts). A long one started late holds the run open.
 */
const LONGEST: readonly string[] = [
  'test/integration/faults/soak.test.ts',
  'test/integration/fusion/two-shoppers-vision.test.ts',
  'test/integration/fuzz/boundary-fuzz.test.ts',
  'test/browser/floor-view.test.ts',
  'test/integration/cloud/payment-holds.test.ts',
  'test/integration/vision/decision-dataset.test.ts',
  'test/e2e/walk-out.test.ts',
  'test/browser/cloud-app/live-cart.test.ts',
  'test/integration/faults/fault-cases.test.ts',
  'test/integration/cloud/visit-ingest.test.ts',
];

/** Lower starts first, after LONGEST: the kinds of suite by how long one of their files takes. */
const KIND_ORDER: ReadonlyArray<readonly [prefix: string, rank: number]> = [
  ['test/e2e/', 0],
  ['test/browser/', 0],
  ['test/integration/', 1],
];
const UNIT_RANK = 2;

function rankOf(relativePath: string): number {
  const longest = LONGEST.indexOf(relativePath);
  if (longest >= 0) return longest - LONGEST.length;
  for (const [prefix, rank] of KIND_ORDER) if (relativePath.startsWith(prefix)) return rank;
  return UNIT_RANK;
}

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx;
    const keyOf = (f: TestSpecification) => `${f.project.name}:${relativeTo(config.root, f.moduleId)}`;
    if (files.every((f) => cache.getFileTestResults(keyOf(f)) !== undefined)) return super.sort(files);
    const sizeOf = (f: TestSpecification) => cache.getFileStats(keyOf(f))?.size ?? 0;
    return [...files].sort(
      (a, b) =>
        a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder ||
        rankOf(relativeTo(config.root, a.moduleId)) - rankOf(relativeTo(config.root, b.moduleId)) ||
        sizeOf(b) - sizeOf(a),
    );
  }
}

function relativeTo(root: string, path: string): string {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}
