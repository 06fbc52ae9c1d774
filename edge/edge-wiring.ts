// The edge's wiring: every stage built and connected to the others, in the order they start — devices in →
// gate / shelves / vision → fusion → checkout → outbox → cloud, and the floor view. Connections only: the
// decisions live in the stages.
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../shared/clock.ts';
import { signGateCommand } from '../shared/gate-command-signature.ts';
import type { Alert } from '../shared/schemas/alert.ts';
import type { EdgeState } from '../shared/schemas/edge-state.ts';
import type { StoreIndex } from '../shared/store-config.ts';
import { topics } from '../shared/topics.ts';
import { parseTrustProxy } from '../shared/trust-proxy.ts';
import { BehaviourStage } from './behaviour/behaviour-stage.ts';
import type { Checkout } from './checkout/checkout.ts';
import { buildCheckout } from './checkout/checkout-wiring.ts';
import { DEFAULT_LOST_EXIT } from './checkout/lost-exit.ts';
import { LostExitWatch } from './checkout/lost-exit-watch.ts';
import type { SessionStore, ShoppingSession } from './checkout/session-store.ts';
import type { EdgeDatabase } from './db/edge-database.ts';
import { DEFAULT_RETENTION, EdgeRetention } from './db/edge-retention.ts';
import type { EdgeMetrics } from './edge-metrics.ts';
import type { EdgeOptions } from './edge-options.ts';
import type { EdgeOutputs } from './edge-outputs.ts';
import type { EdgeStage } from './edge-stages.ts';
import type { AlertBook } from './floor/alert-book.ts';
import { deviceStatusAlert } from './floor/device-alerts.ts';
import type { FloorHub } from './floor/floor-hub.ts';
import type { FloorRecorder } from './floor/floor-recorder.ts';
import { floorStage } from './floor/floor-stage.ts';
import type { UnresolvedExitAlerts } from './floor/unresolved-exit-alerts.ts';
import type { ExceptionQueue } from './fusion/exception-queue.ts';
import type { FusionStage } from './fusion/fusion-stage.ts';
import { buildFusion } from './fusion/fusion-wiring.ts';
import { GateStage } from './gate/gate-stage.ts';
import { subscribeDevices } from './mqtt/device-subscriptions.ts';
import { DEFAULT_DEVICE_TIME_WINDOW } from './mqtt/device-time-window.ts';
import type { MqttLink } from './mqtt/mqtt-link.ts';
import type { CloudSync } from './outbox/cloud-sync.ts';
import type { Outbox } from './outbox/outbox.ts';
import { HeldShelfBatches } from './shelves/held-shelf-batches.ts';
import type { ShelfMonitor } from './shelves/shelf-monitor.ts';
import { ShelfStage } from './shelves/shelf-stage.ts';
import { tailgatingAlertChange } from './vision/tailgating-alert.ts';
import { VisionStage } from './vision/vision-stage.ts';

/** What the composition root made before wiring: storage, the broker link, outputs and the floor's books. */
export interface EdgeCore {
  options: EdgeOptions;
  clock: Clock;
  store: StoreIndex;
  db: EdgeDatabase;
  sessions: SessionStore;
  outbox: Outbox;
  exceptions: ExceptionQueue;
  alerts: AlertBook;
  hub: FloorHub;
  link: MqttLink;
  outputs: EdgeOutputs;
  recorder: FloorRecorder;
  exitAlerts: UnresolvedExitAlerts;
  metrics: EdgeMetrics;
  /** Signs every gate command (Ed25519); the gates hold the public half. */
  gateCommandKey: KeyObject;
  alert: (alert: Alert | undefined) => void;
  state: () => EdgeState;
  listening: (url: string) => void;
}

/** Builds the stages in the order they start: devices in → decisions → checkout → outbox → floor view. */
export function wireEdge(core: EdgeCore): {
  stages: EdgeStage[];
  shelves: ShelfMonitor;
  sync: CloudSync;
  vision: VisionStage | undefined;
  heldShelves: HeldShelfBatches | undefined;
} {
  const { options, clock, outputs, recorder, exitAlerts } = core;
  const { logger, timers } = options;
  const storeId = options.store.storeId;
  const books = { sessions: core.sessions, exceptions: core.exceptions, outputs, metrics: core.metrics };
  const { fusion, decisions } = buildFusion({
    ...books,
    store: core.store,
    hub: core.hub,
    recorder,
    exitAlerts,
    clock,
    timers,
    logger,
  });
  const shelfStage = new ShelfStage(
    core.store,
    core.db,
    core.alerts,
    {
      stock: (m) => outputs.publish('stock', m),
      health: (m) => outputs.publish('health', m),
      alert: (a) => core.alert(a),
    },
    core.metrics,
    clock,
    (event) => fusion.onShelfEvent(event),
    // a lane's level is stored only once what changed it is decided (and recorded), never before
    () => fusion.isSettledThrough(Number.POSITIVE_INFINITY),
    logger.child({ component: 'shelves' }),
  );
  const shelves = shelfStage.monitor;
  const behaviour = new BehaviourStage({
    store: core.store,
    db: core.db,
    clock,
    timers,
    tracksOf: (sessionId) => recorder.tracks.of(sessionId),
    settings: options.behaviour,
  });
  outputs.on('shelf-event', (event) => behaviour.shelfEvent(event));
  const { checkout, sync } = buildCheckout({
    ...books,
    cloud: { url: options.cloudUrl, storeId, credential: options.storeCredential },
    outbox: core.outbox,
    alerts: core.alerts,
    alert: core.alert,
    shelves,
    fusion,
    exitAlerts,
    clock,
    timers,
    logger,
    settleMarginMs: options.settleMarginMs ?? 100,
    maxHoldMs: options.maxHoldMs ?? 5000,
    exceptionHoldMs: options.exceptionHoldMs ?? 120_000,
    behaviourOf: (session, events, exitedAt) => behaviour.visitBehaviour(session, events, exitedAt),
  });
  const exited = exitHandler(core, fusion, checkout);
  const lostExits = new LostExitWatch({
    sessions: core.sessions,
    clock,
    timers,
    settings: { ...DEFAULT_LOST_EXIT, ...options.lostExit },
    logger: logger.child({ component: 'lost-exit' }),
    metrics: core.metrics,
    closed: (session, decision) => exited(session, decision.by),
  });
  const vision = wireVision(core, fusion, lostExits, behaviour);
  const gate = wireGate(core, vision, exited);
  const heldShelves =
    options.lockstep === true
      ? new HeldShelfBatches(
          options.store.shelves.map((s) => s.id),
          (shelfId, batch) => {
            try {
              shelves.ingest(shelfId, batch);
            } catch (err) {
              core.metrics.messagesRejected.inc({ kind: 'shelfWeights', reason: 'handler-error' });
              logger.error({ err, shelfId }, 'shelf batch failed; batch dropped, edge keeps running');
            }
          },
        )
      : undefined;
  subscribeDevices(core.link, {
    storeId,
    shelves,
    gate,
    vision,
    heldShelves,
    deviceStatus: (device, online) => {
      if (core.store.shelfById.has(device)) shelves.setControllerOnline(device, online);
      core.alert(deviceStatusAlert(core.store, core.alerts, device, online, clock.now()));
    },
    metrics: core.metrics,
    clock,
    timeWindow: core.options.deviceTimeWindow ?? DEFAULT_DEVICE_TIME_WINDOW,
    logger,
  });
  const stage = (name: string, part: { start(): unknown; stop(): unknown }): EdgeStage => ({
    name,
    start: async () => void (await part.start()),
    stop: async () => void (await part.stop()),
  });
  const stages = [
    stage('gate', gate),
    ...(vision === undefined ? [] : [stage('vision', vision)]),
    stage('mqtt', core.link),
    { name: 'stock', start: () => shelfStage.publishAllStock(clock.now()), stop: () => {} },
    stage('fusion', fusion),
    stage('checkout', checkout),
    stage('lost-exit', lostExits),
    stage('floor-recorder', recorder),
    stage('behaviour', behaviour),
    stage('cloud-sync', sync),
    stage(
      'retention',
      new EdgeRetention({
        db: core.db,
        clock,
        timers,
        settings: { ...DEFAULT_RETENTION, ...options.retention },
        metrics: core.metrics,
        logger: logger.child({ component: 'retention' }),
      }),
    ),
    floorStage({
      store: core.store,
      sessions: core.sessions,
      shelves,
      exceptions: core.exceptions,
      alerts: core.alerts,
      hub: core.hub,
      clock,
      recorder,
      heat: behaviour,
      decisions,
      registry: core.metrics.registry,
      state: core.state,
      floorStaff: options.floorStaff ?? '',
      port: options.httpPort,
      host: options.httpHost ?? '127.0.0.1',
      trustProxy: parseTrustProxy(options.trustProxy),
      listening: core.listening,
      logger: logger.child({ component: 'http' }),
    }),
  ];
  return { stages, shelves, sync, vision, heldShelves };
}

function wireVision(
  core: EdgeCore,
  fusion: FusionStage,
  lostExits: LostExitWatch,
  behaviour: BehaviourStage,
): VisionStage | undefined {
  const { options, clock, recorder } = core;
  if (options.vision === undefined) return undefined;
  return new VisionStage({
    store: options.store,
    config: options.vision,
    logger: options.logger.child({ component: 'vision' }),
    clock,
    registry: core.metrics.registry,
    stepping: options.lockstep === true ? 'on-demand' : 'continuous',
    publish: (update) => {
      core.outputs.publish('tracks', update);
      recorder.tracksUpdated(update);
      behaviour.tracksUpdated(update);
      lostExits.observe(update);
    },
    onFrame: (camera, captureTs, jpeg) => recorder.frameArrived(camera, captureTs, jpeg),
    observe: (step) => fusion.observe(step),
    // more people through an entry gate than the scan admitted: staff check; clears itself later
    onTailgating: (change) => core.alert(tailgatingAlertChange(change, core.alerts, clock.now())),
  });
}

/**
 * A session is closing — on its exit scan, or without one (`closedBy`, lost-exit.ts): announce it, and start
 * its checkout. Only a scan is given to fusion's exit watch (a scan is what it matches leaving tracks to).
 */
function exitHandler(
  core: EdgeCore,
  fusion: FusionStage,
  checkout: Checkout,
): (session: ShoppingSession, closedBy?: 'cameras' | 'max-visit-time') => void {
  const { clock, outputs } = core;
  return (session, closedBy) => {
    const ts = session.exitedAt ?? clock.now();
    const { sessionId, accountId, exitGate: gate, party } = session;
    outputs.publish('session-event', {
      v: 1,
      kind: 'exited',
      sessionId,
      accountId,
      ...(gate === undefined ? {} : { gate }),
      ts,
      ...(closedBy === undefined ? {} : { closedBy }),
    });
    core.exitAlerts.exited(session);
    if (closedBy === undefined) fusion.sessionExited(sessionId, gate ?? '', ts, party);
    checkout.begin(session);
  };
}

/** Entries open a session (vision binds the people coming in); exits start the checkout and the exit watch. */
function wireGate(
  core: EdgeCore,
  vision: VisionStage | undefined,
  exited: (session: ShoppingSession) => void,
): GateStage {
  const { options, clock, outputs, sessions } = core;
  return new GateStage({
    store: core.store,
    publicKeyPem: options.entryTokenPublicKeyPem,
    db: core.db,
    sessions,
    clock,
    logger: options.logger.child({ component: 'gate' }),
    metrics: core.metrics,
    staleEntryScanMs: options.staleEntryScanMs,
    sendCommand: (gateId, command) => {
      const storeId = options.store.storeId;
      const signed = signGateCommand(core.gateCommandKey, storeId, gateId, command);
      core.link.publish(topics.gateCommand(storeId, gateId), signed, { qos: 1 });
    },
    onEntered: (session) => {
      core.metrics.sessionsInStore.set(sessions.inStore().length);
      vision?.entered(session.sessionId, session.entryGate, session.party, session.enteredAt);
      const { sessionId, accountId, entryGate: gate, party, enteredAt: ts } = session;
      outputs.publish('session-event', { v: 1, kind: 'entered', sessionId, accountId, gate, party, ts });
    },
    onExited: (session) => exited(session),
  });
}
