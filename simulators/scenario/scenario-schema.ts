// The scenario file format (docs/scenarios.md): TypeBox schema for its shape, and the resolved form the
// runner plays once the loader has checked it against the store and filled in defaults.
import { type Static, Type } from 'typebox';
import type { NoiseProfileName } from '../devices/noise-profiles.ts';

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' });

export const ScenarioActionSchema = Type.Object(
  {
    /** Seconds from scenario start. */
    at: Type.Number({ minimum: 0 }),
    /**
     * enter | pick | put-back | linger | hand-over | exit (checked by the loader, which says which fields
     * each allows). Actions happen at `at` or, when the shopper cannot walk there in time, on arrival.
     */
    do: Type.String({ minLength: 1, maxLength: 32 }),
    lane: Type.Optional(Id),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    /** put-back / hand-over: the product, when not the lane's own (a misplaced item) or for a hand-over. */
    sku: Type.Optional(Id),
    /** enter/exit only: the gate scanned; default the store's first gate of the right kind. */
    gate: Type.Optional(Id),
    /** pick / put-back / linger: which of the party does it (0 = the one who scanned; default 0). */
    member: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
    /** pick / put-back: the lane the person stands at while reaching into `lane` (crossing arms). */
    standAt: Type.Optional(Id),
    /** linger only: seconds spent looking at the lane without taking anything (default 5). */
    forS: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 600 })),
    /** hand-over only: the shopper (id in this scenario) who receives the item. */
    to: Type.Optional(Id),
    /**
     * exit only: the scan never reaches the edge (a scanner glitch, a shopper let out by staff); the shopper
     * walks out all the same and the edge must close the visit on its own (edge/checkout/lost-exit.ts).
     */
    scanLost: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const ScenarioShopperSchema = Type.Object(
  {
    id: Id,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    /** Sandbox card token added to the account before entering; omitted = no card. */
    card: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    party: Type.Optional(Type.Integer({ minimum: 1, maximum: 6 })),
    /**
     * Another shopper of this scenario whose clothing, hair and skin colours this one wears (seen from the
     * ceiling they look alike; size and what they carry may differ). Applies to the one who scans.
     */
    looksLike: Type.Optional(Id),
    /**
     * The shopper consents to behaviour from the store floor (the app's switch, set before entering): the edge
     * then derives lingering, comparisons and dwell for their visits (#19). Default false.
     */
    consent: Type.Optional(Type.Boolean()),
    script: Type.Array(ScenarioActionSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const ScenarioFileSchema = Type.Object(
  {
    name: Id,
    /**
     * Family the scenario belongs to (e.g. `crowd-at-shelf` for generated ones), so an evaluation can group
     * scores; default the scenario's own name.
     */
    family: Type.Optional(Id),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    /** Store config path, relative to the scenario file. */
    store: Type.String({ minLength: 1 }),
    seed: Type.Integer({ minimum: 0, maximum: 4294967295 }),
    /** quiet | standard | noisy; default standard. */
    noise: Type.Optional(Type.String()),
    shoppers: Type.Array(ScenarioShopperSchema, { minItems: 1 }),
    /** Ceiling cameras (simulators/vision): present = render and publish frames; absent = no cameras. */
    cameras: Type.Optional(
      Type.Object(
        {
          /** Frames per second per camera, device time (default 5). */
          fps: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 30 })),
          /** Share of frames a camera fails to send (default 0.02). */
          dropRate: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * What the scripts mean beyond the bill, for `npm run eval:behaviour` (lingering is in the scripts
     * already): `comparison` — the shopper compares products of `category` in a visit (took two or more and put
     * back all but one, or lingered at one of its lanes and then took from another), keeping `kept` when
     * given; `dwell` — score the shopper's time stood at shelves of `category` (the seconds come from the
     * motion plan, never from the file).
     */
    moments: Type.Optional(
      Type.Array(
        Type.Object(
          {
            kind: Type.Union([Type.Literal('comparison'), Type.Literal('dwell')]),
            shopper: Id,
            category: Id,
            kept: Type.Optional(Id),
          },
          { additionalProperties: false },
        ),
        { maxItems: 200 },
      ),
    ),
    /** Device faults injected while the scenario plays. */
    faults: Type.Optional(
      Type.Array(
        Type.Object(
          {
            /** Seconds from scenario start. */
            at: Type.Number({ minimum: 0 }),
            /** camera-dark: the camera's feed stops (its connection stays up) for `forS` seconds. */
            do: Type.Literal('camera-dark'),
            camera: Id,
            forS: Type.Number({ exclusiveMinimum: 0, maximum: 3600 }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
  },
  { additionalProperties: false },
);

export type ScenarioFile = Static<typeof ScenarioFileSchema>;
export type ScenarioActionInput = Static<typeof ScenarioActionSchema>;

export const ACTION_KINDS = ['enter', 'pick', 'put-back', 'linger', 'hand-over', 'exit'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export type ScenarioAction =
  | { at: number; do: 'enter'; gate: string }
  | { at: number; do: 'exit'; gate: string; scanLost?: true }
  | { at: number; do: 'pick'; lane: string; count: number; member: number; standAt: string }
  | {
      at: number;
      do: 'put-back';
      lane: string;
      count: number;
      sku?: string;
      member: number;
      standAt: string;
    }
  | { at: number; do: 'linger'; lane: string; forS: number; member: number }
  | { at: number; do: 'hand-over'; to: string; sku: string; count: number };

export interface CameraDarkFault {
  at: number;
  do: 'camera-dark';
  camera: string;
  forS: number;
}

export interface ScenarioShopper {
  id: string;
  name: string;
  card: string | undefined;
  party: number;
  /** The shopper whose colours this one wears (from the file; the motion plan follows chains). */
  looksLike?: string;
  /** Consents to behaviour from the floor (set in the app before entering); absent: no. */
  consent?: boolean;
  script: ScenarioAction[];
}

export interface Scenario {
  name: string;
  /** The file's `family`, or its name when it has none. */
  family: string;
  description: string | undefined;
  /** The store reference as written in the file. */
  store: string;
  seed: number;
  noise: NoiseProfileName;
  shoppers: ScenarioShopper[];
  /** Camera emulation settings when the scenario turns cameras on. */
  cameras?: { fps: number; dropRate: number };
  faults: CameraDarkFault[];
  /** Comparisons and dwell the file declares (absent or empty: none). */
  moments?: ScenarioMoment[];
}

export interface ScenarioMoment {
  kind: 'comparison' | 'dwell';
  shopper: string;
  category: string;
  kept?: string;
}

/** The scenario file format as a standalone JSON Schema document (docs/scenario.schema.json). */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/walkout/walkout/docs/scenario.schema.json',
    title: 'Walkout scenario',
    description:
      'A scripted store visit for the simulator: store, shoppers and their actions, noise, cameras, faults, seed. See docs/scenarios.md.',
    ...(JSON.parse(JSON.stringify(ScenarioFileSchema)) as Record<string, unknown>),
  };
}
