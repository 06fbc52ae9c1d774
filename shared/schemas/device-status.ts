// Availability of a device or service: retained, QoS 1, with the broker's last will publishing offline.
import { type Static, Type } from 'typebox';

export const DeviceStatusSchema = Type.Object(
  { state: Type.Union([Type.Literal('online'), Type.Literal('offline')]) },
  { additionalProperties: false },
);

export type DeviceStatus = Static<typeof DeviceStatusSchema>;
