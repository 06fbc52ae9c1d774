// The MQTT topic namespace (walkout/v1/{store}/…): builders, patterns and the payload each topic carries.
// Topic strings are built here and nowhere else.
import type { Alert } from './schemas/alert.ts';
import type { DeviceStatus } from './schemas/device-status.ts';
import type { FrameDetections } from './schemas/frame-detections.ts';
import type { GateCommand, GateScan } from './schemas/gate.ts';
import type { LaneStockMessage, ShelfHealthMessage } from './schemas/lane-stock.ts';
import type { LoadCellBatch } from './schemas/load-cell-batch.ts';
import type { SessionEvent } from './schemas/session-event.ts';
import type { ShelfEvent } from './schemas/shelf-event.ts';
import type { TrackUpdate } from './schemas/track.ts';

export const TOPIC_ROOT = 'walkout/v1';

const root = (store: string) => `${TOPIC_ROOT}/${store}`;

/** A concrete topic string that remembers which payload it carries. */
export type Topic<K extends TopicKind> = string & { readonly payloadKind: K };
const topic = <K extends TopicKind>(_kind: K, value: string) => value as Topic<K>;

export const topics = {
  shelfWeights: (store: string, shelf: string) =>
    topic('shelfWeights', `${root(store)}/shelf/${shelf}/weights`),
  gateScan: (store: string, gate: string) => topic('gateScan', `${root(store)}/gate/${gate}/scan`),
  gateCommand: (store: string, gate: string) => topic('gateCommand', `${root(store)}/gate/${gate}/command`),
  cameraFrame: (store: string, camera: string) =>
    topic('cameraFrame', `${root(store)}/camera/${camera}/frame`),
  frameDetections: (store: string, camera: string) =>
    topic('frameDetections', `${root(store)}/vision/${camera}/detections`),
  deviceStatus: (store: string, device: string) =>
    topic('deviceStatus', `${root(store)}/device/${device}/status`),
  shelfEvents: (store: string) => topic('shelfEvents', `${root(store)}/edge/shelf-events`),
  sessionEvents: (store: string) => topic('sessionEvents', `${root(store)}/edge/session-events`),
  laneStock: (store: string, lane: string) => topic('laneStock', `${root(store)}/lane/${lane}/stock`),
  shelfHealth: (store: string, shelf: string) => topic('shelfHealth', `${root(store)}/shelf/${shelf}/health`),
  alerts: (store: string) => topic('alerts', `${root(store)}/edge/alerts`),
  tracks: (store: string) => topic('tracks', `${root(store)}/edge/tracks`),
} as const;

/** Subscription filters with a single-level wildcard where the topic names a device. */
export const topicFilters = {
  shelfWeights: (store: string) => topics.shelfWeights(store, '+'),
  gateScan: (store: string) => topics.gateScan(store, '+'),
  gateCommand: (store: string) => topics.gateCommand(store, '+'),
  cameraFrame: (store: string) => topics.cameraFrame(store, '+'),
  frameDetections: (store: string) => topics.frameDetections(store, '+'),
  deviceStatus: (store: string) => topics.deviceStatus(store, '+'),
  laneStock: (store: string) => topics.laneStock(store, '+'),
  shelfHealth: (store: string) => topics.shelfHealth(store, '+'),
} as const;

/**
 * Every camera's frames as an MQTT shared subscription: the broker hands each frame to one subscriber of the
 * group (round-robin in Mosquitto), so vision workers split the frames without knowing of each other.
 */
export const sharedCameraFrames = (store: string, group: string) =>
  `$share/${group}/${topicFilters.cameraFrame(store)}`;

/** Payload carried by each topic kind: publishing the wrong payload on a topic is a compile error. */
export interface TopicPayloads {
  shelfWeights: LoadCellBatch;
  gateScan: GateScan;
  gateCommand: GateCommand;
  cameraFrame: Buffer;
  frameDetections: FrameDetections;
  deviceStatus: DeviceStatus;
  shelfEvents: ShelfEvent;
  sessionEvents: SessionEvent;
  laneStock: LaneStockMessage;
  shelfHealth: ShelfHealthMessage;
  alerts: Alert;
  tracks: TrackUpdate;
}

export type TopicKind = keyof TopicPayloads;

/** Splits a concrete topic back into its kind and the device it names; undefined when not ours. */
export function parseTopic(topic: string): { store: string; kind: TopicKind; device?: string } | undefined {
  const parts = topic.split('/');
  if (parts.length < 4 || `${parts[0]}/${parts[1]}` !== TOPIC_ROOT) return undefined;
  const store = parts[2] as string;
  const rest = parts.slice(3);
  const [a, b, c] = rest;
  if (rest.length === 3 && b !== undefined) {
    if (a === 'shelf' && c === 'weights') return { store, kind: 'shelfWeights', device: b };
    if (a === 'gate' && c === 'scan') return { store, kind: 'gateScan', device: b };
    if (a === 'gate' && c === 'command') return { store, kind: 'gateCommand', device: b };
    if (a === 'camera' && c === 'frame') return { store, kind: 'cameraFrame', device: b };
    if (a === 'vision' && c === 'detections') return { store, kind: 'frameDetections', device: b };
    if (a === 'device' && c === 'status') return { store, kind: 'deviceStatus', device: b };
    if (a === 'lane' && c === 'stock') return { store, kind: 'laneStock', device: b };
    if (a === 'shelf' && c === 'health') return { store, kind: 'shelfHealth', device: b };
  }
  if (rest.length === 2 && a === 'edge') {
    if (b === 'shelf-events') return { store, kind: 'shelfEvents' };
    if (b === 'session-events') return { store, kind: 'sessionEvents' };
    if (b === 'alerts') return { store, kind: 'alerts' };
    if (b === 'tracks') return { store, kind: 'tracks' };
  }
  return undefined;
}
