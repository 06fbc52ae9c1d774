// The store model: floor, shelves and their lanes (one product facing per load cell), catalog, gates, cameras.
// Loaded from a JSON file and validated once, with errors that name the path and the reason.
import { readFileSync } from 'node:fs';
import { type Static, Type } from 'typebox';
import { compileValidator } from './validator.ts';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' });
const Point = Type.Object({ x: Type.Number(), y: Type.Number() }, { additionalProperties: false });

export const ProductSchema = Type.Object(
  {
    sku: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    category: Type.String({ minLength: 1, maxLength: 100 }),
    priceCents: Type.Integer({ minimum: 0 }),
    /** Mean unit weight in grams. */
    unitGrams: Type.Number({ exclusiveMinimum: 0 }),
    /** Standard deviation of the unit weight in grams (packaging varies). */
    unitGramsSd: Type.Number({ minimum: 0 }),
    /**
     * Sold only to shoppers whose ID staff checked (alcohol, tobacco): a pick raises a "check ID" alert on the
     * floor view and the line is billed only once a supervisor confirms it (refused: removed). Absent: false.
     */
    ageRestricted: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const LaneSchema = Type.Object(
  {
    id: Id,
    /** Load cell under this lane; its samples arrive on the shelf's weights topic under this id. */
    loadCell: Id,
    /** Product faced on this lane; absent for an empty facing (its load cell is still watched). */
    sku: Type.Optional(Id),
    capacity: Type.Integer({ minimum: 1 }),
    /** Units placed at store open. */
    initialUnits: Type.Integer({ minimum: 0 }),
    /** Lane centre on the floor, metres. */
    position: Point,
    /**
     * Ids of the cameras that see the aisle in front of this lane, as checked on site (an empty list: none
     * does). Absent: computed from the cameras' homographies (shared/lane-coverage.ts). Fusion takes a shopper
     * the cameras did not see near the lane as elsewhere only while one of these sent frames (`laneSeen`).
     */
    cameras: Type.Optional(Type.Array(Id)),
  },
  { additionalProperties: false },
);

export const ShelfSchema = Type.Object(
  {
    id: Id,
    /** Centre of the shelf unit on the floor, metres. */
    position: Point,
    /** Direction the shelf faces (towards the aisle), degrees from +x. */
    orientationDeg: Type.Number(),
    widthM: Type.Number({ exclusiveMinimum: 0 }),
    depthM: Type.Number({ exclusiveMinimum: 0 }),
    lanes: Type.Array(LaneSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const GateSchema = Type.Object(
  {
    id: Id,
    kind: Type.Union([Type.Literal('entry'), Type.Literal('exit')]),
    position: Point,
  },
  { additionalProperties: false },
);

export const CameraSchema = Type.Object(
  {
    id: Id,
    position: Point,
    heightM: Type.Number({ exclusiveMinimum: 0 }),
    imageWidth: Type.Integer({ minimum: 1 }),
    imageHeight: Type.Integer({ minimum: 1 }),
    /**
     * Row-major 3x3 homography from image pixels (undistorted, when `distortion` is given) to floor metres.
     * A calibration from the floor view (stored by the edge) replaces it on that edge.
     */
    homography: Type.Array(Type.Number(), { minItems: 9, maxItems: 9 }),
    /** Lens distortion (OpenCV's model), taken out of every pixel before the homography (lens-distortion.ts). */
    distortion: Type.Optional(
      Type.Object(
        {
          /** Focal length in pixels. */
          focalPx: Type.Number({ exclusiveMinimum: 0 }),
          /** Principal point in pixels (default: the image centre). */
          cx: Type.Optional(Type.Number()),
          cy: Type.Optional(Type.Number()),
          k1: Type.Number({ minimum: -2, maximum: 2 }),
          k2: Type.Number({ minimum: -2, maximum: 2 }),
          p1: Type.Optional(Type.Number({ minimum: -0.5, maximum: 0.5 })),
          p2: Type.Optional(Type.Number({ minimum: -0.5, maximum: 0.5 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** A mark on the floor (tape cross, tile corner) whose store position is surveyed: calibration clicks it. */
export const FloorMarkSchema = Type.Object(
  {
    id: Id,
    /** Floor metres. */
    position: Point,
  },
  { additionalProperties: false },
);

export const StoreConfigSchema = Type.Object(
  {
    storeId: Id,
    name: Type.String({ minLength: 1 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    floor: Type.Object(
      { widthM: Type.Number({ exclusiveMinimum: 0 }), depthM: Type.Number({ exclusiveMinimum: 0 }) },
      { additionalProperties: false },
    ),
    /** Load-cell sampling rate and batch size the devices use. */
    loadCells: Type.Object(
      { sampleRateHz: Type.Number({ exclusiveMinimum: 0 }), samplesPerBatch: Type.Integer({ minimum: 1 }) },
      { additionalProperties: false },
    ),
    catalog: Type.Array(ProductSchema, { minItems: 1 }),
    shelves: Type.Array(ShelfSchema, { minItems: 1 }),
    gates: Type.Array(GateSchema, { minItems: 1 }),
    cameras: Type.Array(CameraSchema),
    /** Floor marks for calibrating cameras from the floor view (absent: none). */
    floorMarks: Type.Optional(Type.Array(FloorMarkSchema)),
    /**
     * Cents the cloud holds on the shopper's card before it issues an entry token, captured at exit (0: no
     * hold; absent: the cloud's default, 5000). At most 1,000,000 (10,000.00).
     */
    entryHoldCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);

export type Product = Static<typeof ProductSchema>;
export type Lane = Static<typeof LaneSchema>;
export type Shelf = Static<typeof ShelfSchema>;
export type Gate = Static<typeof GateSchema>;
export type Camera = Static<typeof CameraSchema>;
export type FloorMark = Static<typeof FloorMarkSchema>;
export type StoreConfig = Static<typeof StoreConfigSchema>;

export class StoreConfigError extends Error {
  readonly code = 'INVALID_STORE_CONFIG';
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid store config ${source}:\n  ${problems.join('\n  ')}`);
  }
}

const validator = compileValidator(StoreConfigSchema);

/** Validates shape, then the cross-references a schema cannot express (unique ids, known SKUs and cameras). */
export function parseStoreConfig(value: unknown, source = '<inline>'): StoreConfig {
  const checked = validator.check(value);
  if (!checked.ok) throw new StoreConfigError(source, checked.errors);
  const config = checked.value;
  const problems: string[] = [];
  const skus = new Set<string>();
  config.catalog.forEach((p, i) => {
    if (skus.has(p.sku)) problems.push(`/catalog/${i}/sku: duplicate SKU ${p.sku}`);
    skus.add(p.sku);
  });
  const cameraIds = new Set<string>();
  config.cameras.forEach((c, i) => {
    if (cameraIds.has(c.id)) problems.push(`/cameras/${i}/id: duplicate camera id ${c.id}`);
    cameraIds.add(c.id);
  });
  const laneIds = new Set<string>();
  const cells = new Set<string>();
  const shelfIds = new Set<string>();
  config.shelves.forEach((shelf, s) => {
    if (shelfIds.has(shelf.id)) problems.push(`/shelves/${s}/id: duplicate shelf id ${shelf.id}`);
    shelfIds.add(shelf.id);
    shelf.lanes.forEach((lane, l) => {
      const at = `/shelves/${s}/lanes/${l}`;
      if (laneIds.has(lane.id)) problems.push(`${at}/id: duplicate lane id ${lane.id}`);
      if (cells.has(lane.loadCell)) problems.push(`${at}/loadCell: load cell ${lane.loadCell} used twice`);
      if (lane.sku !== undefined && !skus.has(lane.sku)) {
        problems.push(`${at}/sku: unknown SKU ${lane.sku} (not in /catalog)`);
      }
      if (lane.initialUnits > lane.capacity)
        problems.push(`${at}/initialUnits: exceeds capacity ${lane.capacity}`);
      lane.cameras?.forEach((camera, k) => {
        if (!cameraIds.has(camera))
          problems.push(`${at}/cameras/${k}: unknown camera ${camera} (not in /cameras)`);
        else if (lane.cameras?.indexOf(camera) !== k)
          problems.push(`${at}/cameras/${k}: camera ${camera} listed twice`);
      });
      laneIds.add(lane.id);
      cells.add(lane.loadCell);
    });
  });
  const markIds = new Set<string>();
  config.floorMarks?.forEach((m, i) => {
    if (markIds.has(m.id)) problems.push(`/floorMarks/${i}/id: duplicate floor mark id ${m.id}`);
    markIds.add(m.id);
    const { x, y } = m.position;
    if (x < 0 || y < 0 || x > config.floor.widthM || y > config.floor.depthM)
      problems.push(`/floorMarks/${i}/position: (${x}, ${y}) is off the floor`);
  });
  const gateIds = new Set<string>();
  config.gates.forEach((g, i) => {
    if (gateIds.has(g.id)) problems.push(`/gates/${i}/id: duplicate gate id ${g.id}`);
    gateIds.add(g.id);
  });
  if (!config.gates.some((g) => g.kind === 'entry')) problems.push('/gates: no entry gate');
  if (!config.gates.some((g) => g.kind === 'exit')) problems.push('/gates: no exit gate');
  if (problems.length > 0) throw new StoreConfigError(source, problems);
  return config;
}

export function loadStoreConfig(path: string): StoreConfig {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StoreConfigError(path, [`cannot read file: ${(err as Error).message}`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new StoreConfigError(path, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseStoreConfig(value, path);
}

/** Lookups derived from a config, built once. */
export interface StoreIndex {
  config: StoreConfig;
  productBySku: Map<string, Product>;
  laneByCell: Map<string, { lane: Lane; shelf: Shelf }>;
  laneById: Map<string, { lane: Lane; shelf: Shelf }>;
  shelfById: Map<string, Shelf>;
  gateById: Map<string, Gate>;
}

export function indexStore(config: StoreConfig): StoreIndex {
  const productBySku = new Map(config.catalog.map((p) => [p.sku, p]));
  const laneByCell = new Map<string, { lane: Lane; shelf: Shelf }>();
  const laneById = new Map<string, { lane: Lane; shelf: Shelf }>();
  for (const shelf of config.shelves) {
    for (const lane of shelf.lanes) {
      laneByCell.set(lane.loadCell, { lane, shelf });
      laneById.set(lane.id, { lane, shelf });
    }
  }
  return {
    config,
    productBySku,
    laneByCell,
    laneById,
    shelfById: new Map(config.shelves.map((s) => [s.id, s])),
    gateById: new Map(config.gates.map((g) => [g.id, g])),
  };
}
