// Reads a load-cell recording in the AutoCheckout folder format (plates.csv.gz, planogram.csv,
// ground-truth.json, store-meta/) into a store config, a time-ordered stream of shelf batches exactly as
// shelf controllers would publish them, and the ground-truth events to score against.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type Static, Type } from 'typebox';
import type { LoadCellBatch } from '../../shared/schemas/load-cell-batch.ts';
import {
  type Lane,
  type Product,
  parseStoreConfig,
  type Shelf,
  type StoreConfig,
} from '../../shared/store-config.ts';
import { compileValidator } from '../../shared/validator.ts';

export class RecordingError extends Error {
  readonly code = 'INVALID_RECORDING';
}

const GroundTruthSchema = Type.Object({
  dataset: Type.String(),
  events: Type.Array(
    Type.Object({
      time_utc: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}$' }),
      kind: Type.Union([Type.Literal('pick'), Type.Literal('put-back')]),
      gondola: Type.Integer(),
      shelf: Type.Integer(),
      plates: Type.Array(Type.Integer(), { minItems: 1 }),
      products: Type.Array(
        Type.Object({
          name: Type.String(),
          unit_grams: Type.Number(),
          quantity: Type.Integer({ minimum: 1 }),
        }),
        { minItems: 1 },
      ),
    }),
  ),
});

export interface RecordingEvent {
  /** Start of the second the ground truth gives (it is exact to the second only). */
  ts: number;
  kind: 'pick' | 'put-back';
  shelf: string;
  lanes: string[];
  sku: string;
  count: number;
}

export interface Recording {
  name: string;
  store: StoreConfig;
  /** Batches in capture order, as each shelf controller would send them. */
  batches: { shelf: string; batch: LoadCellBatch }[];
  truth: RecordingEvent[];
  startTs: number;
  endTs: number;
  plates: number;
}

/** Relative standard deviation assumed for packaged unit weights (the recording does not give one). */
const UNIT_WEIGHT_RSD = 0.025;

export const shelfIdOf = (gondola: number, shelf: number) => `G${gondola}-S${shelf}`;
export const laneIdOf = (gondola: number, shelf: number, plate: number) =>
  `G${gondola}-S${shelf}-P${String(plate).padStart(2, '0')}`;
export const skuOf = (name: string) =>
  name
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 64);

function read(dir: string, file: string): Buffer {
  try {
    return readFileSync(join(dir, file));
  } catch (err) {
    throw new RecordingError(`cannot read ${join(dir, file)}: ${(err as Error).message}`);
  }
}

type Planogram = Map<string, { name: string; grams: number }>;
/** by shelf id: sample times and, by plate lane id, the samples */
type PlateSeries = Map<string, { times: number[]; lanes: Map<string, (number | null)[]> }>;

export function loadRecording(dir: string, samplesPerBatch = 12): Recording {
  const { planogram, catalog } = readPlanogram(dir);
  const series = readPlates(dir);
  const shelves: Shelf[] = [];
  const batches: Recording['batches'] = [];
  let startTs = Number.POSITIVE_INFINITY;
  let endTs = 0;
  let plates = 0;
  for (const [shelfId, shelf] of [...series.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const laneIds = [...shelf.lanes.keys()].sort();
    plates += laneIds.length;
    shelves.push(shelfOf(shelfId, laneIds, planogram));
    const times = shelf.times;
    startTs = Math.min(startTs, times[0] as number);
    endTs = Math.max(endTs, times.at(-1) as number);
    for (const batch of batchesOf(shelfId, shelf, laneIds, samplesPerBatch)) batches.push(batch);
  }
  batches.sort((a, b) => a.batch.t0 - b.batch.t0);
  const store = parseStoreConfig(
    {
      storeId: skuOf(dir.split('/').filter(Boolean).at(-1) ?? 'recording').toLowerCase(),
      name: `Recording ${dir}`,
      currency: 'USD',
      floor: { widthM: 10, depthM: 5 },
      loadCells: { sampleRateHz: 60, samplesPerBatch },
      catalog: [...catalog.values()],
      shelves,
      gates: [
        { id: 'G-IN', kind: 'entry', position: { x: 0, y: 0 } },
        { id: 'G-OUT', kind: 'exit', position: { x: 1, y: 0 } },
      ],
      cameras: [],
    },
    join(dir, 'planogram.csv'),
  );
  const { name, truth } = readGroundTruth(dir);
  return { name, store, batches, truth, startTs, endTs, plates };
}

/** planogram.csv: name,gondola,shelf,plate,unit_grams — the product on each plate, and the catalog. */
function readPlanogram(dir: string): { planogram: Planogram; catalog: Map<string, Product> } {
  const planogram: Planogram = new Map();
  const catalog = new Map<string, Product>();
  read(dir, 'planogram.csv')
    .toString('utf8')
    .trim()
    .split('\n')
    .slice(1)
    .forEach((line, i) => {
      const cells = line.split(',');
      const grams = Number(cells.at(-1));
      const [gondola, shelf, plate] = cells.slice(-4, -1).map(Number);
      const name = cells.slice(0, -4).join(',').trim();
      if (!name || !(grams > 0) || gondola === undefined || shelf === undefined || plate === undefined) {
        throw new RecordingError(`planogram.csv line ${i + 2}: expected name,gondola,shelf,plate,unit_grams`);
      }
      planogram.set(laneIdOf(gondola, shelf, plate), { name, grams });
      const sku = skuOf(name);
      if (!catalog.has(sku)) {
        catalog.set(sku, {
          sku,
          name,
          category: 'recorded',
          priceCents: 100,
          unitGrams: grams,
          unitGramsSd: Math.round(Math.max(1, grams * UNIT_WEIGHT_RSD) * 10) / 10,
        });
      }
    });
  return { planogram, catalog };
}

/** plates.csv.gz: unix_time_s,gondola,shelf,plate,grams — rows sorted by time. */
function readPlates(dir: string): PlateSeries {
  const rows = gunzipSync(read(dir, 'plates.csv.gz')).toString('utf8').split('\n');
  const series: PlateSeries = new Map();
  for (let r = 1; r < rows.length; r++) {
    const line = rows[r];
    if (!line) continue;
    const [t, g, s, p, w] = line.split(',');
    const gondola = Number(g);
    const shelfNo = Number(s);
    const plate = Number(p);
    const shelfId = shelfIdOf(gondola, shelfNo);
    let shelf = series.get(shelfId);
    if (shelf === undefined) {
      shelf = { times: [], lanes: new Map() };
      series.set(shelfId, shelf);
    }
    const laneId = laneIdOf(gondola, shelfNo, plate);
    let samples = shelf.lanes.get(laneId);
    if (samples === undefined) {
      samples = [];
      shelf.lanes.set(laneId, samples);
    }
    const grams = Number(w);
    samples.push(Number.isFinite(grams) ? grams : null);
    if (samples.length > shelf.times.length) shelf.times.push(Number(t) * 1000);
  }
  return series;
}

/** A recorded shelf as a store-config shelf: one lane per plate, stocked when the planogram names its product. */
function shelfOf(shelfId: string, laneIds: string[], planogram: Planogram): Shelf {
  const [, g, s] = /^G(\d+)-S(\d+)$/.exec(shelfId) ?? [];
  const lanes: Lane[] = laneIds.map((id, i) => {
    const product = planogram.get(id);
    return {
      id,
      loadCell: id,
      ...(product ? { sku: skuOf(product.name) } : {}),
      capacity: 50,
      initialUnits: product ? 10 : 0,
      position: { x: Number(g) * 1.5 + i * 0.1, y: Number(s) * 0.3 },
    };
  });
  return {
    id: shelfId,
    position: { x: Number(g) * 1.5, y: 0 },
    orientationDeg: 90,
    widthM: 1.2,
    depthM: 0.4,
    lanes,
  };
}

/** A shelf's samples cut into batches as its controller would publish them, at the recording's mean period. */
function batchesOf(
  shelfId: string,
  shelf: { times: number[]; lanes: Map<string, (number | null)[]> },
  laneIds: string[],
  samplesPerBatch: number,
): Recording['batches'] {
  const times = shelf.times;
  const periodMs = (times.at(-1) as number) - (times[0] as number);
  const meanPeriod = periodMs / Math.max(1, times.length - 1);
  const batches: Recording['batches'] = [];
  for (let i = 0, seq = 0; i < times.length; i += samplesPerBatch, seq++) {
    batches.push({
      shelf: shelfId,
      batch: {
        v: 1,
        device: shelfId,
        seq,
        t0: times[i] as number,
        periodMs: meanPeriod,
        cells: laneIds.map((id) => ({
          id,
          grams: (shelf.lanes.get(id) ?? []).slice(i, i + samplesPerBatch),
        })),
      },
    });
  }
  return batches;
}

/** ground-truth.json: one event per product of each recorded interaction. */
function readGroundTruth(dir: string): { name: string; truth: RecordingEvent[] } {
  const truthJson: unknown = JSON.parse(read(dir, 'ground-truth.json').toString('utf8'));
  const checked = compileValidator(GroundTruthSchema).check(truthJson);
  if (!checked.ok) throw new RecordingError(`ground-truth.json: ${checked.errors.join('; ')}`);
  const truth = (checked.value as Static<typeof GroundTruthSchema>).events.flatMap((e) =>
    e.products.map((p) => ({
      ts: Date.parse(`${e.time_utc.slice(0, 10)}T${e.time_utc.slice(11).replaceAll('-', ':')}Z`),
      kind: e.kind,
      shelf: shelfIdOf(e.gondola, e.shelf),
      lanes: e.plates.map((plate) => laneIdOf(e.gondola, e.shelf, plate)),
      sku: skuOf(p.name),
      count: p.quantity,
    })),
  );
  return { name: checked.value.dataset, truth };
}
