// Builds fusion with the book its decisions land in, and connects the exit match to it: the doubtful picks that
// the one person who walked out right after a shopper's exit scan alone made are that shopper's.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { Timers } from '../../shared/timers.ts';
import { cartHoldings } from '../checkout/cart.ts';
import type { SessionStore } from '../checkout/session-store.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import type { EdgeOutputs } from '../edge-outputs.ts';
import type { FloorHub } from '../floor/floor-hub.ts';
import type { FloorRecorder } from '../floor/floor-recorder.ts';
import type { UnresolvedExitAlerts } from '../floor/unresolved-exit-alerts.ts';
import { DecisionBook } from './decision-book.ts';
import type { ExceptionQueue } from './exception-queue.ts';
import { decideAtExit } from './exit-decision.ts';
import { DEFAULT_FUSION, type FusionSettings } from './fusion-settings.ts';
import { FusionStage } from './fusion-stage.ts';

export interface FusionWiring {
  store: StoreIndex;
  sessions: SessionStore;
  exceptions: ExceptionQueue;
  outputs: EdgeOutputs;
  hub: FloorHub;
  recorder: FloorRecorder;
  exitAlerts: UnresolvedExitAlerts;
  metrics: EdgeMetrics;
  clock: Clock;
  timers: Timers | undefined;
  logger: Logger;
  settings?: FusionSettings;
}

export function buildFusion(w: FusionWiring): { fusion: FusionStage; decisions: DecisionBook } {
  const settings = w.settings ?? DEFAULT_FUSION;
  const decisions = new DecisionBook(w);
  const fusion = new FusionStage({
    store: w.store,
    clock: w.clock,
    timers: w.timers,
    settings,
    sessions: () => w.sessions.spans(),
    holds: (sessionId) => cartHoldings(w.sessions.eventsOf(sessionId)),
    hasDoubtsWithEvidence: (sessionId) =>
      w.exceptions.openFor(sessionId).some((x) => x.event.evidence !== undefined),
    decided: (event, candidates) => decisions.attributed(event, candidates),
    exitMatched: (sessionId, trackId) => {
      for (const { exceptionId, event } of w.exceptions.openFor(sessionId)) {
        const decision = decideAtExit(event, sessionId, trackId, settings.exit);
        if (decision === undefined) continue;
        decisions.decide(exceptionId, decision.choice, 'vision:exit-match', decision.restate);
        w.logger.info({ eventId: event.eventId, sessionId, trackId }, 'doubtful pick matched at the exit');
      }
    },
  });
  return { fusion, decisions };
}
