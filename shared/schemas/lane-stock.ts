// Live stock of one lane, published retained by the edge so the floor view and the online shop always
// see the latest state.
import { type Static, Type } from 'typebox';

export const LaneStockSchema = Type.Object(
  {
    v: Type.Literal(1),
    lane: Type.String(),
    shelf: Type.String(),
    /** Planogram product; absent for an empty facing. */
    sku: Type.Optional(Type.String()),
    units: Type.Integer({ minimum: 0 }),
    capacity: Type.Integer({ minimum: 0 }),
    /** Other products put back onto this lane and not yet picked up again. */
    misplaced: Type.Array(
      Type.Object({ sku: Type.String(), count: Type.Integer({ minimum: 1 }), since: Type.Number() }),
    ),
    /** A doubtful event touched the lane since staff last counted it. */
    uncertain: Type.Boolean(),
    ts: Type.Number(),
  },
  { additionalProperties: false },
);

/** A load cell's health: live, noisy (too much noise to trust small items), stuck or offline. */
export const SensorStateSchema = Type.Union([
  Type.Literal('live'),
  Type.Literal('noisy'),
  Type.Literal('stuck'),
  Type.Literal('offline'),
]);

export const ShelfHealthSchema = Type.Object(
  {
    v: Type.Literal(1),
    shelf: Type.String(),
    /** State per load cell id. */
    cells: Type.Record(Type.String(), SensorStateSchema),
    ts: Type.Number(),
  },
  { additionalProperties: false },
);

export type LaneStockMessage = Static<typeof LaneStockSchema>;
export type SensorState = Static<typeof SensorStateSchema>;
export type ShelfHealthMessage = Static<typeof ShelfHealthSchema>;
