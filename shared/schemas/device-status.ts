// Availability of a device or service: retained, QoS 1, with the broker's last will publishing offline.
// A camera bridge that is connected but has lost its video source says so with `reason: 'source-lost'`.
import { type Static, Type } from 'typebox';

export const DeviceStatusSchema = Type.Object(
  {
    state: Type.Union([Type.Literal('online'), Type.Literal('offline')]),
    /** Why an `offline` device is offline when it can still say so (absent in a last will). */
    reason: Type.Optional(Type.Literal('source-lost')),
  },
  { additionalProperties: false },
);

export type DeviceStatus = Static<typeof DeviceStatusSchema>;
