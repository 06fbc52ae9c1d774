// What the floor view reads: the store snapshot (layout, shoppers inside with their carts, stock, sensor
// health, alerts, exceptions with their camera frames, recent live messages, recent visits), a visit's replay
// and an exception's frames. Responses only: the edge builds them, the page and tests read every field.
import { type Static, Type } from 'typebox';
import { AlertSchema } from './alert.ts';
import { ShelfHealthSchema } from './lane-stock.ts';
import { ProductHypothesisSchema, ShelfEventSchema } from './shelf-event.ts';
import { VisitLineSchema } from './visit.ts';

const Point = Type.Object({ x: Type.Number(), y: Type.Number() });

export const FloorLayoutSchema = Type.Object({
  storeId: Type.String(),
  name: Type.String(),
  currency: Type.String(),
  floor: Type.Object({ widthM: Type.Number(), depthM: Type.Number() }),
  gates: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Union([Type.Literal('entry'), Type.Literal('exit')]),
      position: Point,
    }),
  ),
  cameras: Type.Array(Type.Object({ id: Type.String(), position: Point })),
  /** Surveyed floor marks a supervisor clicks to calibrate a camera (drawn on the map). */
  floorMarks: Type.Array(Type.Object({ id: Type.String(), position: Point })),
  shelves: Type.Array(
    Type.Object({
      id: Type.String(),
      position: Point,
      orientationDeg: Type.Number(),
      widthM: Type.Number(),
      depthM: Type.Number(),
      lanes: Type.Array(
        Type.Object({
          id: Type.String(),
          loadCell: Type.String(),
          sku: Type.Optional(Type.String()),
          capacity: Type.Integer(),
          position: Point,
        }),
      ),
    }),
  ),
  /** by SKU */
  products: Type.Record(
    Type.String(),
    Type.Object({ name: Type.String(), priceCents: Type.Integer(), unitGrams: Type.Number() }),
  ),
});

export const ShoppingSessionSchema = Type.Object({
  sessionId: Type.String(),
  accountId: Type.String(),
  party: Type.Integer(),
  entryGate: Type.String(),
  enteredAt: Type.Number(),
  exitGate: Type.Optional(Type.String()),
  exitedAt: Type.Optional(Type.Number()),
  status: Type.Union([Type.Literal('open'), Type.Literal('closing'), Type.Literal('closed')]),
});

export const ShopperInsideSchema = Type.Object({
  ...ShoppingSessionSchema.properties,
  cart: Type.Array(VisitLineSchema),
  totalCents: Type.Integer(),
  /** Open exceptions that may still add a line to this cart. */
  doubtful: Type.Integer(),
});

export const LaneStockStateSchema = Type.Object({
  lane: Type.String(),
  sku: Type.Optional(Type.String()),
  capacity: Type.Integer(),
  units: Type.Integer(),
  misplaced: Type.Array(Type.Object({ sku: Type.String(), count: Type.Integer(), since: Type.Number() })),
  uncertain: Type.Boolean(),
  updatedAt: Type.Number(),
});

export const FloorAlertSchema = Type.Object({
  ...AlertSchema.properties,
  acknowledged: Type.Optional(Type.Object({ by: Type.String(), at: Type.Number() })),
});

export const StaffExceptionSchema = Type.Object({
  exceptionId: Type.String(),
  reason: Type.Union([
    Type.Literal('unattributed'),
    Type.Literal('ambiguous-product'),
    Type.Literal('unknown-product'),
    Type.Literal('shopper-flag'),
    Type.Literal('age-check'),
  ]),
  status: Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('dropped')]),
  createdAt: Type.Number(),
  event: ShelfEventSchema,
  candidateSessions: Type.Array(Type.String()),
  candidateProducts: Type.Array(ProductHypothesisSchema),
  /** The shopper's flag behind it (reason shopper-flag, #18). */
  flagId: Type.Optional(Type.String()),
  resolution: Type.Optional(
    Type.Union([
      Type.Object({
        sessionId: Type.String(),
        sku: Type.String(),
        count: Type.Integer(),
        by: Type.String(),
        at: Type.Number(),
      }),
      Type.Object({ dropped: Type.Literal(true), by: Type.String(), at: Type.Number(), note: Type.String() }),
    ]),
  ),
});

export const FrameInfoSchema = Type.Object({
  /** Fetch the JPEG at /floor/api/exceptions/{id}/frames/{frameId}. */
  frameId: Type.Integer(),
  camera: Type.String(),
  captureTs: Type.Number(),
});

const KeptFrames = {
  frames: Type.Array(FrameInfoSchema),
  /** False while frames around the event may still arrive. */
  complete: Type.Boolean(),
};

export const ExceptionFramesSchema = Type.Object({ exceptionId: Type.String(), ...KeptFrames });

export const FloorMessageSchema = Type.Object({
  type: Type.Union([
    Type.Literal('shelf-event'),
    Type.Literal('session-event'),
    Type.Literal('stock'),
    Type.Literal('health'),
    Type.Literal('alert'),
    Type.Literal('exception'),
    Type.Literal('exception-updated'),
    Type.Literal('exception-closed'),
    Type.Literal('exception-frames'),
    Type.Literal('tracks'),
  ]),
  /** Server time the message left the edge (ms). */
  sentAt: Type.Number(),
  /** The message's payload, by type (a shelf event, a session event, lane stock, …). */
  data: Type.Unknown(),
});

export const FloorSnapshotSchema = Type.Object({
  store: FloorLayoutSchema,
  sessions: Type.Array(ShopperInsideSchema),
  stock: Type.Array(LaneStockStateSchema),
  /** by shelf id: state of each load cell */
  health: Type.Record(Type.String(), ShelfHealthSchema.properties.cells),
  alerts: Type.Array(FloorAlertSchema),
  /** Open exceptions, oldest first. */
  exceptions: Type.Array(StaffExceptionSchema),
  /** by exception id; exceptions without frames are left out */
  exceptionFrames: Type.Record(Type.String(), Type.Object(KeptFrames)),
  /** The latest live messages (not tracks), oldest first, for a page that connects now. */
  recent: Type.Array(FloorMessageSchema),
  /** Recently closed visits, newest first, for replay. */
  visits: Type.Array(
    Type.Object({
      sessionId: Type.String(),
      accountId: Type.String(),
      enteredAt: Type.Number(),
      exitedAt: Type.Optional(Type.Number()),
    }),
  ),
  serverTime: Type.Number(),
});

export const TrackPointSchema = Type.Object({
  trackId: Type.String(),
  ts: Type.Number(),
  x: Type.Number(),
  y: Type.Number(),
});

export const VisitReplaySchema = Type.Object({
  session: ShoppingSessionSchema,
  events: Type.Array(ShelfEventSchema),
  /** Every track point of the visit's people, in time order. */
  tracks: Type.Array(TrackPointSchema),
  cart: Type.Array(VisitLineSchema),
});

export type FloorSnapshot = Static<typeof FloorSnapshotSchema>;
export type FloorMessageBody = Static<typeof FloorMessageSchema>;
export type VisitReplay = Static<typeof VisitReplaySchema>;
export type ExceptionFramesList = Static<typeof ExceptionFramesSchema>;
