// Who may publish and subscribe what on a store's broker, derived from the store config and the topic
// namespace: one principal per device (shelf controller, gate scanner, camera) and per process (edge, floor,
// simulator observer). Pure; the Mosquitto file writer and the embedded aedes broker both enforce this.
import type { StoreConfig } from '../store-config.ts';
import { TOPIC_ROOT, topicFilters, topics } from '../topics.ts';

export type PrincipalRole =
  | 'shelf-controller'
  | 'gate-scanner'
  | 'camera'
  | 'edge'
  | 'floor'
  | 'simulator'
  | 'vision-worker';

/** One broker user: its username is the device id its status topic names. */
export interface Principal {
  username: string;
  role: PrincipalRole;
  /** Topic filters it may publish to (a concrete topic must match one). */
  publish: readonly string[];
  /** Topic filters it may subscribe to (a requested filter must be covered by one). */
  subscribe: readonly string[];
}

export interface BrokerPolicy {
  storeId: string;
  /** by username */
  principals: ReadonlyMap<string, Principal>;
}

/** Usernames of the processes; a device id may not take one of them. */
export const PROCESS_USERNAMES = { edge: 'edge', floor: 'floor', simulator: 'simulator' } as const;

export class BrokerPolicyError extends Error {
  readonly code = 'INVALID_BROKER_POLICY';
}

/** Vision worker logins a store's broker files carry unless told otherwise (`broker:config --vision-workers`). */
export const DEFAULT_VISION_WORKER_LOGINS = 4;

/** The broker username of the n-th vision worker (1-based): `vision-worker-1`, … */
export const visionWorkerUsername = (n: number) => `vision-worker-${n}`;

export interface BrokerPolicyOptions {
  /**
   * Vision worker logins (`vision-worker-1` … `-n`): each may take camera frames through a shared subscription
   * and publish detections. Adding a worker machine is one more login here; nothing else changes.
   */
  visionWorkers?: number;
}

/** The store's policy: devices write only their own topics, only the edge writes commands and outputs. */
export function brokerPolicy(store: StoreConfig, options: BrokerPolicyOptions = {}): BrokerPolicy {
  const s = store.storeId;
  const workers = options.visionWorkers ?? DEFAULT_VISION_WORKER_LOGINS;
  if (!Number.isInteger(workers) || workers < 0 || workers > 256)
    throw new BrokerPolicyError(`vision workers must be a whole number 0–256, got ${workers}`);
  const list = [
    ...devicePrincipals(store),
    ...processPrincipals(s),
    ...Array.from({ length: workers }, (_, i) => visionWorkerPrincipal(s, visionWorkerUsername(i + 1))),
  ];
  const principals = new Map<string, Principal>();
  for (const p of list) {
    const taken = principals.get(p.username);
    if (taken !== undefined)
      throw new BrokerPolicyError(
        `store ${s}: ${p.role} ${p.username} has the same id as ${taken.role} ${taken.username}; broker usernames are device ids and must be unique (rename one in the store config)`,
      );
    principals.set(p.username, p);
  }
  return { storeId: s, principals };
}

/** Each device writes its own readings and status; a gate also reads its commands. */
function devicePrincipals(store: StoreConfig): Principal[] {
  const s = store.storeId;
  const status = (device: string) => topics.deviceStatus(s, device);
  return [
    ...store.shelves.map(
      (shelf): Principal => ({
        username: shelf.id,
        role: 'shelf-controller',
        publish: [topics.shelfWeights(s, shelf.id), status(shelf.id)],
        subscribe: [],
      }),
    ),
    ...store.gates.map(
      (gate): Principal => ({
        username: gate.id,
        role: 'gate-scanner',
        publish: [topics.gateScan(s, gate.id), status(gate.id)],
        subscribe: [topics.gateCommand(s, gate.id)],
      }),
    ),
    ...store.cameras.map(
      (camera): Principal => ({
        username: camera.id,
        role: 'camera',
        publish: [topics.cameraFrame(s, camera.id), status(camera.id)],
        subscribe: [],
      }),
    ),
  ];
}

/** The edge (devices in, outputs and commands out), the floor view and the simulator's observer. */
function processPrincipals(s: string): Principal[] {
  const status = (device: string) => topics.deviceStatus(s, device);
  return [
    {
      username: PROCESS_USERNAMES.edge,
      role: 'edge',
      publish: [
        topicFilters.gateCommand(s),
        topics.shelfEvents(s),
        topics.sessionEvents(s),
        topics.tracks(s),
        topics.alerts(s),
        topicFilters.laneStock(s),
        topicFilters.shelfHealth(s),
        status(PROCESS_USERNAMES.edge),
      ],
      subscribe: [
        topicFilters.shelfWeights(s),
        topicFilters.gateScan(s),
        topicFilters.cameraFrame(s),
        topicFilters.frameDetections(s),
        topicFilters.deviceStatus(s),
      ],
    },
    {
      // the floor view and staff tools when they run apart from the edge: read the edge's outputs only
      username: PROCESS_USERNAMES.floor,
      role: 'floor',
      publish: [status(PROCESS_USERNAMES.floor)],
      subscribe: [
        topics.shelfEvents(s),
        topics.sessionEvents(s),
        topics.tracks(s),
        topics.alerts(s),
        topicFilters.laneStock(s),
        topicFilters.shelfHealth(s),
        topicFilters.deviceStatus(s),
      ],
    },
    {
      // the simulator's observer (ground truth, benches): reads the whole store, writes nothing but its status
      username: PROCESS_USERNAMES.simulator,
      role: 'simulator',
      publish: [status(PROCESS_USERNAMES.simulator)],
      subscribe: [`${TOPIC_ROOT}/${s}/#`],
    },
  ];
}

/**
 * A vision worker: reads every camera's frames (Mosquitto checks a `$share/<group>/…` subscription against
 * the filter without its prefix) and writes detections and its own status.
 */
function visionWorkerPrincipal(s: string, username: string): Principal {
  return {
    username,
    role: 'vision-worker',
    publish: [topicFilters.frameDetections(s), topics.deviceStatus(s, username)],
    subscribe: [topicFilters.cameraFrame(s)],
  };
}

/** MQTT topic matching: does the concrete `topic` match `filter` (with `+` and `#`)? */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.includes('+') || topic.includes('#')) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Does `allowed` cover every topic the requested subscription `filter` could receive? */
export function filterCovers(allowed: string, filter: string): boolean {
  const a = allowed.split('/');
  const r = filter.split('/');
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '#') return true;
    if (i >= r.length) return false;
    if (r[i] === '#') return false;
    if (a[i] !== '+' && a[i] !== r[i]) return false;
  }
  return a.length === r.length;
}

export function mayPublish(principal: Principal, topic: string): boolean {
  return principal.publish.some((filter) => topicMatches(filter, topic));
}

export function maySubscribe(principal: Principal, filter: string): boolean {
  return principal.subscribe.some((allowed) => filterCovers(allowed, filter));
}
