// What an edge is started with: the store, its broker and cloud, its credential and database, and the
// optional parts (floor view, vision, lockstep for the evaluation). Read from the environment by edge-config.ts.
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { MqttAuth } from '../shared/broker/broker-credentials.ts';
import type { Clock } from '../shared/clock.ts';
import type { StoreConfig } from '../shared/store-config.ts';
import type { Timers } from '../shared/timers.ts';
import type { BehaviourSettings } from './behaviour/behaviour-settings.ts';
import type { LostExitSettings } from './checkout/lost-exit.ts';
import type { StuckReturnSettings } from './checkout/stuck-return.ts';
import type { RetentionSettings } from './db/edge-retention.ts';
import type { PickClipSettings } from './floor/pick-clips.ts';
import type { DeviceTimeWindow } from './mqtt/device-time-window.ts';
import type { VisionConfig } from './vision/vision-config.ts';

export interface EdgeOptions {
  store: StoreConfig;
  mqttUrl: string;
  /** The edge's broker credential (username `edge`) and the broker's CA for mqtts://. */
  mqttAuth?: MqttAuth;
  cloudUrl: string;
  storeCredential: string;
  /** SQLite file; ':memory:' keeps nothing across restarts. */
  dbPath: string;
  /** The cloud's entry-token public key (SPKI PEM). */
  entryTokenPublicKeyPem: string;
  logger: Logger;
  clock?: Clock;
  /** Timers of the edge's stages (default: wall-clock; virtual ones in a lockstep run). */
  timers?: Timers;
  /**
   * Lockstep (evaluation): load-cell batches go to the shelves and camera frames are inferred only when
   * `settle()` is called, each in a fixed order, so a run gives the same result on any machine. A store never
   * sets it.
   */
  lockstep?: boolean;
  /** HTTP port for health/metrics/state; 0 picks a free one; undefined serves none. */
  httpPort?: number;
  /** HTTP host (default 127.0.0.1; a store sets its LAN address). */
  httpHost?: string;
  /** TRUST_PROXY syntax (shared/trust-proxy.ts): whose X-Forwarded-For is believed; default none. */
  trustProxy?: string;
  settleMarginMs?: number;
  maxHoldMs?: number;
  /** Longest a receipt waits for staff to decide a doubtful line (ms, default 120 s). */
  exceptionHoldMs?: number;
  /** How often the shoppers' "I didn't take this" flags are pulled from the cloud (ms, default 1000; #18). */
  flagPullMs?: number;
  /** How often disputes granted in the cloud are pulled as training data (ms, default 5 min; #17). */
  disputePullMs?: number;
  /** Floor-view staff as `name:viewer|supervisor:password,…`. */
  floorStaff?: string;
  /** Ed25519 private key that signs gate commands (GATE_COMMAND_KEY_FILE); undefined: a fresh one (demo). */
  gateCommandKey?: KeyObject;
  /** How far device capture times may be from the edge's clock (default: 2 s ahead, any age behind). */
  deviceTimeWindow?: DeviceTimeWindow;
  /** When a session without an exit scan is closed (checkout/lost-exit.ts; default DEFAULT_LOST_EXIT: 3 h). */
  lostExit?: Partial<LostExitSettings>;
  /** Behaviour from the floor (edge/behaviour/behaviour-settings.ts; default DEFAULT_BEHAVIOUR). */
  behaviour?: Partial<BehaviourSettings>;
  /** How long the edge keeps what it no longer needs (db/retention.ts; default DEFAULT_RETENTION). */
  retention?: Partial<RetentionSettings>;
  /** Clips of the picks the edge bills by itself (floor/pick-clips.ts; default PICK_CLIP_DEFAULTS). */
  pickClips?: Partial<PickClipSettings>;
  /** When a return after the receipt stops waiting for it (checkout/stuck-return.ts; default DEFAULT_STUCK_RETURN: 24 h). */
  stuckReturns?: Partial<StuckReturnSettings>;
  /** Entry scans older than this (ms) are refused (a store's edge: STORE_STALE_ENTRY_SCAN_MS); default any age. */
  staleEntryScanMs?: number;
  /** Ceiling-camera tracking (edge/vision); off when undefined. */
  vision?: VisionConfig;
  /** Node process metrics (memory, event-loop lag) on /metrics as walkout_edge_*: the edge process only. */
  processMetrics?: boolean;
}
