import { describe, expect, it } from 'vitest';
import {
  indexStore,
  loadStoreConfig,
  parseStoreConfig,
  StoreConfigError,
} from '../../../shared/store-config.ts';

const sample = loadStoreConfig('stores/sample-store.json');

describe('store config', () => {
  it('ships a sample store of realistic size', () => {
    const lanes = sample.shelves.flatMap((s) => s.lanes);
    expect(sample.shelves.length).toBeGreaterThanOrEqual(20);
    expect(lanes.length).toBeGreaterThanOrEqual(200);
    expect(sample.catalog.length).toBeGreaterThanOrEqual(150);
    expect(sample.cameras.length).toBeGreaterThanOrEqual(8);
    expect(sample.gates.map((g) => g.kind).sort()).toEqual(['entry', 'exit']);
    expect(indexStore(sample).laneByCell.size).toBe(lanes.length);
  });

  it('names the path and reason of a schema error', () => {
    const broken = structuredClone(sample) as unknown as { catalog: { priceCents: unknown }[] };
    (broken.catalog[3] as { priceCents: unknown }).priceCents = -5;
    expect(() => parseStoreConfig(broken, 'x.json')).toThrowError(/\/catalog\/3\/priceCents/);
  });

  it('takes an entry hold and age-restricted products, and bounds the hold', () => {
    const product = sample.catalog[0];
    if (product === undefined) throw new Error('sample has products');
    const config = parseStoreConfig({
      ...sample,
      entryHoldCents: 2500,
      catalog: [{ ...product, ageRestricted: true }, ...sample.catalog.slice(1)],
    });
    expect(config.entryHoldCents).toBe(2500);
    expect(indexStore(config).productBySku.get(product.sku)?.ageRestricted).toBe(true);
    for (const entryHoldCents of [-1, 1_000_001, 12.5]) {
      expect(() => parseStoreConfig({ ...sample, entryHoldCents }, 'x.json')).toThrowError(
        /\/entryHoldCents/,
      );
    }
  });

  it('rejects references a schema cannot check: unknown SKU, duplicate load cell', () => {
    const broken = structuredClone(sample);
    const lanes = broken.shelves[0]?.lanes;
    if (!lanes?.[0] || !lanes[1]) throw new Error('sample has lanes');
    lanes[0].sku = 'NOPE';
    lanes[1].loadCell = lanes[2]?.loadCell ?? '';
    try {
      parseStoreConfig(broken, 'x.json');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StoreConfigError);
      const problems = (err as StoreConfigError).problems;
      expect(problems).toContain('/shelves/0/lanes/0/sku: unknown SKU NOPE (not in /catalog)');
      expect(problems.some((p) => p.includes('used twice'))).toBe(true);
    }
  });

  it('says which file cannot be read', () => {
    expect(() => loadStoreConfig('/nonexistent/store.json')).toThrowError(/\/nonexistent\/store.json/);
  });
});
