import type { StoreIndex } from '../../shared/store-config.ts';
import type { Timers } from '../../shared/timers.ts';
import { cartHoldings } from '../checkout/cart.ts';
import { DecisionBook, type DecisionBookDeps } from './decision-book.ts';
import { decideAtExit } from './exit-decision.ts';
import { DEFAULT_FUSION, type FusionSettings } from './fusion-settings.ts';
import { FusionStage, type FusionStageOptions } from './fusion-stage.ts';
import { decideOnSettledIdentity, tracksAtLane } from './identity-settle.ts';

/** What the decision book needs, plus what fusion itself runs on. */
export interface FusionWiring extends DecisionBookDeps {
  store: StoreIndex;
  timers: Timers | undefined;
  settings?: FusionSettings;
  /** Closed sessions' carts, for put-backs after the receipt (#13; absent: none are looked for). */
  closedCarts?: FusionStageOptions['closedCarts'];
  /** A put-back was given to a session whose receipt was issued: the cloud is to refund it. */
  returnedAfterReceipt?: FusionStageOptions['returnedAfterReceipt'];
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
    openCarts: () =>
      w.sessions.spans().flatMap((s) => (w.sessions.isBillable(s.sessionId) ? [s.sessionId] : [])),
    undecidedPickOf: (sku) =>
      w.exceptions.list().some(
        (x) =>
          // an ID check's pick is already the shopper's: only its billing waits
          x.reason !== 'age-check' &&
          x.event.kind === 'pick' &&
          (x.event.hypotheses.length === 0 || x.event.hypotheses.some((h) => h.sku === sku)),
      ),
    hasDoubtsWithEvidence: (sessionId) =>
      w.exceptions.openFor(sessionId).some((x) => x.reason !== 'age-check' && x.event.evidence !== undefined),
    decided: (event, candidates) => decisions.attributed(event, candidates),
    ...(w.closedCarts === undefined ? {} : { closedCarts: w.closedCarts }),
    ...(w.returnedAfterReceipt === undefined ? {} : { returnedAfterReceipt: w.returnedAfterReceipt }),
    stepped: (step) => {
      // a pick refused for the identity of the one track at the lane: decided once that identity settles
      const open = w.exceptions
        .list()
        .map((x) => ({ ...x, atLane: tracksAtLane(x.event) }))
        .filter((x) => x.atLane.length > 0);
      if (open.length === 0) return;
      const tracks = new Map(step.tracks.map((t) => [t.id, t]));
      for (const { exceptionId, event, candidateSessions, atLane } of open) {
        for (const trackId of atLane) {
          const track = tracks.get(trackId);
          if (track === undefined) continue;
          const decision = decideOnSettledIdentity(event, track, settings);
          const sessionId = decision?.choice.sessionId;
          if (decision === undefined || sessionId === undefined) continue;
          if (!candidateSessions.includes(sessionId) || !w.sessions.isBillable(sessionId)) continue;
          decisions.decide(exceptionId, decision.choice, 'vision:identity-settled', decision.restate);
          w.logger.info({ eventId: event.eventId, trackId }, 'doubtful pick decided: identity settled');
          break;
        }
      }
    },
    exitMatched: (sessionId, trackId, doubtTs, how) => {
      for (const { exceptionId, event, reason } of w.exceptions.openFor(sessionId)) {
        // who walked out says nothing of an ID: only a supervisor decides an ID check
        if (reason === 'age-check') continue;
        // the track may have changed person since the pick (passed close to someone unseen, was relinked):
        // who walked out says nothing about who picked
        if (doubtTs !== undefined && doubtTs >= event.startTs - settings.lookBehindMs) continue;
        const decision = decideAtExit(event, sessionId, trackId, settings.exit);
        if (decision === undefined) continue;
        decisions.decide(exceptionId, decision.choice, 'vision:exit-match', decision.restate);
        w.logger.info(
          { eventId: event.eventId, sessionId, trackId, how },
          'doubtful pick matched at the exit',
        );
      }
    },
  });
  return { fusion, decisions };
}
