// One typed path for everything the edge tells the world: each kind goes to its MQTT topic, to the floor
// view's hub and to in-process listeners (demo, tests, evaluation). Publishing a payload of the wrong kind is
// a compile error, as with shared/topics.ts.
import type { FloorPayloads } from '../shared/floor-messages.ts';
import type { Alert } from '../shared/schemas/alert.ts';
import type { LaneStockMessage, ShelfHealthMessage } from '../shared/schemas/lane-stock.ts';
import type { SessionEvent } from '../shared/schemas/session-event.ts';
import type { ShelfEvent } from '../shared/schemas/shelf-event.ts';
import type { TrackUpdate } from '../shared/schemas/track.ts';
import { topics } from '../shared/topics.ts';
import type { FloorHub } from './floor/floor-hub.ts';
import type { MqttLink } from './mqtt/mqtt-link.ts';

/** Payload of each output kind. */
export interface EdgeOutputMap {
  'shelf-event': ShelfEvent;
  'session-event': SessionEvent;
  alert: Alert;
  stock: LaneStockMessage;
  health: ShelfHealthMessage;
  tracks: TrackUpdate;
}

export type EdgeOutputKind = keyof EdgeOutputMap;

/** Every output also goes to the floor view: its payload must be one the floor's message map allows. */
type FloorCarries = { [K in EdgeOutputKind]: EdgeOutputMap[K] extends FloorPayloads[K] ? true : never };
const floorCarriesEveryOutput: FloorCarries = {
  'shelf-event': true,
  'session-event': true,
  alert: true,
  stock: true,
  health: true,
  tracks: true,
};
void floorCarriesEveryOutput;

type Listener<K extends EdgeOutputKind> = (payload: EdgeOutputMap[K]) => void;

export class EdgeOutputs {
  /** by kind */
  private readonly listeners = new Map<EdgeOutputKind, Set<Listener<never>>>();

  constructor(
    private readonly link: MqttLink,
    private readonly hub: FloorHub,
    private readonly storeId: string,
  ) {}

  publish<K extends EdgeOutputKind>(kind: K, payload: EdgeOutputMap[K]): void {
    this.toMqtt(kind, payload);
    // checked for every kind by FloorCarries above; TypeScript cannot relate the two maps through K
    this.hub.publish(kind, payload as FloorPayloads[K]);
    for (const listener of this.listeners.get(kind) ?? []) (listener as Listener<K>)(payload);
  }

  /** Calls `listener` with every payload of `kind` published from now on; returns its removal. */
  on<K extends EdgeOutputKind>(kind: K, listener: Listener<K>): () => void {
    const set = this.listeners.get(kind) ?? new Set();
    set.add(listener as Listener<never>);
    this.listeners.set(kind, set);
    return () => set.delete(listener as Listener<never>);
  }

  clear(): void {
    this.listeners.clear();
  }

  private toMqtt<K extends EdgeOutputKind>(kind: K, payload: EdgeOutputMap[K]): void {
    const { link, storeId } = this;
    // a switch per kind keeps each topic's payload type checked
    const out = { kind, payload } as {
      [P in EdgeOutputKind]: { kind: P; payload: EdgeOutputMap[P] };
    }[EdgeOutputKind];
    switch (out.kind) {
      case 'shelf-event':
        link.publish(topics.shelfEvents(storeId), out.payload, { qos: 1 });
        return;
      case 'session-event':
        link.publish(topics.sessionEvents(storeId), out.payload, { qos: 1 });
        return;
      case 'alert':
        link.publish(topics.alerts(storeId), out.payload, { qos: 1 });
        return;
      case 'stock':
        link.publish(topics.laneStock(storeId, out.payload.lane), out.payload, {
          qos: 1,
          retain: true,
        });
        return;
      case 'health':
        link.publish(topics.shelfHealth(storeId, out.payload.shelf), out.payload, {
          qos: 1,
          retain: true,
        });
        return;
      case 'tracks':
        link.publish(topics.tracks(storeId), out.payload, { qos: 0 });
        return;
    }
  }
}
