// What the edge's stages share, made before they are wired: storage, the broker link, the one path out
// (edge-outputs.ts), the floor's books and the metrics. Construction only: nothing here starts or decides.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { type Clock, systemClock } from '../shared/clock.ts';
import { generateGateCommandKeys } from '../shared/gate-command-signature.ts';
import type { Alert } from '../shared/schemas/alert.ts';
import type { EdgeState } from '../shared/schemas/edge-state.ts';
import { indexStore, type StoreIndex } from '../shared/store-config.ts';
import { SessionStore } from './checkout/session-store.ts';
import { type EdgeDatabase, openEdgeDatabase } from './db/edge-database.ts';
import { DEFAULT_RETENTION } from './db/edge-retention.ts';
import { createEdgeMetrics, type EdgeMetrics } from './edge-metrics.ts';
import type { EdgeOptions } from './edge-options.ts';
import { EdgeOutputs } from './edge-outputs.ts';
import { AgeCheckAlerts } from './floor/age-check-alerts.ts';
import { AlertBook } from './floor/alert-book.ts';
import { CameraCalibrations } from './floor/camera-calibrations.ts';
import { FloorHub } from './floor/floor-hub.ts';
import { FloorRecorder } from './floor/floor-recorder.ts';
import { UnresolvedExitAlerts } from './floor/unresolved-exit-alerts.ts';
import { ExceptionQueue } from './fusion/exception-queue.ts';
import { brokerSessionFor } from './mqtt/broker-session.ts';
import { MqttLink } from './mqtt/mqtt-link.ts';
import { Outbox } from './outbox/outbox.ts';

/** What the composition root made before wiring: storage, the broker link, outputs and the floor's books. */
export interface EdgeCore {
  options: EdgeOptions;
  clock: Clock;
  /** The store config, with the cameras' stored calibrations in place (as the edge started). */
  store: StoreIndex;
  db: EdgeDatabase;
  /** Camera calibrations from the floor view (live changes reach the vision stage through it). */
  calibrations: CameraCalibrations;
  sessions: SessionStore;
  /** Visits owed to the cloud (kind `visit`). */
  outbox: Outbox;
  /** Returns after the receipt (#13): their own link, so one waiting for its receipt never delays a visit. */
  returnsOutbox: Outbox;
  /** Live-cart snapshots owed to the cloud (kind `cart`, #18), in the same table, drained by their own link. */
  cartOutbox: Outbox;
  exceptions: ExceptionQueue;
  alerts: AlertBook;
  hub: FloorHub;
  link: MqttLink;
  outputs: EdgeOutputs;
  recorder: FloorRecorder;
  exitAlerts: UnresolvedExitAlerts;
  /** "Check ID" alerts for picks of age-restricted products. */
  ageChecks: AgeCheckAlerts;
  metrics: EdgeMetrics;
  /** Signs every gate command (Ed25519); the gates hold the public half. */
  gateCommandKey: KeyObject;
  /** SPKI PEM the gates verify commands with. */
  gateCommandPublicKeyPem: string;
  /** Raises or clears an alert (undefined: nothing changed). */
  alert: (alert: Alert | undefined) => void;
  state: () => EdgeState;
  listening: (url: string) => void;
}

/** Builds the shared parts in the order they depend on one another; `listening` hears the HTTP address. */
export function createEdgeCore(options: EdgeOptions, listening: (url: string) => void): EdgeCore {
  const { logger, store } = options;
  const clock = options.clock ?? systemClock;
  const metrics = createEdgeMetrics(options.processMetrics === true);
  // a store provisions the key (npm run broker:config); the demo and tests get one per edge
  const gateCommandKey = options.gateCommandKey ?? generateGateCommandKeys().privateKey;
  const gateCommandPublicKeyPem = createPublicKey(gateCommandKey)
    .export({ type: 'spki', format: 'pem' })
    .toString();
  const db = openEdgeDatabase(options.dbPath);
  const exceptions = new ExceptionQueue(db);
  const calibrations = new CameraCalibrations({
    db,
    store,
    clock,
    audit: (...entry) => exceptions.audit(...entry),
  });
  // every stage sees each camera as last calibrated on the floor view (the config's homography until then)
  const index = indexStore(calibrations.applyTo(store));
  const sessions = new SessionStore(db);
  const outbox = new Outbox(db, ['visit']);
  // returns (#13) go on a link of their own: one the cloud cannot take yet (its visit not there or not paid)
  // backs off that link only, never the receipts behind it
  const returnsOutbox = new Outbox(db, ['return']);
  const cartOutbox = new Outbox(db, ['cart']);
  metrics.watchOutbox('visit', () => outbox.counts());
  metrics.watchOutbox('return', () => returnsOutbox.counts());
  metrics.watchOutbox('cart', () => cartOutbox.counts());
  const alerts = new AlertBook();
  const hub = new FloorHub(
    () => clock.now(),
    () => metrics.floorClientsDropped.inc(),
  );
  const link = new MqttLink({
    url: options.mqttUrl,
    storeId: store.storeId,
    deviceId: 'edge',
    auth: options.mqttAuth,
    logger: logger.child({ component: 'mqtt' }),
    metrics,
    ...brokerSessionFor(store.storeId, options.dbPath),
  });
  const outputs = new EdgeOutputs(link, hub, store.storeId);
  const alert = (raised: Alert | undefined): void => {
    if (raised !== undefined) outputs.publish('alert', raised);
  };
  const recorder = floorRecorderOf(options, { store: index, db, clock, calibrations, metrics, hub });
  const exitAlerts = new UnresolvedExitAlerts({
    alerts,
    openFor: (sessionId) => exceptions.openFor(sessionId),
    publish: alert,
    now: () => clock.now(),
    holdMs: options.exceptionHoldMs ?? 120_000,
  });
  const ageChecks = ageCheckAlertsOf(alerts, index, sessions, alert, clock);
  const state = (): EdgeState => edgeState(store.storeId, sessions, outbox);
  return {
    ...{
      options,
      clock,
      store: index,
      db,
      calibrations,
      sessions,
      outbox,
      returnsOutbox,
      cartOutbox,
      exceptions,
      alerts,
      hub,
      link,
      outputs,
      recorder,
    },
    ...{ exitAlerts, ageChecks, metrics, gateCommandKey, gateCommandPublicKeyPem, alert, state, listening },
  };
}

/** "Check ID" alerts on the floor view, naming the shopper by their session's account. */
function ageCheckAlertsOf(
  alerts: AlertBook,
  store: StoreIndex,
  sessions: SessionStore,
  publish: (alert: Alert | undefined) => void,
  clock: Clock,
): AgeCheckAlerts {
  const accountOf = (sessionId: string) => sessions.get(sessionId)?.accountId;
  return new AgeCheckAlerts({ alerts, store, accountOf, publish, now: () => clock.now() });
}

/** Snapshot for the state endpoint and tests: who is in the store, and the outbox. */
function edgeState(storeId: string, sessions: SessionStore, outbox: Outbox): EdgeState {
  return {
    storeId,
    inStore: sessions.inStore().map((s) => ({
      sessionId: s.sessionId,
      accountId: s.accountId,
      party: s.party,
      enteredAt: s.enteredAt,
    })),
    outbox: outbox.counts(),
  };
}

/** The floor's recorder: exception frames, pick clips, tracks and decision samples, with their retentions. */
function floorRecorderOf(
  options: EdgeOptions,
  parts: Pick<EdgeCore, 'store' | 'db' | 'clock' | 'calibrations' | 'metrics' | 'hub'>,
): FloorRecorder {
  const { store, db, clock, calibrations, metrics, hub } = parts;
  return new FloorRecorder({
    store,
    db,
    clock,
    timers: options.timers,
    frameRetentionMs: options.retention?.framesMs ?? DEFAULT_RETENTION.framesMs,
    trackRetentionMs: options.retention?.tracksMs ?? DEFAULT_RETENTION.tracksMs,
    cameraOf: (id) => calibrations.camera(id),
    onFrames: (exceptionId, frames, complete) =>
      hub.publish('exception-frames', { exceptionId, frames, complete }),
    ...(options.pickClips === undefined ? {} : { pickClips: options.pickClips }),
    pickClipCounts: {
      captured: (outcome) => metrics.pickClips.inc({ outcome }),
      evicted: (reason, clips) => metrics.pickClipsEvicted.inc({ reason }, clips),
      held: (bytes) => metrics.pickClipBytes.set(bytes),
    },
  });
}
