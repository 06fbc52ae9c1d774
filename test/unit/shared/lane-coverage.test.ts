import { describe, expect, it } from 'vitest';
import { coverageCounts, coverageWarnings, laneCoverage } from '../../../shared/lane-coverage.ts';
import { loadStoreConfig, parseStoreConfig, StoreConfigError } from '../../../shared/store-config.ts';

const sample = loadStoreConfig('stores/sample-store.json');

/**
 * Two 640×480 cameras at 1 cm a pixel: CAM-A sees x 0.12–6.28 m, CAM-B x 4.12–10.28 m (12-pixel margin), both
 * y 0.12–4.68 m. One shelf along y = 1 facing +y: a lane's aisle point is at y 1.77, above its x.
 */
function smallStore(lanes: Array<{ x: number; cameras?: string[] }>): unknown {
  return {
    storeId: 'T1',
    name: 'Test',
    currency: 'EUR',
    floor: { widthM: 10, depthM: 6 },
    loadCells: { sampleRateHz: 50, samplesPerBatch: 10 },
    catalog: [{ sku: 'P1', name: 'P', category: 'c', priceCents: 100, unitGrams: 100, unitGramsSd: 1 }],
    shelves: [
      {
        id: 'S1',
        position: { x: 5, y: 1 },
        orientationDeg: 90,
        widthM: 10,
        depthM: 0.5,
        lanes: lanes.map((l, i) => ({
          id: `S1-L${i + 1}`,
          loadCell: `LC${i + 1}`,
          sku: 'P1',
          capacity: 10,
          initialUnits: 5,
          position: { x: l.x, y: 1 },
          ...(l.cameras === undefined ? {} : { cameras: l.cameras }),
        })),
      },
    ],
    gates: [
      { id: 'G-IN', kind: 'entry', position: { x: 1, y: 5 } },
      { id: 'G-OUT', kind: 'exit', position: { x: 9, y: 5 } },
    ],
    cameras: [
      {
        id: 'CAM-A',
        position: { x: 3.2, y: 2.4 },
        heightM: 3,
        imageWidth: 640,
        imageHeight: 480,
        homography: [0.01, 0, 0, 0, 0.01, 0, 0, 0, 1],
      },
      {
        id: 'CAM-B',
        position: { x: 7.2, y: 2.4 },
        heightM: 3,
        imageWidth: 640,
        imageHeight: 480,
        homography: [0.01, 0, 4, 0, 0.01, 0, 0, 0, 1],
      },
    ],
  };
}

describe('lane coverage', () => {
  it("computes the sample store's cameras per lane from the homographies: every lane by two or more, 85 by three", () => {
    const coverage = laneCoverage(sample);
    expect(coverage).toHaveLength(200);
    expect(coverageCounts(coverage)).toEqual({ none: 0, one: 0, twoOrMore: 200 });
    expect(coverage.filter((c) => c.cameras.length === 3)).toHaveLength(85);
    expect(coverage.every((c) => c.source === 'computed')).toBe(true);
    // a corner camera and the one between its column and the next (CAM13, between CAM1 and CAM2)
    expect(coverage.find((c) => c.lane === 'S01-L01')).toEqual({
      lane: 'S01-L01',
      shelf: 'S01',
      cameras: ['CAM1', 'CAM13'],
      source: 'computed',
    });
    // the last three lanes of S01 face the aisle where CAM1's and CAM2's pictures overlap too
    expect(coverage.find((c) => c.lane === 'S01-L08')?.cameras).toEqual(['CAM1', 'CAM2', 'CAM13']);
    expect(coverageWarnings(coverage)).toEqual([]);
  });

  it('warns once about the sample store with only its 4 × 3 grid of cameras, neighbouring lanes with the same camera as one range', () => {
    // the sample store's first 12 cameras are the 4 × 3 grid it had before the 9 between the columns
    const grid = { ...sample, cameras: sample.cameras.slice(0, 12) };
    expect(grid.cameras.map((c) => c.id)).toEqual(Array.from({ length: 12 }, (_, i) => `CAM${i + 1}`));
    const coverage = laneCoverage(grid);
    expect(coverageCounts(coverage)).toEqual({ none: 0, one: 150, twoOrMore: 50 });
    const warnings = coverageWarnings(coverage);
    expect(warnings).toHaveLength(1);
    const [warning] = warnings;
    expect(warning?.lanes).toHaveLength(150);
    expect(warning?.message).toMatch(
      /^150 of 200 lanes are seen by fewer than two cameras: S01-L01–S01-L07 \(CAM1\), S02-L01–S02-L10 \(CAM2\), S03-L04–S03-L10 \(CAM3\), /,
    );
    expect(warning?.message).toMatch(/, and 5 more groups$/);
  });

  it('takes stated cameras over computed ones and warns about exactly the lanes seen by fewer than two', () => {
    const config = parseStoreConfig(
      smallStore([
        { x: 1 }, // CAM-A alone
        { x: 1.5 }, // CAM-A alone
        { x: 5 }, // both
        { x: 9 }, // CAM-B alone
        { x: 9, cameras: ['CAM-B', 'CAM-A'] }, // measured on site: CAM-A sees it too
        { x: 5, cameras: [] }, // measured on site: a fixture hides it
      ]),
    );
    const coverage = laneCoverage(config);
    expect(coverage.map((c) => [c.lane, c.cameras, c.source])).toEqual([
      ['S1-L1', ['CAM-A'], 'computed'],
      ['S1-L2', ['CAM-A'], 'computed'],
      ['S1-L3', ['CAM-A', 'CAM-B'], 'computed'],
      ['S1-L4', ['CAM-B'], 'computed'],
      ['S1-L5', ['CAM-B', 'CAM-A'], 'stated'],
      ['S1-L6', [], 'stated'],
    ]);
    const [warning, ...more] = coverageWarnings(coverage);
    expect(more).toEqual([]);
    expect(warning?.lanes.map((l) => l.lane)).toEqual(['S1-L1', 'S1-L2', 'S1-L4', 'S1-L6']);
    expect(warning?.message).toBe(
      '4 of 6 lanes are seen by fewer than two cameras: S1-L1–S1-L2 (CAM-A), S1-L4 (CAM-B), S1-L6 (no camera)',
    );
  });

  it('has nothing to warn about when every lane is seen twice', () => {
    const config = parseStoreConfig(smallStore([{ x: 5 }, { x: 1, cameras: ['CAM-A', 'CAM-B'] }]));
    expect(coverageWarnings(laneCoverage(config))).toEqual([]);
  });

  it('refuses a stated camera the store does not have, or one listed twice, naming the path', () => {
    const config = smallStore([
      { x: 1, cameras: ['CAM-A', 'CAM-Z'] },
      { x: 5, cameras: ['CAM-B', 'CAM-B'] },
    ]);
    try {
      parseStoreConfig(config, 'small.json');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(StoreConfigError);
      expect((err as StoreConfigError).problems).toEqual([
        '/shelves/0/lanes/0/cameras/1: unknown camera CAM-Z (not in /cameras)',
        '/shelves/0/lanes/1/cameras/1: camera CAM-B listed twice',
      ]);
      expect((err as Error).message).toContain('invalid store config small.json');
    }
  });
});
