// The floor view's live messages: the payload each WebSocket message type carries, as one map (as
// shared/topics.ts does for MQTT), and the snapshot with its recent messages typed by that map. The floor
// page's JSDoc imports these types, so it reads each payload as the edge's schemas define it.
// Browser-safe: only schema types, nothing that needs Node.
import type { Static } from 'typebox';
import type { Alert } from './schemas/alert.ts';
import type { AlertAck } from './schemas/floor-decisions.ts';
import type {
  ExceptionFramesList,
  FloorLayoutSchema,
  FloorSnapshot,
  StaffExceptionSchema,
} from './schemas/floor-snapshot.ts';
import type { LaneStockMessage, ShelfHealthMessage } from './schemas/lane-stock.ts';
import type { SessionEvent } from './schemas/session-event.ts';
import type { ShelfEvent } from './schemas/shelf-event.ts';
import type { TrackUpdate } from './schemas/track.ts';

export type FloorLayout = Static<typeof FloorLayoutSchema>;
/** A shelf event the edge will not bill on its own: staff assign it to a session or drop it. */
export type FloorException = Static<typeof StaffExceptionSchema>;
export type FloorAlert = FloorSnapshot['alerts'][number];
export type FloorShopper = FloorSnapshot['sessions'][number];
export type PastVisit = FloorSnapshot['visits'][number];
export type KeptFrames = FloorSnapshot['exceptionFrames'][string];

/** Someone saw an active alert: an `alert` message without a kind. */
export interface AlertAcknowledged {
  alertId: string;
  acknowledged: AlertAck;
}

/** An exception was decided, by staff or by the cameras at the exit (`event`: the line as billed). */
export interface ExceptionClosed {
  exceptionId: string;
  status: 'resolved' | 'dropped';
  /** A staff user's name, or the system (e.g. `vision:exit-match`). */
  by: string;
  event?: ShelfEvent;
}

/** Payload carried by each live message type: publishing or reading the wrong payload is a compile error. */
export interface FloorPayloads {
  'shelf-event': ShelfEvent;
  'session-event': SessionEvent;
  stock: LaneStockMessage;
  health: ShelfHealthMessage;
  /** Raised or cleared; or, without a kind, acknowledged. */
  alert: Alert | AlertAcknowledged;
  exception: FloorException;
  /** An open exception changed: a candidate was shown not to have done it (no longer named). */
  'exception-updated': FloorException;
  'exception-closed': ExceptionClosed;
  'exception-frames': ExceptionFramesList;
  tracks: TrackUpdate;
}

export type FloorMessageType = keyof FloorPayloads;

/** One live message: `type` says which payload `data` is; `sentAt` is edge time, for the page's latency. */
export type FloorMessage = {
  [K in FloorMessageType]: { type: K; sentAt: number; data: FloorPayloads[K] };
}[FloorMessageType];

/** GET /floor/api/state with its recent messages (the hub's history of live ones) typed by the map. */
export type FloorSnapshotMessages = Omit<FloorSnapshot, 'recent'> & { recent: FloorMessage[] };
