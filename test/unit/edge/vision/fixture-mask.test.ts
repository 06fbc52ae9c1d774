import { describe, expect, it } from 'vitest';
import { insideFixture } from '../../../../edge/vision/fixture-mask.ts';
import { loadStoreConfig } from '../../../../shared/store-config.ts';

const store = loadStoreConfig('stores/sample-store.json');

describe('fixture mask', () => {
  it('knows nobody stands inside a shelf, but anyone may stand at its face or its end', () => {
    // S11: 5 m × 0.6 m centred on (17, 11)
    expect(insideFixture(store.shelves, 16.14, 11.04)).toBe(true);
    expect(insideFixture(store.shelves, 19.4, 10.8)).toBe(true);
    // at the lane face (0.4 m in front), leaning over the lip, past the end
    expect(insideFixture(store.shelves, 17, 10.3)).toBe(false);
    expect(insideFixture(store.shelves, 17, 10.72)).toBe(false);
    expect(insideFixture(store.shelves, 19.6, 11)).toBe(false);
    expect(insideFixture(store.shelves, 2, 0.5)).toBe(false);
  });
});
