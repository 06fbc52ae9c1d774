// I/O shell of lost-exit.ts: follows the tracker's steps, looks at the open sessions every few seconds (and
// at start, so a session left open across a restart is closed too) and closes those whose exit scan was lost
// — through the same path as an exit scan, so the visit is settled, billed and the shopper can enter again.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import { type CancelTimer, systemTimers, type Timers } from '../../shared/timers.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import {
  DEFAULT_LOST_EXIT,
  type LostExitDecision,
  type LostExitSettings,
  lostExits,
  recordSightings,
  type SessionSightings,
  type TrackSighting,
} from './lost-exit.ts';
import type { SessionStore, ShoppingSession } from './session-store.ts';

export interface LostExitWatchOptions {
  sessions: SessionStore;
  clock: Clock;
  timers?: Timers;
  settings?: LostExitSettings;
  logger: Logger;
  metrics: EdgeMetrics;
  /** The session is closing (as after an exit scan): settle and bill it. */
  closed: (session: ShoppingSession, decision: LostExitDecision) => void;
}

export class LostExitWatch {
  /** by session id: what the cameras last saw of its people */
  private readonly sightings = new Map<string, SessionSightings>();
  private cancel: CancelTimer | undefined;

  constructor(private readonly options: LostExitWatchOptions) {}

  start(): void {
    this.cancel = (this.options.timers ?? systemTimers).every(this.settings().checkEveryMs, () =>
      this.check(),
    );
    this.check();
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  /** A tracker step (every live track, exited ones in their last message). */
  observe(step: { ts: number; tracks: readonly TrackSighting[] }): void {
    recordSightings(this.sightings, step, this.settings());
  }

  /** Closes the sessions whose exit scan was lost; returns what it decided. */
  check(): LostExitDecision[] {
    const { sessions, clock, logger, metrics } = this.options;
    const open = sessions.inStore();
    const openIds = new Set(open.map((s) => s.sessionId));
    for (const id of this.sightings.keys()) if (!openIds.has(id)) this.sightings.delete(id);
    const decisions = lostExits(open, this.sightings, clock.now(), this.settings());
    for (const decision of decisions) {
      const gate = decision.by === 'cameras' ? decision.gate : undefined;
      const session = sessions.markClosing(decision.sessionId, gate, decision.exitedAt);
      if (session === undefined) continue;
      this.sightings.delete(decision.sessionId);
      metrics.sessionsClosedWithoutExitScan.inc({ by: decision.by });
      logger.warn(
        {
          sessionId: session.sessionId,
          accountId: session.accountId,
          by: decision.by,
          exitedAt: decision.exitedAt,
        },
        decision.by === 'cameras'
          ? 'no exit scan, but the cameras saw the shopper leave: visit closed and billed'
          : 'no exit scan within the maximum visit time: visit closed and billed',
      );
      this.options.closed(session, decision);
    }
    return decisions;
  }

  private settings(): LostExitSettings {
    return this.options.settings ?? DEFAULT_LOST_EXIT;
  }
}
