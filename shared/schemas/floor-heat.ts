// The floor view's heat layer (#19): per lane, over a chosen period, how long people stood within reach, how
// many stood long enough to look, and how many units were taken. Computed from tracks with no session or
// account attached: it names no one.
import { type Static, Type } from 'typebox';

export const HeatQuerySchema = Type.Object(
  {
    /** Start of the period (ms since the epoch); default 24 hours before `to`. */
    from: Type.Optional(Type.Integer({ minimum: 0 })),
    /** End of the period (ms since the epoch); default now. Hours are counted whole, by their start. */
    to: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

export const LaneHeatSchema = Type.Object(
  {
    lane: Type.String(),
    /** Time people stood within reach of the lane (ms, summed over people). */
    dwellMs: Type.Integer({ minimum: 0 }),
    /** Stays of at least the linger time (3 s by default) at the lane. */
    looks: Type.Integer({ minimum: 0 }),
    /** Units taken from the lane. */
    picks: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const FloorHeatSchema = Type.Object(
  {
    from: Type.Integer(),
    to: Type.Integer(),
    lanes: Type.Array(LaneHeatSchema),
  },
  { additionalProperties: false },
);

export type HeatQuery = Static<typeof HeatQuerySchema>;
export type FloorHeatMap = Static<typeof FloorHeatSchema>;
