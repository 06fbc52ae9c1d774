// Fusion stage (I/O shell): shelf events in, attributed events out. With cameras it waits (bounded) until the
// tracks have caught up with the event, measures who reached into the lane, decides, and lets the shopper's
// cart settle look-alike put-backs. Without cameras the decision is immediate (sole session or staff).
import type { Clock } from '../../shared/clock.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import { type FloorPoint, laneReachPoint, shelfAxes } from '../../shared/store-geometry.ts';
import { type CancelTimer, systemTimers, type Timers } from '../../shared/timers.ts';
import type { DetectedShelfEvent } from '../shelves/shelf-monitor.ts';
import { cameraOutline, camerasSeeing } from '../tracking/coverage.ts';
import { attributeEvent, type SessionSpan, sessionsPresent } from './attributor.ts';
import { resolvePutBack } from './cart-evidence.ts';
import { leaverIsShopper, trackLeaving } from './exit-match.ts';
import { DEFAULT_FUSION, type FusionSettings } from './fusion-settings.ts';
import { gatherEvidence } from './reach-evidence.ts';
import { TrackHistory, type TrackSnapshot } from './track-history.ts';

export interface FusionStageOptions {
  store: StoreIndex;
  clock: Clock;
  /** Default: wall-clock timers. */
  timers?: Timers;
  sessions: () => SessionSpan[];
  /** Units per SKU in a session's cart now. */
  holds: (sessionId: string) => ReadonlyMap<string, number>;
  /** An event decided: `candidates` are the sessions that could have done it, most likely first. */
  decided: (event: ShelfEvent, candidates: string[]) => void;
  /** The one track that left right after this session's exit scan was this session's person. */
  exitMatched?: (sessionId: string, trackId: string) => void;
  /** Whether the session has doubtful picks the cameras followed (worth watching its exit for). */
  hasDoubtsWithEvidence?: (sessionId: string) => boolean;
  /** Default: DEFAULT_FUSION. */
  settings?: FusionSettings;
}

interface Pending {
  detected: DetectedShelfEvent;
  since: number;
}

interface PendingExit {
  sessionId: string;
  gate: string;
  scanTs: number;
  since: number;
}

export class FusionStage {
  readonly history = new TrackHistory();
  /** oldest first */
  private readonly pending: Pending[] = [];
  private readonly pendingExits: PendingExit[] = [];
  /** Edge-clock time the last step arrived. */
  private lastStepAt: number | undefined;
  private cancelFlush: CancelTimer | undefined;
  /** by lane id */
  private readonly laneCameras = new Map<string, Set<string>>();
  /** by lane id */
  private readonly reachPoints = new Map<string, FloorPoint>();
  private readonly settings: FusionSettings;

  constructor(private readonly options: FusionStageOptions) {
    this.settings = options.settings ?? DEFAULT_FUSION;
    const outlines = options.store.config.cameras.map((c) => cameraOutline(c));
    for (const shelf of options.store.config.shelves) {
      const { face } = shelfAxes(shelf);
      for (const lane of shelf.lanes) {
        const reach = laneReachPoint(shelf, lane);
        this.reachPoints.set(lane.id, reach);
        // the aisle in front of the lane, where whoever takes from it stands
        const aisle = { x: reach.x + face.x * 0.6, y: reach.y + face.y * 0.6 };
        this.laneCameras.set(lane.id, new Set(camerasSeeing(outlines, aisle.x, aisle.y)));
      }
    }
  }

  start(): void {
    this.cancelFlush ??= (this.options.timers ?? systemTimers).every(this.settings.flushEveryMs, () =>
      this.flush(),
    );
  }

  stop(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    this.flush(true);
  }

  /** One vision step. */
  observe(step: TrackSnapshot): void {
    this.history.record(step);
    this.lastStepAt = this.options.clock.now();
    this.flush();
  }

  /** A shelf event from the shelf stage. */
  onShelfEvent(detected: DetectedShelfEvent): void {
    this.pending.push({ detected, since: this.options.clock.now() });
    this.flush();
  }

  /**
   * A session scanned out: when some picks it may have made wait for staff with the cameras' evidence, watch
   * who walks out next — the one person leaving is this shopper, whatever session their track carried.
   */
  sessionExited(sessionId: string, gate: string, scanTs: number): void {
    if (this.history.latestTs === undefined) return;
    if (this.options.hasDoubtsWithEvidence?.(sessionId) !== true) return;
    this.pendingExits.push({ sessionId, gate, scanTs, since: this.options.clock.now() });
  }

  /** True while the exit of this session is still being watched. */
  isAwaitingExit(sessionId: string): boolean {
    return this.pendingExits.some((p) => p.sessionId === sessionId);
  }

  /** True when no event that began at or before `ts` is still waiting for the tracks. */
  isSettledThrough(ts: number): boolean {
    return !this.pending.some((p) => p.detected.startTs <= ts);
  }

  private flush(force = false): void {
    const now = this.options.clock.now();
    const { lookAheadMs: lookAhead, maxWaitMs: maxWait, staleTracksMs, exit: exitSettings } = this.settings;
    const exitWindow = exitSettings.windowMs;
    const tracksLive = this.lastStepAt !== undefined && now - this.lastStepAt < staleTracksMs;
    while (this.pending.length > 0) {
      const next = this.pending[0] as Pending;
      const caughtUp = (this.history.latestTs ?? Number.NEGATIVE_INFINITY) >= next.detected.endTs + lookAhead;
      if (!force && tracksLive && !caughtUp && now - next.since < maxWait) return;
      this.pending.shift();
      this.decide(next.detected);
    }
    for (let i = 0; i < this.pendingExits.length; i++) {
      const exit = this.pendingExits[i] as PendingExit;
      const seenAll = (this.history.latestTs ?? Number.NEGATIVE_INFINITY) >= exit.scanTs + exitWindow;
      if (!force && tracksLive && !seenAll && now - exit.since < exitWindow + maxWait) continue;
      this.pendingExits.splice(i--, 1);
      const snapshots = this.history.between(exit.scanTs, exit.scanTs + exitWindow);
      const leaver = trackLeaving(snapshots, exit.gate, exit.scanTs, exitSettings);
      if (leaver === undefined) continue;
      const spans = this.options.sessions();
      const othersNearby = spans.some(
        (s) =>
          s.sessionId !== exit.sessionId &&
          s.exitedAt !== undefined &&
          Math.abs(s.exitedAt - exit.scanTs) < exitWindow,
      );
      const inside = (id: string) => spans.some((s) => s.sessionId === id && s.exitedAt === undefined);
      if (leaverIsShopper(leaver, exit.sessionId, othersNearby, inside))
        this.options.exitMatched?.(exit.sessionId, leaver.id);
    }
  }

  private decide(detected: DetectedShelfEvent): void {
    const { options, settings } = this;
    const present = sessionsPresent(detected.startTs, detected.endTs, options.sessions());
    const vision = this.history.latestTs !== undefined;
    const seen = vision
      ? gatherEvidence(
          {
            sessions: present,
            targets: detected.lanes.flatMap((l) => this.reachPoints.get(l) ?? []),
            snapshots: this.history.between(
              detected.startTs - settings.lookBehindMs,
              detected.endTs + settings.lookAheadMs,
            ),
            laneCameras: new Set(detected.lanes.flatMap((l) => [...(this.laneCameras.get(l) ?? [])])),
          },
          settings.reach,
        )
      : undefined;
    const units = detected.hypotheses[0]?.count ?? 1;
    const decided = attributeEvent(
      present,
      seen === undefined ? undefined : { ...seen, units },
      settings.attribution,
    );
    let event: ShelfEvent = {
      ...detected,
      sessionId: decided.sessionId,
      attribution: decided.attribution,
      confidence: decided.confidence,
      evidence: decided.evidence,
    };
    const byCart = resolvePutBack(event, present, options.holds);
    if (byCart !== undefined) {
      event = {
        ...event,
        sessionId: byCart.sessionId,
        hypotheses: byCart.hypotheses,
        ambiguous: byCart.ambiguous,
        evidence: { ...decided.evidence, rule: `${decided.evidence.rule}+${byCart.rule}` },
      };
    }
    options.decided(event, decided.candidates);
  }
}
