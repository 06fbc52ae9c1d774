// Generated store configs for shelf evaluation: a small store whose shelves mix distinct products with
// look-alikes side by side (equal and near-equal unit weights), and a large uniform one for benchmarks.
import { type Lane, type Product, parseStoreConfig, type StoreConfig } from '../../shared/store-config.ts';

/** Unit weights (grams) per shelf, lane by lane; a name marks a look-alike family. */
const EVAL_SHELVES: { grams: number; family?: string }[][] = [
  // distinct products
  [47, 168, 312, 1003, 198, 739, 85, 490].map((grams) => ({ grams })),
  // look-alikes side by side: near-equal colas, equal yogurts, equal teas
  [
    { grams: 355, family: 'COLA-REGULAR' },
    { grams: 352, family: 'COLA-ZERO' },
    { grams: 125, family: 'YOGURT-STRAWBERRY' },
    { grams: 125, family: 'YOGURT-PEACH' },
    { grams: 268 },
    { grams: 62, family: 'TEA-GREEN' },
    { grams: 62, family: 'TEA-BLACK' },
    { grams: 540 },
  ],
  [95, 430, 640, 58, 820, 275, 150, 1520].map((grams) => ({ grams })),
];

/** Relative sd of packaged unit weights (as in the sample store). */
const UNIT_RSD = 0.01;

function baseConfig(storeId: string, catalog: Product[], shelves: StoreConfig['shelves']): StoreConfig {
  return parseStoreConfig(
    {
      storeId,
      name: `Shelf evaluation store ${storeId}`,
      currency: 'EUR',
      floor: { widthM: 20, depthM: 10 },
      loadCells: { sampleRateHz: 60, samplesPerBatch: 12 },
      catalog,
      shelves,
      gates: [
        { id: 'G-IN', kind: 'entry', position: { x: 0, y: 0 } },
        { id: 'G-OUT', kind: 'exit', position: { x: 1, y: 0 } },
      ],
      cameras: [],
    },
    storeId,
  );
}

function product(sku: string, grams: number): Product {
  return {
    sku,
    name: sku,
    category: 'eval',
    priceCents: 100,
    unitGrams: grams,
    unitGramsSd: Math.round(Math.max(0.3, grams * UNIT_RSD) * 10) / 10,
  };
}

function lane(shelfId: string, index: number, sku: string, y: number, units = 20): Lane {
  return {
    id: `${shelfId}-L${index + 1}`,
    loadCell: `${shelfId}-C${index + 1}`,
    sku,
    capacity: 30,
    initialUnits: units,
    position: { x: index * 0.15, y },
  };
}

/** Three shelves of eight lanes: distinct products, look-alikes side by side, distinct products. */
export function evalStoreConfig(): StoreConfig {
  const catalog: Product[] = [];
  const shelves = EVAL_SHELVES.map((specs, s) => {
    const shelfId = `E${s + 1}`;
    const lanes = specs.map((spec, i) => {
      const sku = spec.family ?? `E${s + 1}-P${i + 1}-${spec.grams}G`;
      catalog.push(product(sku, spec.grams));
      return lane(shelfId, i, sku, s * 2);
    });
    return { id: shelfId, position: { x: 2, y: s * 2 }, orientationDeg: 90, widthM: 1.2, depthM: 0.4, lanes };
  });
  return baseConfig('shelf-eval', catalog, shelves);
}

/** `shelves` × `lanesPerShelf` lanes, each with its own product of a distinct weight (for benchmarks). */
export function benchStoreConfig(shelves: number, lanesPerShelf: number): StoreConfig {
  const catalog: Product[] = [];
  const shelfList = Array.from({ length: shelves }, (_, s) => {
    const shelfId = `B${String(s + 1).padStart(3, '0')}`;
    const lanes = Array.from({ length: lanesPerShelf }, (_, i) => {
      const sku = `${shelfId}-P${i + 1}`;
      catalog.push(product(sku, 60 + ((s * lanesPerShelf + i) % 37) * 37));
      return lane(shelfId, i, sku, s);
    });
    return { id: shelfId, position: { x: s, y: 0 }, orientationDeg: 90, widthM: 1.2, depthM: 0.4, lanes };
  });
  return baseConfig('shelf-bench', catalog, shelfList);
}
