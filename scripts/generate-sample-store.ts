// Generates stores/sample-store.json: a convenience store of realistic size (20 shelves, 200 lanes,
// 150 products, 21 ceiling cameras covering the whole floor and every lane twice, an entry and an exit gate).
// Deterministic: same output every run.
// Usage: npx tsx scripts/generate-sample-store.ts [out.json] && npx biome format --write stores/sample-store.json
import { writeFileSync } from 'node:fs';
import { Random } from '../shared/random.ts';
import {
  type Camera,
  type Lane,
  type Product,
  parseStoreConfig,
  type Shelf,
} from '../shared/store-config.ts';
import { commandLine } from './cli/command-line.ts';

const DEFAULT_OUT = new URL('../stores/sample-store.json', import.meta.url).pathname;
const cli = commandLine({
  command: 'generate-sample-store',
  usage: `usage: npx tsx scripts/generate-sample-store.ts [out.json]
  writes the sample store (deterministic) to out.json (default stores/sample-store.json); then
  npx biome format --write stores/sample-store.json`,
  options: {},
  allowPositionals: true,
});
if (cli.positionals.length > 1) cli.fail(`one output file at most, got ${cli.positionals.join(' ')}`);
const out = cli.positionals[0] ?? DEFAULT_OUT;

const rng = new Random(20261125);
const categories: Record<string, { items: string[]; grams: [number, number]; cents: [number, number] }> = {
  drinks: {
    items: [
      'Still Water 0.5 L',
      'Sparkling Water 1 L',
      'Cola 0.33 L',
      'Orange Juice 1 L',
      'Iced Tea 0.5 L',
      'Energy Drink 0.25 L',
      'Lemonade 0.5 L',
      'Cold Brew 0.25 L',
    ],
    grams: [260, 1100],
    cents: [99, 349],
  },
  snacks: {
    items: [
      'Salted Crisps',
      'Paprika Crisps',
      'Tortilla Chips',
      'Pretzels',
      'Salted Peanuts',
      'Trail Mix',
      'Popcorn',
      'Rice Crackers',
    ],
    grams: [40, 220],
    cents: [129, 399],
  },
  sweets: {
    items: [
      'Milk Chocolate Bar',
      'Dark Chocolate Bar',
      'Gummy Bears',
      'Caramel Bar',
      'Mint Drops',
      'Wafer Bar',
      'Licorice',
      'Protein Bar',
    ],
    grams: [35, 200],
    cents: [79, 299],
  },
  dairy: {
    items: [
      'Greek Yogurt',
      'Whole Milk 1 L',
      'Skyr',
      'Butter 250 g',
      'Cheddar 200 g',
      'Mozzarella',
      'Cream Cheese',
      'Oat Drink 1 L',
    ],
    grams: [125, 1080],
    cents: [89, 449],
  },
  bakery: {
    items: [
      'Croissant Pack',
      'Sourdough Loaf',
      'Bagels 4-pack',
      'Muffins 2-pack',
      'Rye Bread',
      'Cinnamon Rolls',
      'Brioche',
      'Pita Bread',
    ],
    grams: [150, 800],
    cents: [149, 499],
  },
  pantry: {
    items: [
      'Spaghetti 500 g',
      'Basmati Rice 1 kg',
      'Tomato Sauce',
      'Canned Tuna',
      'Chickpeas Can',
      'Peanut Butter',
      'Honey Jar',
      'Oat Flakes',
    ],
    grams: [150, 1050],
    cents: [99, 599],
  },
  ready: {
    items: [
      'Chicken Sandwich',
      'Veggie Wrap',
      'Caesar Salad',
      'Sushi Box',
      'Pasta Salad',
      'Fruit Cup',
      'Soup Cup',
      'Burrito',
    ],
    grams: [180, 450],
    cents: [349, 799],
  },
  care: {
    items: [
      'Toothpaste',
      'Hand Soap',
      'Tissues',
      'Shampoo Mini',
      'Lip Balm',
      'Plasters',
      'Sunscreen Mini',
      'Deodorant',
    ],
    grams: [15, 400],
    cents: [149, 699],
  },
};
const brands = [
  'Northfield',
  'Blue Harbor',
  'Maple & Co',
  'Everyday',
  'Green Valley',
  'Summit',
  'Riverside',
  'Golden Oak',
  'Brightside',
  'Pioneer',
];

const catalog: Product[] = [];
const categoryNames = Object.keys(categories);
for (let i = 0; catalog.length < 150; i++) {
  const category = categoryNames[i % categoryNames.length] as string;
  const spec = categories[category];
  if (!spec) continue;
  const item = spec.items[Math.floor(i / categoryNames.length) % spec.items.length] as string;
  const brand = brands[Math.floor(i / (categoryNames.length * spec.items.length)) % brands.length] as string;
  const [gLo, gHi] = spec.grams;
  const unitGrams = Math.round((gLo + rng.next() * (gHi - gLo)) * 10) / 10;
  const [cLo, cHi] = spec.cents;
  const priceCents = Math.round((cLo + rng.next() * (cHi - cLo)) / 10) * 10 + 9;
  catalog.push({
    sku: `SKU-${String(catalog.length + 1).padStart(4, '0')}`,
    name: `${brand} ${item}`,
    category,
    priceCents,
    unitGrams,
    unitGramsSd: Math.round(Math.max(0.5, unitGrams * 0.01) * 10) / 10,
  });
}

// 150 products on 200 lanes: every product once, the first 50 a second facing.
const laneSkus = rng.shuffle([...catalog.map((p) => p.sku), ...catalog.slice(0, 50).map((p) => p.sku)]);
const shelves: Shelf[] = [];
const rows = [4, 7.5, 11, 14.5, 18];
const columns = [6, 11.5, 17, 22.5];
let laneIndex = 0;
for (const [r, y] of rows.entries()) {
  for (const [c, x] of columns.entries()) {
    const id = `S${String(shelves.length + 1).padStart(2, '0')}`;
    const lanes: Lane[] = [];
    for (let l = 0; l < 10; l++) {
      const sku = laneSkus[laneIndex++] as string;
      const product = catalog.find((p) => p.sku === sku) as Product;
      const capacity = Math.max(4, Math.min(24, Math.floor(6000 / product.unitGrams)));
      lanes.push({
        id: `${id}-L${String(l + 1).padStart(2, '0')}`,
        loadCell: `${id}-LC${String(l + 1).padStart(2, '0')}`,
        sku,
        capacity,
        initialUnits: capacity,
        position: { x: Math.round((x - 2.25 + l * 0.5) * 100) / 100, y: y - 0.3 },
      });
    }
    shelves.push({
      id,
      position: { x, y },
      orientationDeg: r % 2 === 0 ? 270 : 90,
      widthM: 5,
      depthM: 0.6,
      lanes,
    });
    void c;
  }
}

const cameras: Camera[] = [];
const imageWidth = 640;
const imageHeight = 480;
const metresPerPixel = 9.6 / imageWidth;
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
// 4 × 3 cameras, each seeing 9.6 m × 7.2 m at 1.5 cm a pixel, so every aisle, both gates and the back wall
// are seen. The columns overlap by ~2 m; the rows overlap a little in the open walkways behind the shelf
// rows at y 7.5 and 14.5. Then 3 × 3 more between the columns (CAM13–CAM21), so that every lane's aisle is seen
// by two cameras: one dark or blocked camera then blinds no lane (`npm run store:check`). A shelf end cut by
// an image border looks like a person half out of the picture to the detector: the edge drops people found
// inside a shelf's footprint (edge/vision/fixture-mask.ts).
const addCamera = (cx: number, cy: number) =>
  cameras.push({
    id: `CAM${cameras.length + 1}`,
    position: { x: cx, y: cy },
    heightM: 3.5,
    imageWidth,
    imageHeight,
    homography: [
      metresPerPixel,
      0,
      round6(cx - (metresPerPixel * imageWidth) / 2),
      0,
      metresPerPixel,
      round6(cy - (metresPerPixel * imageHeight) / 2),
      0,
      0,
      1,
    ],
  });
const cameraRows = [3.4, 10.3, 17.2];
for (const cy of cameraRows) for (const cx of [4, 11.5, 19, 26]) addCamera(cx, cy);
for (const cy of cameraRows) for (const cx of [7.75, 15.25, 22.75]) addCamera(cx, cy);

// floor marks for calibrating the cameras from the floor view: tape crosses in the aisles on a 3 m grid,
// rows A–F, so every camera sees six of them spread over its picture
const floorMarks = ['A', 'B', 'C', 'D', 'E', 'F'].flatMap((row, r) =>
  Array.from({ length: 10 }, (_, c) => ({
    id: `${row}${c + 1}`,
    position: { x: 1.5 + 3 * c, y: [2, 5.75, 9.25, 12.75, 16.25, 19.75][r] as number },
  })),
);

const store = parseStoreConfig(
  {
    storeId: 'store-001',
    name: 'Walkout Sample Store',
    currency: 'EUR',
    floor: { widthM: 30, depthM: 21 },
    loadCells: { sampleRateHz: 60, samplesPerBatch: 12 },
    catalog,
    shelves,
    gates: [
      { id: 'G-IN', kind: 'entry', position: { x: 2, y: 0.5 } },
      { id: 'G-OUT', kind: 'exit', position: { x: 5, y: 0.5 } },
    ],
    cameras,
    floorMarks,
  },
  'generated sample store',
);
writeFileSync(out, `${JSON.stringify(store, null, 2)}\n`);
console.log(
  `wrote ${out}: ${store.shelves.length} shelves, ${laneIndex} lanes, ${catalog.length} products, ${cameras.length} cameras`,
);
