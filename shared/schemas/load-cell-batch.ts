// A batch of load-cell samples from one shelf controller (the AutoCheckout store sent 12 samples at 60 Hz).
import { type Static, Type } from 'typebox';

export const MAX_CELLS_PER_BATCH = 256;
export const MAX_SAMPLES_PER_CELL = 600;

export const LoadCellBatchSchema = Type.Object(
  {
    v: Type.Literal(1),
    /** Shelf controller that sent the batch. */
    device: Type.String({ minLength: 1, maxLength: 64 }),
    /** Per-device sequence number, +1 per batch: lets the edge drop duplicates and spot gaps. */
    seq: Type.Integer({ minimum: 0 }),
    /** Capture time of the first sample, ms since the Unix epoch, stamped by the device. */
    t0: Type.Number({ minimum: 0 }),
    /** Time between samples in ms (16.667 at 60 Hz). */
    periodMs: Type.Number({ exclusiveMinimum: 0, maximum: 10_000 }),
    cells: Type.Array(
      Type.Object(
        {
          id: Type.String({ minLength: 1, maxLength: 64 }),
          /** Grams as measured (not zeroed); null where the cell produced no valid reading. */
          grams: Type.Array(Type.Union([Type.Number(), Type.Null()]), {
            minItems: 1,
            maxItems: MAX_SAMPLES_PER_CELL,
          }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_CELLS_PER_BATCH },
    ),
  },
  { additionalProperties: false },
);

export type LoadCellBatch = Static<typeof LoadCellBatchSchema>;
