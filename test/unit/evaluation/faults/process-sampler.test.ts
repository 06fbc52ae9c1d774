// How the soak reads memory growth after its warm-up: medians of the first and last tenth of the samples.
import { describe, expect, it } from 'vitest';
import { growthPct } from '../../../../evaluation/faults/process-sampler.ts';

describe('growthPct', () => {
  it('compares the median of the last tenth with the median of the first tenth', () => {
    // 30 samples: tenths of 3; 100 MB at first, 104 MB at the end
    const rss = [100, 101, 99, ...Array(24).fill(102), 104, 103, 105];
    expect(growthPct(rss)).toBeCloseTo(4, 6);
  });

  it('is not moved by one garbage collection or one busy moment at either end', () => {
    const flat = Array(40).fill(200);
    flat[0] = 150; // a collection just after the warm-up
    flat[39] = 260; // a busy pass at the very end
    expect(growthPct(flat)).toBe(0);
  });

  it('is NaN with too few samples to say', () => {
    expect(growthPct([100, 110, 120, 130, 140])).toBeNaN();
  });
});
