// Something staff should look at: raised when it starts, cleared when it is over.
import { type Static, Type } from 'typebox';

export const AlertKindSchema = Type.Union([
  Type.Literal('low-stock'),
  Type.Literal('misplaced-item'),
  Type.Literal('sensor-health'),
  Type.Literal('unattributed-event'),
  Type.Literal('doubtful-event'),
  Type.Literal('device-offline'),
  /** More people came in through an entry gate than the scan admitted (edge/vision). */
  Type.Literal('tailgating'),
  /** The cloud refuses the edge's credential: visits are held until it is fixed (edge/outbox). */
  Type.Literal('cloud-link'),
  /** A shopper picked an age-restricted product: check their ID before they leave (edge/fusion). */
  Type.Literal('id-check'),
  /** A return after the receipt the cloud can never refund: refund the shopper by hand (edge/checkout). */
  Type.Literal('refund-owed'),
]);

export const AlertSchema = Type.Object(
  {
    v: Type.Literal(1),
    /** Stable per condition (e.g. low-stock:S01-L03), so a clear matches its raise. */
    alertId: Type.String(),
    kind: AlertKindSchema,
    state: Type.Union([Type.Literal('raised'), Type.Literal('cleared')]),
    severity: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]),
    message: Type.String(),
    shelf: Type.Optional(Type.String()),
    lane: Type.Optional(Type.String()),
    loadCell: Type.Optional(Type.String()),
    ts: Type.Number(),
  },
  { additionalProperties: false },
);

export type AlertKind = Static<typeof AlertKindSchema>;
export type Alert = Static<typeof AlertSchema>;
