// Wires the edge stages: MQTT in → gate / shelves → attribution → checkout → outbox → cloud, plus a small
// HTTP server (health, metrics, state). Every stage is started and stopped here.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Type } from 'typebox';
import { type Clock, systemClock } from '../shared/clock.ts';
import type { Alert } from '../shared/schemas/alert.ts';
import type { SessionEvent } from '../shared/schemas/session-event.ts';
import type { ShelfEvent } from '../shared/schemas/shelf-event.ts';
import { indexStore, type StoreConfig, type StoreIndex } from '../shared/store-config.ts';
import type { Timers } from '../shared/timers.ts';
import { topicFilters, topics } from '../shared/topics.ts';
import { compileValidator } from '../shared/validator.ts';
import { cartHoldings } from './checkout/cart.ts';
import { Checkout } from './checkout/checkout.ts';
import { SessionStore } from './checkout/session-store.ts';
import { type EdgeDatabase, openEdgeDatabase } from './db/edge-database.ts';
import { startEdgeHttp } from './edge-http.ts';
import { createEdgeMetrics, type EdgeMetrics } from './edge-metrics.ts';
import { AlertBook } from './floor/alert-book.ts';
import { FloorHub } from './floor/floor-hub.ts';
import { FloorRecorder } from './floor/floor-recorder.ts';
import { FloorService } from './floor/floor-service.ts';
import { parseStaffList, StaffAuth } from './floor/staff-auth.ts';
import { UnresolvedExitAlerts } from './floor/unresolved-exit-alerts.ts';
import { ExceptionQueue } from './fusion/exception-queue.ts';
import { wasAtLane } from './fusion/exit-match.ts';
import { FusionStage } from './fusion/fusion-stage.ts';
import { EntryTokenVerifier } from './gate/entry-token-verifier.ts';
import { GateController } from './gate/gate-controller.ts';
import { MqttLink } from './mqtt/mqtt-link.ts';
import { CloudSync } from './outbox/cloud-sync.ts';
import { Outbox } from './outbox/outbox.ts';
import type { DetectedShelfEvent, ShelfMonitor } from './shelves/shelf-monitor.ts';
import { ShelfStage } from './shelves/shelf-stage.ts';
import { tailgatingAlert, tailgatingAlertId } from './vision/tailgating-alert.ts';
import type { VisionConfig } from './vision/vision-config.ts';
import { VisionStage } from './vision/vision-stage.ts';

/** The part of the cloud's visit answer the edge passes on. */
const receiptValidator = compileValidator(
  Type.Object({ receiptId: Type.String(), status: Type.String(), totalCents: Type.Integer() }),
);

export interface EdgeOptions {
  store: StoreConfig;
  mqttUrl: string;
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
   * Lockstep (evaluation): camera frames are inferred only when `settle()` is called, so a run gives the same
   * result on any machine. A store never sets it.
   */
  lockstep?: boolean;
  /** HTTP port for health/metrics/state; 0 picks a free one; undefined serves none. */
  httpPort?: number;
  /** HTTP host (default 127.0.0.1; a store sets its LAN address). */
  httpHost?: string;
  settleMarginMs?: number;
  maxHoldMs?: number;
  /** Longest a receipt waits for staff to decide a doubtful line (ms, default 120 s). */
  exceptionHoldMs?: number;
  /** Floor-view staff as `name:viewer|supervisor:password,…`. */
  floorStaff?: string;
  /** Ceiling-camera tracking (edge/vision); off when undefined. */
  vision?: VisionConfig;
}

export class Edge {
  readonly metrics: EdgeMetrics;
  readonly store: StoreIndex;
  private readonly clock: Clock;
  private readonly db: EdgeDatabase;
  private readonly sessions: SessionStore;
  private readonly outbox: Outbox;
  private readonly link: MqttLink;
  private readonly shelves: ShelfMonitor;
  private readonly shelfStage: ShelfStage;
  readonly alerts = new AlertBook();
  readonly exceptions: ExceptionQueue;
  readonly hub: FloorHub;
  private readonly staff: StaffAuth;
  private readonly floorRecorder: FloorRecorder;
  private readonly exitAlerts: UnresolvedExitAlerts;
  private readonly checkout: Checkout;
  private readonly fusion: FusionStage;
  private readonly sync: CloudSync;
  private gate: GateController | undefined;
  private vision: VisionStage | undefined;
  private http: FastifyInstance | undefined;
  private readonly listeners = new Set<(event: ShelfEvent | SessionEvent) => void>();
  private readonly alertListeners = new Set<(alert: Alert) => void>();
  /** URL of the HTTP server once started. */
  httpUrl: string | undefined;

  constructor(private readonly options: EdgeOptions) {
    const { logger } = options;
    this.clock = options.clock ?? systemClock;
    this.store = indexStore(options.store);
    this.metrics = createEdgeMetrics();
    this.db = openEdgeDatabase(options.dbPath);
    this.sessions = new SessionStore(this.db);
    this.outbox = new Outbox(this.db);
    this.exceptions = new ExceptionQueue(this.db);
    this.hub = new FloorHub(() => this.clock.now());
    this.staff = new StaffAuth(parseStaffList(options.floorStaff ?? ''), this.clock);
    this.floorRecorder = new FloorRecorder({
      store: this.store,
      db: this.db,
      clock: this.clock,
      timers: options.timers,
      onFrames: (exceptionId, frames, complete) =>
        this.hub.publish('exception-frames', { exceptionId, frames, complete }),
    });
    this.exitAlerts = new UnresolvedExitAlerts({
      alerts: this.alerts,
      openFor: (sessionId) => this.exceptions.openFor(sessionId),
      publish: (alert) => this.publishAlert(alert),
      now: () => this.clock.now(),
      holdMs: options.exceptionHoldMs ?? 120_000,
    });
    const storeId = options.store.storeId;
    this.link = new MqttLink({
      url: options.mqttUrl,
      storeId,
      deviceId: 'edge',
      logger: logger.child({ component: 'mqtt' }),
      metrics: this.metrics,
    });
    this.shelfStage = new ShelfStage(
      this.store,
      this.db,
      this.alerts,
      {
        stock: (m) => {
          this.link.publish(topics.laneStock(storeId, m.lane), m, { qos: 1, retain: true });
          this.hub.publish('stock', m);
        },
        health: (m) => {
          this.link.publish(topics.shelfHealth(storeId, m.shelf), m, { qos: 1, retain: true });
          this.hub.publish('health', m);
        },
        alert: (a) => this.publishAlert(a),
      },
      this.metrics,
      this.clock,
      (event) => this.onShelfEvent(event),
    );
    this.shelves = this.shelfStage.monitor;
    this.sync = new CloudSync({
      cloudUrl: options.cloudUrl,
      storeId,
      credential: options.storeCredential,
      outbox: this.outbox,
      clock: this.clock,
      timers: options.timers,
      logger: logger.child({ component: 'cloud-sync' }),
      onDelivered: (item, answer) => this.onDelivered(item.key, answer),
      onFailed: () => this.metrics.outboxFailed.inc(),
    });
    this.fusion = new FusionStage({
      store: this.store,
      clock: this.clock,
      timers: options.timers,
      sessions: () => this.sessions.spans(),
      holds: (sessionId) => cartHoldings(this.sessions.eventsOf(sessionId)),
      decided: (event, candidates) => this.onAttributed(event, candidates),
      exitMatched: (sessionId, trackId) => this.onExitMatched(sessionId, trackId),
    });
    this.checkout = new Checkout({
      sessions: this.sessions,
      settledThrough: (ts, marginMs) =>
        this.shelves.isSettledThrough(ts, marginMs) && this.fusion.isSettledThrough(ts + marginMs),
      outbox: this.outbox,
      clock: this.clock,
      timers: options.timers,
      logger: logger.child({ component: 'checkout' }),
      metrics: this.metrics,
      settleMarginMs: options.settleMarginMs ?? 100,
      maxHoldMs: options.maxHoldMs ?? 5000,
      openExceptionsFor: (sessionId) => this.exceptions.openFor(sessionId).length,
      awaitingVision: (sessionId) => this.fusion.isAwaitingExit(sessionId),
      exceptionHoldMs: options.exceptionHoldMs ?? 120_000,
      onQueued: (session, visit) => {
        this.metrics.sessionsInStore.set(this.sessions.inStore().length);
        this.exitAlerts.checkedOut(session.sessionId);
        this.emitSession({
          v: 1,
          kind: 'receipt-queued',
          sessionId: session.sessionId,
          accountId: session.accountId,
          ts: this.clock.now(),
          lines: visit.lines,
        });
        this.sync.kick();
      },
    });
  }

  /** Shelf and session events as published on MQTT (for the demo, tests and the floor view). */
  onEvent(listener: (event: ShelfEvent | SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    const { store, logger } = this.options;
    const verifier = await EntryTokenVerifier.create(
      this.options.entryTokenPublicKeyPem,
      this.db,
      this.clock,
    );
    this.gate = new GateController({
      store: this.store,
      verifier,
      sessions: this.sessions,
      clock: this.clock,
      logger: logger.child({ component: 'gate' }),
      metrics: this.metrics,
      sendCommand: (gateId, command) =>
        this.link.publish(topics.gateCommand(store.storeId, gateId), command, { qos: 1 }),
      onEntered: (session) => {
        this.metrics.sessionsInStore.set(this.sessions.inStore().length);
        this.vision?.entered(session.sessionId, session.entryGate, session.party, session.enteredAt);
        this.emitSession({
          v: 1,
          kind: 'entered',
          sessionId: session.sessionId,
          accountId: session.accountId,
          gate: session.entryGate,
          party: session.party,
          ts: session.enteredAt,
        });
      },
      onExited: (session) => {
        this.emitSession({
          v: 1,
          kind: 'exited',
          sessionId: session.sessionId,
          accountId: session.accountId,
          gate: session.exitGate,
          ts: session.exitedAt ?? this.clock.now(),
        });
        this.exitAlerts.exited(session);
        // a doubtful pick whose person the cameras followed may be settled by who walks out now
        if (this.exceptions.openFor(session.sessionId).some((x) => x.event.evidence !== undefined))
          this.fusion.sessionExited(
            session.sessionId,
            session.exitGate ?? '',
            session.exitedAt ?? this.clock.now(),
          );
        this.checkout.begin(session);
      },
    });
    const gate = this.gate;
    this.link.subscribe('shelfWeights', topicFilters.shelfWeights(store.storeId), 0, (batch, shelfId) => {
      if (shelfId !== undefined) this.shelves.ingest(shelfId, batch);
    });
    this.link.subscribe('deviceStatus', topicFilters.deviceStatus(store.storeId), 1, (status, device) => {
      if (device === undefined) return;
      if (this.store.shelfById.has(device))
        this.shelves.setControllerOnline(device, status.state === 'online');
      this.onDeviceStatus(device, status.state === 'online');
    });
    this.link.subscribe('gateScan', topicFilters.gateScan(store.storeId), 1, (scan, gateId) => {
      if (gateId === undefined) return;
      gate.handleScan(gateId, scan).catch((err: unknown) => {
        this.metrics.messagesRejected.inc({ kind: 'gateScan', reason: 'handler-error' });
        logger.error({ err, gateId }, 'gate scan failed');
      });
    });
    if (this.options.vision !== undefined) {
      const vision = new VisionStage({
        store,
        config: this.options.vision,
        logger: logger.child({ component: 'vision' }),
        clock: this.clock,
        stepping: this.options.lockstep === true ? 'on-demand' : 'continuous',
        registry: this.metrics.registry,
        publish: (update) => {
          this.link.publish(topics.tracks(store.storeId), update, { qos: 0 });
          this.hub.publish('tracks', update);
          this.floorRecorder.tracksUpdated(update);
        },
        onFrame: (camera, captureTs, jpeg) => this.floorRecorder.frameArrived(camera, captureTs, jpeg),
        observe: (step) => this.fusion.observe(step),
        // more people through an entry gate than the scan admitted: staff check; clears itself later
        onTailgating: ({ state, event }) => {
          const now = this.clock.now();
          const alert =
            state === 'raised'
              ? this.alerts.raise(tailgatingAlert(event, now))
              : this.alerts.clear(tailgatingAlertId(event), now, `tailgating at ${event.gate}: over`);
          if (alert !== undefined) this.publishAlert(alert);
        },
      });
      this.vision = vision;
      this.link.subscribe('cameraFrame', topicFilters.cameraFrame(store.storeId), 0, (frame, camera) =>
        vision.ingest(frame, camera),
      );
      await vision.start();
    }
    await this.link.start();
    this.shelfStage.publishAllStock(this.clock.now());
    this.fusion.start();
    this.checkout.start();
    this.floorRecorder.start();
    this.sync.start();
    if (this.options.httpPort !== undefined) await this.startHttp(this.options.httpPort);
    logger.info(
      { storeId: store.storeId, shelves: store.shelves.length, gates: store.gates.length },
      'edge started',
    );
  }

  async stop(): Promise<void> {
    this.checkout.stop();
    this.floorRecorder.stop();
    await this.vision?.stop();
    this.fusion.stop();
    await this.sync.stop();
    await this.link.stop();
    await this.http?.close();
    this.listeners.clear();
    this.alertListeners.clear();
    this.db.close();
  }

  /** Device messages of this kind the edge has taken off the broker (a lockstep run waits for them). */
  messagesReceived(kind: 'shelfWeights' | 'cameraFrame' | 'gateScan'): number {
    return this.link.receivedCount(kind);
  }

  /** Camera frames the vision stage dropped because inference was behind (0 without cameras). */
  visionFramesDropped(): number {
    return this.vision?.droppedFrames ?? 0;
  }

  /**
   * Lockstep: finishes the work the messages received so far started — infers the queued camera frames as one
   * step (fusion decides what it can) and waits for deliveries to the cloud in flight.
   */
  async settle(): Promise<void> {
    await this.vision?.processQueued();
    await this.sync.idle();
  }

  /** True once every shelf's samples reached `ts` and nothing that began before it is unresolved. */
  shelvesSettledThrough(ts: number): boolean {
    return this.shelves.isSettledThrough(ts, 0);
  }

  /** Snapshot for the state endpoint and tests. */
  state() {
    return {
      storeId: this.options.store.storeId,
      inStore: this.sessions.inStore().map((s) => ({
        sessionId: s.sessionId,
        accountId: s.accountId,
        party: s.party,
        enteredAt: s.enteredAt,
      })),
      outbox: this.outbox.counts(),
    };
  }

  private onShelfEvent(detected: DetectedShelfEvent): void {
    this.fusion.onShelfEvent(detected);
  }

  /** Fusion decided whose event it is (or that staff must). */
  private onAttributed(event: ShelfEvent, candidates: string[]): void {
    this.metrics.shelfEvents.inc({ kind: event.kind, attribution: event.attribution });
    this.recordShelfEvent(event);
    const exception = this.exceptions.consider(event, candidates, this.clock.now());
    if (exception !== undefined) {
      this.metrics.exceptions.inc({ reason: exception.reason });
      this.options.logger.warn(
        { eventId: event.eventId, reason: exception.reason, candidates },
        'shelf event sent to staff',
      );
      this.hub.publish('exception', exception);
      this.floorRecorder.exceptionOpened(exception);
      this.exitAlerts.exceptionOpened(exception);
    }
  }

  /**
   * The one person who walked out right after this session's exit scan was its shopper: the doubtful picks
   * that person alone made are theirs (decided by the cameras, audited like a staff decision).
   */
  private onExitMatched(sessionId: string, trackId: string): void {
    const now = this.clock.now();
    for (const exception of this.exceptions.openFor(sessionId)) {
      const { event } = exception;
      const best = event.hypotheses[0];
      if (best === undefined || event.ambiguous || !wasAtLane(event, trackId)) continue;
      const assigned = this.exceptions.assign(
        exception.exceptionId,
        { sessionId, sku: best.sku, count: best.count },
        'vision:exit-match',
        now,
        (id) => this.sessions.isBillable(id),
      );
      const rule = `${event.evidence?.rule ?? 'unbound-at-lane'}+matched-at-exit`;
      const decided: ShelfEvent = {
        ...assigned,
        attribution: 'vision',
        confidence: 0.9,
        ...(event.evidence === undefined ? {} : { evidence: { ...event.evidence, rule } }),
      };
      this.options.logger.info(
        { eventId: event.eventId, sessionId, trackId },
        'doubtful pick matched at the exit',
      );
      this.recordShelfEvent(decided, true);
      this.hub.publish('exception-closed', {
        exceptionId: exception.exceptionId,
        status: 'resolved',
        by: 'vision:exit-match',
        event: decided,
      });
      this.exitAlerts.recheck();
    }
  }

  /** Stores and publishes a shelf event (detected, or decided again later: `replace`). */
  private recordShelfEvent(event: ShelfEvent, replace = false): void {
    if (replace || event.attribution === 'staff') this.sessions.updateEvent(event);
    else this.sessions.recordEvent(event);
    this.link.publish(topics.shelfEvents(this.options.store.storeId), event, { qos: 1 });
    this.hub.publish('shelf-event', event);
    for (const listener of this.listeners) listener(event);
  }

  private onDelivered(key: string, answer: unknown): void {
    this.metrics.outboxDelivered.inc();
    const sessionId = key.replace(/^visit:/, '');
    const session = this.sessions.get(sessionId);
    const receipt = receiptValidator.check(answer);
    this.emitSession({
      ...(receipt.ok ? { receipt: receipt.value } : {}),
      v: 1,
      kind: 'receipt-delivered',
      sessionId,
      accountId: session?.accountId ?? 'unknown',
      ts: this.clock.now(),
    });
  }

  /** Cameras and gates that go offline (their last will) are alerts for staff until they come back. */
  private onDeviceStatus(device: string, online: boolean): void {
    const kind = this.store.config.cameras.some((c) => c.id === device)
      ? 'camera'
      : this.store.gateById.has(device)
        ? 'gate'
        : undefined;
    if (kind === undefined) return;
    const alertId = `device-offline:${device}`;
    const now = this.clock.now();
    const alert = online
      ? this.alerts.clear(alertId, now, `${kind} ${device} is back online`)
      : this.alerts.raise({
          alertId,
          kind: 'device-offline',
          severity: 'critical',
          message:
            kind === 'camera'
              ? `camera ${device} is offline: shoppers under it are not seen — check its power and network`
              : `gate ${device} is offline: shoppers cannot scan there — check the gate controller`,
          ts: now,
        });
    if (alert !== undefined) this.publishAlert(alert);
  }

  private publishAlert(alert: Alert): void {
    this.link.publish(topics.alerts(this.options.store.storeId), alert, { qos: 1 });
    this.hub.publish('alert', alert);
    for (const listener of this.alertListeners) listener(alert);
  }

  /** Alerts as they are raised and cleared. */
  onAlert(listener: (alert: Alert) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
  }

  private emitSession(event: SessionEvent): void {
    this.link.publish(topics.sessionEvents(this.options.store.storeId), event, { qos: 1 });
    this.hub.publish('session-event', event);
    for (const listener of this.listeners) listener(event);
  }

  private async startHttp(port: number): Promise<void> {
    const floor = new FloorService({
      store: this.store,
      sessions: this.sessions,
      shelves: this.shelves,
      exceptions: this.exceptions,
      alerts: this.alerts,
      hub: this.hub,
      clock: this.clock,
      recorder: this.floorRecorder,
      onAssigned: (event) => this.recordShelfEvent(event),
      onDecided: () => this.exitAlerts.recheck(),
    });
    const { app, url } = await startEdgeHttp(port, this.options.httpHost ?? '127.0.0.1', {
      registry: this.metrics.registry,
      state: () => this.state(),
      auth: this.staff,
      hub: this.hub,
      floor,
    });
    this.http = app;
    this.httpUrl = url;
  }
}
