// The edge's composition root: builds the stages — MQTT in → gate / shelves / vision → fusion → checkout →
// outbox → cloud, with the floor view beside them — wires them to one another, and starts them in order
// (stopped in reverse). Decisions live in the stages; this file only connects them.
import { createPublicKey, type KeyObject, randomUUID } from 'node:crypto';
import { type Clock, systemClock } from '../shared/clock.ts';
import { generateGateCommandKeys } from '../shared/gate-command-signature.ts';
import type { Alert } from '../shared/schemas/alert.ts';
import type { SessionEvent } from '../shared/schemas/session-event.ts';
import type { ShelfEvent } from '../shared/schemas/shelf-event.ts';
import { indexStore, type StoreIndex } from '../shared/store-config.ts';
import { SessionStore } from './checkout/session-store.ts';
import { type EdgeDatabase, openEdgeDatabase } from './db/edge-database.ts';
import { DEFAULT_RETENTION } from './db/edge-retention.ts';
import { createEdgeMetrics, type EdgeMetrics } from './edge-metrics.ts';
import type { EdgeOptions } from './edge-options.ts';
import { EdgeOutputs } from './edge-outputs.ts';
import { type EdgeStage, startStages } from './edge-stages.ts';
import { wireEdge } from './edge-wiring.ts';
import { AlertBook } from './floor/alert-book.ts';
import { FloorHub } from './floor/floor-hub.ts';
import { FloorRecorder } from './floor/floor-recorder.ts';
import { UnresolvedExitAlerts } from './floor/unresolved-exit-alerts.ts';
import { ExceptionQueue } from './fusion/exception-queue.ts';
import { MqttLink } from './mqtt/mqtt-link.ts';
import type { CloudSync } from './outbox/cloud-sync.ts';
import { Outbox } from './outbox/outbox.ts';
import type { HeldShelfBatches } from './shelves/held-shelf-batches.ts';
import type { ShelfMonitor } from './shelves/shelf-monitor.ts';
import type { VisionStage } from './vision/vision-stage.ts';

export type { EdgeOptions };

export class Edge {
  readonly metrics: EdgeMetrics;
  readonly store: StoreIndex;
  readonly alerts = new AlertBook();
  readonly exceptions: ExceptionQueue;
  readonly hub: FloorHub;
  /** URL of the HTTP server once started. */
  httpUrl: string | undefined;
  /** SPKI PEM the gates verify commands with (the half of the edge's gate-command key). */
  readonly gateCommandPublicKeyPem: string;
  private readonly gateCommandKey: KeyObject;
  private readonly clock: Clock;
  private readonly db: EdgeDatabase;
  private readonly sessions: SessionStore;
  private readonly outbox: Outbox;
  private readonly link: MqttLink;
  private readonly outputs: EdgeOutputs;
  private readonly recorder: FloorRecorder;
  private readonly exitAlerts: UnresolvedExitAlerts;
  private readonly stages: EdgeStage[];
  private readonly shelves: ShelfMonitor;
  private readonly sync: CloudSync;
  private readonly vision: VisionStage | undefined;
  private readonly heldShelves: HeldShelfBatches | undefined;
  private stopStages: (() => Promise<void>) | undefined;

  constructor(private readonly options: EdgeOptions) {
    const { logger, timers, store } = options;
    const clock = options.clock ?? systemClock;
    this.clock = clock;
    this.metrics = createEdgeMetrics(options.processMetrics === true);
    // a store provisions the key (npm run broker:config); the demo and tests get one per edge
    this.gateCommandKey = options.gateCommandKey ?? generateGateCommandKeys().privateKey;
    this.gateCommandPublicKeyPem = createPublicKey(this.gateCommandKey)
      .export({ type: 'spki', format: 'pem' })
      .toString();
    this.store = indexStore(store);
    this.db = openEdgeDatabase(options.dbPath);
    this.sessions = new SessionStore(this.db);
    this.outbox = new Outbox(this.db);
    this.exceptions = new ExceptionQueue(this.db);
    this.hub = new FloorHub(
      () => clock.now(),
      () => this.metrics.floorClientsDropped.inc(),
    );
    const mqttLogger = logger.child({ component: 'mqtt' });
    this.link = new MqttLink({
      url: options.mqttUrl,
      storeId: store.storeId,
      deviceId: 'edge',
      auth: options.mqttAuth,
      logger: mqttLogger,
      metrics: this.metrics,
      // a persistent broker session is worth having only when the edge's own state persists: an edge on an
      // in-memory database (tests, the demo) is a fresh edge each time, with a client id of its own
      ...(options.dbPath === ':memory:'
        ? { clientId: `walkout-edge-${store.storeId}-${randomUUID().slice(0, 8)}`, persistentSession: false }
        : {}),
    });
    this.outputs = new EdgeOutputs(this.link, this.hub, store.storeId);
    this.recorder = new FloorRecorder({
      store: this.store,
      db: this.db,
      clock,
      timers,
      frameRetentionMs: options.retention?.framesMs ?? DEFAULT_RETENTION.framesMs,
      trackRetentionMs: options.retention?.tracksMs ?? DEFAULT_RETENTION.tracksMs,
      onFrames: (exceptionId, frames, complete) =>
        this.hub.publish('exception-frames', { exceptionId, frames, complete }),
    });
    this.exitAlerts = new UnresolvedExitAlerts({
      alerts: this.alerts,
      openFor: (sessionId) => this.exceptions.openFor(sessionId),
      publish: (alert) => this.alert(alert),
      now: () => clock.now(),
      holdMs: options.exceptionHoldMs ?? 120_000,
    });
    const wired = wireEdge({
      ...this.parts(),
      alert: (alert) => this.alert(alert),
      state: () => this.state(),
      listening: (url) => {
        this.httpUrl = url;
      },
    });
    this.stages = wired.stages;
    this.shelves = wired.shelves;
    this.sync = wired.sync;
    this.vision = wired.vision;
    this.heldShelves = wired.heldShelves;
  }

  /** Shelf and session events as published on MQTT (for the demo, tests and the evaluation). */
  onEvent(listener: (event: ShelfEvent | SessionEvent) => void): () => void {
    const offShelf = this.outputs.on('shelf-event', listener);
    const offSession = this.outputs.on('session-event', listener);
    return () => {
      offShelf();
      offSession();
    };
  }

  /** Alerts as they are raised and cleared. */
  onAlert(listener: (alert: Alert) => void): () => void {
    return this.outputs.on('alert', listener);
  }

  async start(): Promise<void> {
    this.stopStages = await startStages(this.stages, this.options.logger);
    const { store, logger } = this.options;
    logger.info(
      { storeId: store.storeId, shelves: store.shelves.length, gates: store.gates.length },
      'edge started',
    );
  }

  async stop(): Promise<void> {
    await this.stopStages?.();
    this.stopStages = undefined;
    this.outputs.clear();
    this.db.close();
  }

  /** Device messages of this kind the edge has taken off the broker (a lockstep run waits for them). */
  messagesReceived(kind: 'shelfWeights' | 'cameraFrame' | 'gateScan'): number {
    return this.link.receivedCount(kind);
  }

  /** Resolves once `count` device messages of this kind have been taken off the broker since start. */
  whenReceived(kind: 'shelfWeights' | 'cameraFrame' | 'gateScan', count: number): Promise<void> {
    return this.link.whenReceived(kind, count);
  }

  /**
   * Lockstep: finishes the work the messages received so far started — gives the held load-cell batches to
   * the shelves in their fixed order, infers the queued camera frames as one step (fusion decides what it can)
   * and waits for deliveries to the cloud in flight.
   */
  async settle(): Promise<void> {
    this.heldShelves?.release();
    await this.vision?.processQueued();
    await this.sync.idle();
  }

  /** Camera frames the detector ran on and frames the motion gate skipped (0 and 0 without cameras). */
  visionFrameCounts(): { inferred: number; skipped: number } {
    return this.vision?.frameCounts ?? { inferred: 0, skipped: 0 };
  }

  /** Camera frames the vision stage dropped because inference was behind (0 without cameras). */
  visionFramesDropped(): number {
    return this.vision?.droppedFrames ?? 0;
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

  private parts() {
    const { options, clock, store, db, sessions, outbox, exceptions, alerts, hub, link, outputs } = this;
    const { recorder, exitAlerts, metrics } = this;
    return {
      options,
      clock,
      store,
      db,
      sessions,
      outbox,
      exceptions,
      alerts,
      hub,
      link,
      outputs,
      recorder,
      exitAlerts,
      metrics,
      gateCommandKey: this.gateCommandKey,
    };
  }

  private alert(alert: Alert | undefined): void {
    if (alert !== undefined) this.outputs.publish('alert', alert);
  }
}
