// The edge's composition root: builds the stages — MQTT in → gate / shelves / vision → fusion → checkout →
// outbox → cloud, with the floor view beside them — wires them to one another, and starts them in order
// (stopped in reverse). Decisions live in the stages; this file only connects them.
import type { Alert } from '../shared/schemas/alert.ts';
import type { EdgeState } from '../shared/schemas/edge-state.ts';
import type { SessionEvent } from '../shared/schemas/session-event.ts';
import type { ShelfEvent } from '../shared/schemas/shelf-event.ts';
import type { TrackUpdate } from '../shared/schemas/track.ts';
import type { StoreIndex } from '../shared/store-config.ts';
import { createEdgeCore, type EdgeCore } from './edge-core.ts';
import type { EdgeMetrics } from './edge-metrics.ts';
import type { EdgeOptions } from './edge-options.ts';
import { type EdgeStage, startStages } from './edge-stages.ts';
import { wireEdge } from './edge-wiring.ts';
import type { AlertBook } from './floor/alert-book.ts';
import type { FloorHub } from './floor/floor-hub.ts';
import type { ExceptionQueue } from './fusion/exception-queue.ts';
import type { FusionStage } from './fusion/fusion-stage.ts';
import type { TrackSnapshot } from './fusion/track-history.ts';
import type { CloudSync } from './outbox/cloud-sync.ts';
import type { HeldShelfBatches } from './shelves/held-shelf-batches.ts';
import type { ShelfMonitor } from './shelves/shelf-monitor.ts';
import type { VisionStage } from './vision/vision-stage.ts';

export type { EdgeOptions };

export class Edge {
  readonly metrics: EdgeMetrics;
  readonly store: StoreIndex;
  readonly alerts: AlertBook;
  readonly exceptions: ExceptionQueue;
  readonly hub: FloorHub;
  /** URL of the HTTP server once started. */
  httpUrl: string | undefined;
  /** SPKI PEM the gates verify commands with (the half of the edge's gate-command key). */
  readonly gateCommandPublicKeyPem: string;
  private readonly core: EdgeCore;
  private readonly stages: EdgeStage[];
  private readonly shelves: ShelfMonitor;
  private readonly sync: CloudSync;
  private readonly returnsLink: CloudSync;
  private readonly vision: VisionStage | undefined;
  private readonly heldShelves: HeldShelfBatches | undefined;
  private readonly fusion: FusionStage;
  private stopStages: (() => Promise<void>) | undefined;

  constructor(private readonly options: EdgeOptions) {
    this.core = createEdgeCore(options, (url) => {
      this.httpUrl = url;
    });
    this.metrics = this.core.metrics;
    this.store = this.core.store;
    this.alerts = this.core.alerts;
    this.exceptions = this.core.exceptions;
    this.hub = this.core.hub;
    this.gateCommandPublicKeyPem = this.core.gateCommandPublicKeyPem;
    const wired = wireEdge(this.core);
    this.stages = wired.stages;
    this.shelves = wired.shelves;
    this.sync = wired.sync;
    this.returnsLink = wired.returnsLink;
    this.vision = wired.vision;
    this.heldShelves = wired.heldShelves;
    this.fusion = wired.fusion;
  }

  /**
   * One step of tracks from a tracker outside this process (run without VISION; the cart bench feeds its
   * shoppers' positions and hands this way): fusion attributes shelf events with them as with its own.
   */
  observeTracks(step: TrackSnapshot): void {
    this.fusion.observe(step);
  }

  /** Shelf and session events as published on MQTT (for the demo, tests and the evaluation). */
  onEvent(listener: (event: ShelfEvent | SessionEvent) => void): () => void {
    const offShelf = this.core.outputs.on('shelf-event', listener);
    const offSession = this.core.outputs.on('session-event', listener);
    return () => {
      offShelf();
      offSession();
    };
  }

  /** Track updates as published on MQTT (vision on). */
  onTracks(listener: (update: TrackUpdate) => void): () => void {
    return this.core.outputs.on('tracks', listener);
  }

  /** Alerts as they are raised and cleared. */
  onAlert(listener: (alert: Alert) => void): () => void {
    return this.core.outputs.on('alert', listener);
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
    this.core.outputs.clear();
    this.core.db.close();
  }

  /** Device messages of this kind the edge has taken off the broker (a lockstep run waits for them). */
  messagesReceived(kind: 'shelfWeights' | 'cameraFrame' | 'gateScan'): number {
    return this.core.link.receivedCount(kind);
  }

  /** Resolves once `count` device messages of this kind have been taken off the broker since start. */
  whenReceived(kind: 'shelfWeights' | 'cameraFrame' | 'gateScan', count: number): Promise<void> {
    return this.core.link.whenReceived(kind, count);
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
    await this.returnsLink.idle();
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

  /** Returns (#13) the cloud has not acknowledged yet, pending or held: a run waits for their refunds. */
  returnsOwed(): number {
    const counts = this.core.returnsOutbox.counts();
    return counts.pending + counts.held;
  }

  /** Snapshot for the state endpoint and tests. */
  state(): EdgeState {
    return this.core.state();
  }
}
