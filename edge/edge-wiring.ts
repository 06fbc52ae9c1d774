import { signGateCommand } from '../shared/gate-command-signature.ts';
import { topics } from '../shared/topics.ts';
import { parseTrustProxy } from '../shared/trust-proxy.ts';
import { BehaviourStage } from './behaviour/behaviour-stage.ts';
import type { Checkout } from './checkout/checkout.ts';
import { buildCheckout } from './checkout/checkout-wiring.ts';
import { closedCartsSince } from './checkout/closed-carts.ts';
import { buildLiveCart, type LiveCartWiring } from './checkout/live-cart-wiring.ts';
import { DEFAULT_LOST_EXIT } from './checkout/lost-exit.ts';
import { LostExitWatch } from './checkout/lost-exit-watch.ts';
import { buildReturnsLink, queueReturn } from './checkout/return-after-receipt.ts';
import type { ShoppingSession } from './checkout/session-store.ts';
import { DEFAULT_RETENTION, EdgeRetention } from './db/edge-retention.ts';
import type { EdgeCore } from './edge-core.ts';
import type { EdgeStage } from './edge-stages.ts';
import { deviceStatusAlert } from './floor/device-alerts.ts';
import { floorStage } from './floor/floor-stage.ts';
import type { DecisionBook } from './fusion/decision-book.ts';
import type { FusionStage } from './fusion/fusion-stage.ts';
import { buildFusion } from './fusion/fusion-wiring.ts';
import { GateStage } from './gate/gate-stage.ts';
import { subscribeDevices } from './mqtt/device-subscriptions.ts';
import { DEFAULT_DEVICE_TIME_WINDOW } from './mqtt/device-time-window.ts';
import type { CloudSync } from './outbox/cloud-sync.ts';
import { DisputePull } from './outbox/dispute-pull.ts';
import { HeldShelfBatches } from './shelves/held-shelf-batches.ts';
import type { ShelfMonitor } from './shelves/shelf-monitor.ts';
import { ShelfStage } from './shelves/shelf-stage.ts';
import { stalledCameraAlertChange } from './vision/stalled-camera-alert.ts';
import { tailgatingAlertChange } from './vision/tailgating-alert.ts';
import { VisionStage } from './vision/vision-stage.ts';

/** The live cart (#18): snapshots to the cloud, and the shopper's flags pulled from it into `flagged`. */
function wireLiveCart(
  core: EdgeCore,
  books: Pick<LiveCartWiring, 'sessions' | 'exceptions' | 'outputs' | 'metrics'>,
  flagged: LiveCartWiring['flagged'],
) {
  const { options } = core;
  return buildLiveCart({
    ...books,
    cloud: { url: options.cloudUrl, storeId: options.store.storeId, credential: options.storeCredential },
    store: core.store,
    cartOutbox: core.cartOutbox,
    clock: core.clock,
    timers: options.timers,
    logger: options.logger,
    flagged,
    ...(options.flagPullMs === undefined ? {} : { flagPullMs: options.flagPullMs }),
  });
}

/** What wiring the edge made: its stages in start order, and the parts the composition root reaches. */
export interface EdgeWiring {
  stages: EdgeStage[];
  shelves: ShelfMonitor;
  sync: CloudSync;
  returnsLink: CloudSync;
  vision: VisionStage | undefined;
  heldShelves: HeldShelfBatches | undefined;
  fusion: FusionStage;
}

/** Builds the stages in the order they start: devices in → decisions → checkout → outbox → floor view. */
export function wireEdge(core: EdgeCore): EdgeWiring {
  const { options, clock, outputs, recorder, exitAlerts, ageChecks } = core;
  const { logger, timers } = options;
  const storeId = options.store.storeId;
  const books = { sessions: core.sessions, exceptions: core.exceptions, outputs, metrics: core.metrics };
  let decisionBook: DecisionBook | undefined;
  const returnsLink = wireReturnsLink(core);
  const liveCart = wireLiveCart(core, books, (flag) => decisionBook?.shopperFlagged(flag));
  const { fusion, decisions } = buildFusion({
    ...books,
    closedCarts: (since, skus) => closedCartsSince(core.sessions, core.outbox, since, skus),
    returnedAfterReceipt: (event) => {
      const queued = queueReturn(core.returnsOutbox, event, clock.now(), core.metrics);
      logger.info(
        { eventId: event.eventId, visitId: queued?.visitId },
        'item back on the shelf after the receipt: refund queued',
      );
      returnsLink.kick();
    },
    ageChecks,
    cartsChanged: (sessionIds, change) => liveCart.feed.changed(sessionIds, change),
    store: core.store,
    hub: core.hub,
    recorder,
    exitAlerts,
    clock,
    timers,
    logger,
  });
  decisionBook = decisions;
  const shelfStage = wireShelves(core, fusion);
  const shelves = shelfStage.monitor;
  const behaviour = wireBehaviour(core);
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
    store: core.store.config,
  });
  const exited = exitHandler(core, fusion, checkout);
  const lostExits = wireLostExits(core, exited);
  const vision = wireVision(core, fusion, lostExits, behaviour);
  const gate = wireGate(core, vision, exited);
  const heldShelves = options.lockstep === true ? holdShelfBatches(core, shelves) : undefined;
  subscribe(core, shelves, gate, vision, heldShelves);
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
    stage('returns-sync', returnsLink),
    stage('live-cart-sync', liveCart.sync),
    stage('flag-pull', liveCart.flags),
    stage('dispute-pull', disputePull(core)),
    stage('retention', retention(core)),
    wireFloor(core, shelves, decisions, behaviour),
  ];
  return { stages, shelves, sync, returnsLink, vision, heldShelves, fusion };
}

/** Disputes granted in the cloud, pulled back as training data with the frames the edge holds (#17). */
function disputePull(core: EdgeCore): DisputePull {
  const { options } = core;
  return new DisputePull({
    cloudUrl: options.cloudUrl,
    storeId: options.store.storeId,
    credential: options.storeCredential,
    db: core.db,
    exceptions: core.exceptions,
    samples: core.recorder.samples,
    pickClips: core.recorder.pickClips,
    clock: core.clock,
    logger: options.logger.child({ component: 'dispute-pull' }),
    timers: options.timers,
    ...(options.disputePullMs === undefined ? {} : { settings: { everyMs: options.disputePullMs } }),
    rejected: () => core.metrics.messagesRejected.inc({ kind: 'grantedDisputes', reason: 'schema' }),
  });
}

/** An edge part as a stage of the list. */
function stage(name: string, part: { start(): unknown; stop(): unknown }): EdgeStage {
  return {
    name,
    start: async () => void (await part.start()),
    stop: async () => void (await part.stop()),
  };
}

/** Load cells in: events to fusion, stock and health out; a lane's level is stored once what changed it is decided. */
function wireShelves(core: EdgeCore, fusion: FusionStage): ShelfStage {
  const { options, clock, outputs } = core;
  return new ShelfStage(
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
    options.logger.child({ component: 'shelves' }),
  );
}

/**
 * Behaviour from the floor: every decided pick and every track feeds the anonymous heat; a consenting
 * shopper's behaviour is derived when the checkout assembles their visit.
 */
function wireBehaviour(core: EdgeCore): BehaviourStage {
  const { options, recorder } = core;
  const behaviour = new BehaviourStage({
    store: core.store,
    db: core.db,
    clock: core.clock,
    timers: options.timers,
    tracksOf: (sessionId) => recorder.tracks.of(sessionId),
    settings: options.behaviour,
  });
  core.outputs.on('shelf-event', (event) => behaviour.shelfEvent(event));
  return behaviour;
}

/** Returns after the receipt (#13) on their own link to the cloud. */
function wireReturnsLink(core: EdgeCore): CloudSync {
  const { options } = core;
  return buildReturnsLink({
    cloud: { url: options.cloudUrl, storeId: options.store.storeId, credential: options.storeCredential },
    outbox: core.returnsOutbox,
    visits: core.outbox,
    ...(options.stuckReturns === undefined ? {} : { settings: options.stuckReturns }),
    clock: core.clock,
    timers: options.timers,
    logger: options.logger,
    metrics: core.metrics,
    alerts: core.alerts,
    alert: core.alert,
  });
}

/** Sessions nobody scanned out of: closed through the same exit path as a scan. */
function wireLostExits(
  core: EdgeCore,
  exited: (session: ShoppingSession, closedBy?: 'cameras' | 'max-visit-time') => void,
): LostExitWatch {
  const { options, clock } = core;
  return new LostExitWatch({
    sessions: core.sessions,
    clock,
    timers: options.timers,
    settings: { ...DEFAULT_LOST_EXIT, ...options.lostExit },
    logger: options.logger.child({ component: 'lost-exit' }),
    metrics: core.metrics,
    closed: (session, decision) => exited(session, decision.by),
  });
}

/** Lockstep: load-cell batches wait here until the driver releases them, in a fixed order. */
function holdShelfBatches(core: EdgeCore, shelves: ShelfMonitor): HeldShelfBatches {
  return new HeldShelfBatches(
    core.options.store.shelves.map((s) => s.id),
    (shelfId, batch) => {
      try {
        shelves.ingest(shelfId, batch);
      } catch (err) {
        core.metrics.messagesRejected.inc({ kind: 'shelfWeights', reason: 'handler-error' });
        core.options.logger.error({ err, shelfId }, 'shelf batch failed; batch dropped, edge keeps running');
      }
    },
  );
}

/** Device messages from the broker to their stages; a device going offline or online raises or clears its alert. */
function subscribe(
  core: EdgeCore,
  shelves: ShelfMonitor,
  gate: GateStage,
  vision: VisionStage | undefined,
  heldShelves: HeldShelfBatches | undefined,
): void {
  const { options, clock } = core;
  subscribeDevices(core.link, {
    storeId: options.store.storeId,
    shelves,
    gate,
    vision,
    heldShelves,
    deviceStatus: (device, status) => {
      const online = status.state === 'online';
      if (core.store.shelfById.has(device)) shelves.setControllerOnline(device, online);
      core.alert(deviceStatusAlert(core.store, core.alerts, device, status, clock.now()));
    },
    metrics: core.metrics,
    clock,
    timeWindow: options.deviceTimeWindow ?? DEFAULT_DEVICE_TIME_WINDOW,
    logger: options.logger,
  });
}

/** Prunes what the edge keeps, at start and every 10 minutes. */
function retention(core: EdgeCore): EdgeRetention {
  const { options } = core;
  return new EdgeRetention({
    db: core.db,
    clock: core.clock,
    timers: options.timers,
    settings: { ...DEFAULT_RETENTION, ...options.retention },
    metrics: core.metrics,
    logger: options.logger.child({ component: 'retention' }),
  });
}

/** The floor view: its HTTP API and page, fed by the hub. */
function wireFloor(
  core: EdgeCore,
  shelves: ShelfMonitor,
  decisions: DecisionBook,
  behaviour: BehaviourStage,
): EdgeStage {
  const { options } = core;
  return floorStage({
    store: core.store,
    sessions: core.sessions,
    shelves,
    exceptions: core.exceptions,
    alerts: core.alerts,
    hub: core.hub,
    clock: core.clock,
    recorder: core.recorder,
    calibrations: core.calibrations,
    heat: behaviour,
    decisions,
    registry: core.metrics.registry,
    state: core.state,
    floorStaff: options.floorStaff ?? '',
    port: options.httpPort,
    host: options.httpHost ?? '127.0.0.1',
    trustProxy: parseTrustProxy(options.trustProxy),
    listening: core.listening,
    logger: options.logger.child({ component: 'http' }),
  });
}

function wireVision(
  core: EdgeCore,
  fusion: FusionStage,
  lostExits: LostExitWatch,
  behaviour: BehaviourStage,
): VisionStage | undefined {
  const { options, clock, recorder } = core;
  if (options.vision === undefined) return undefined;
  const vision = new VisionStage({
    store: core.store.config,
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
    // vision workers: a camera whose detections stopped (every worker gone) is a device alert on the floor
    onCameraStalled: (change) => core.alert(stalledCameraAlertChange(change, core.alerts, clock.now())),
    timers: options.timers,
  });
  // a camera calibrated on the floor view: its new projection from the next step on
  core.calibrations.onCalibrated((camera) => vision.recalibrate(camera));
  return vision;
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
