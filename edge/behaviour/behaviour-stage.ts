// The behaviour stage: derives a consenting shopper's visit behaviour when the checkout assembles the visit
// (nothing at all for anyone else), and keeps the anonymous floor heat from every track and pick. Its I/O is
// the edge database (heat) and the visit tracks the floor replay already keeps; the decisions are the pure
// core's (visit-behaviour.ts, lane-stays.ts).
import type { Clock } from '../../shared/clock.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { TrackUpdate } from '../../shared/schemas/track.ts';
import type { VisitEvent } from '../../shared/schemas/visit.ts';
import type { VisitBehaviour } from '../../shared/schemas/visit-behaviour.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import { type CancelTimer, systemTimers, type Timers } from '../../shared/timers.ts';
import type { ShoppingSession } from '../checkout/session-store.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';
import type { TrackPoint } from '../floor/visit-tracks.ts';
import { type BehaviourSettings, DEFAULT_BEHAVIOUR } from './behaviour-settings.ts';
import { FloorHeat, type LaneHeat } from './floor-heat.ts';
import { LaneReach } from './lane-reach.ts';
import { deriveVisitBehaviour } from './visit-behaviour.ts';

export interface BehaviourStageOptions {
  store: StoreIndex;
  db: EdgeDatabase;
  clock: Clock;
  /** Default: wall-clock timers. */
  timers?: Timers;
  /** A visit's track points (the floor replay's visit tracks), read when the visit is assembled. */
  tracksOf: (sessionId: string) => TrackPoint[];
  settings?: Partial<BehaviourSettings>;
  /** How long the floor heat is kept (ms, default 90 days: it names no one). */
  heatRetentionMs?: number;
}

const PRUNE_EVERY_MS = 3_600_000;

export class BehaviourStage {
  readonly settings: BehaviourSettings;
  private readonly reach: LaneReach;
  private readonly heat: FloorHeat;
  private cancelPrune: CancelTimer | undefined;
  /** Shelf events already counted as picks (a staff decision publishes an event again). */
  private counted = new Set<string>();

  constructor(private readonly options: BehaviourStageOptions) {
    this.settings = { ...DEFAULT_BEHAVIOUR, ...options.settings };
    this.reach = new LaneReach(options.store, this.settings.reachM);
    this.heat = new FloorHeat(options.db, this.reach, this.settings);
  }

  start(): void {
    this.prune();
    this.cancelPrune = (this.options.timers ?? systemTimers).every(PRUNE_EVERY_MS, () => this.prune());
  }

  stop(): void {
    this.cancelPrune?.();
    this.cancelPrune = undefined;
    this.heat.flush();
  }

  /**
   * The behaviour the visit upload carries: only when the entry token said the shopper consents; undefined
   * otherwise, and then nothing was derived. Derived from memory and the visit tracks, stored nowhere but in
   * the upload itself.
   */
  visitBehaviour(
    session: ShoppingSession,
    events: readonly VisitEvent[],
    exitedAt: number,
  ): VisitBehaviour | undefined {
    if (!session.behaviourConsent) return undefined;
    return deriveVisitBehaviour(
      {
        enteredAt: session.enteredAt,
        exitedAt,
        points: this.options.tracksOf(session.sessionId),
        events,
      },
      this.options.store,
      this.reach,
      this.settings,
    );
  }

  tracksUpdated(update: TrackUpdate): void {
    this.heat.tracksUpdated(update);
  }

  /** A decided shelf event: picks count towards the lane's looks per pick. */
  shelfEvent(event: ShelfEvent): void {
    const best = event.hypotheses[0];
    if (event.kind !== 'pick' || best === undefined || this.counted.has(event.eventId)) return;
    // bounded: a re-decision comes within minutes, long before 10 000 later picks
    if (this.counted.size >= 10_000) this.counted = new Set();
    this.counted.add(event.eventId);
    this.heat.picked(event.lane, best.count, event.startTs);
  }

  /** The floor heat per lane over [from, to). */
  heatBetween(from: number, to: number): LaneHeat[] {
    return this.heat.between(from, to);
  }

  private prune(): void {
    this.heat.prune(this.options.clock.now() - (this.options.heatRetentionMs ?? 90 * 86_400_000));
  }
}
