import { withModifier } from '../../shared/attribution-rule.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { Timers } from '../../shared/timers.ts';
import { cartHoldings } from '../checkout/cart.ts';
import { DecisionBook, type DecisionBookDeps } from './decision-book.ts';
import type { StaffException } from './exception-queue.ts';
import { decideAtExit, decideAtExitAmongOthers, decideOnAlibi, notTheirs } from './exit-decision.ts';
import { DEFAULT_FUSION, type FusionSettings } from './fusion-settings.ts';
import { type ExitMatch, FusionStage, type FusionStageOptions } from './fusion-stage.ts';
import { decideOnSettledIdentity, othersRuledOut, tracksAtLane } from './identity-settle.ts';
import { sessionsAfterSwaps, swapsNamedBy } from './swap-redecide.ts';
import type { TrackSnapshot } from './track-history.ts';

/** Exceptions remembered as decided again for a swap (far more than are ever open at once). */
const MAX_SWAP_REDECISIONS = 1000;

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
  const decisions = new DecisionBook({ ...w, onlyHolderConfidence: settings.onlyHolderConfidence });
  const fusion = new FusionStage({
    store: w.store,
    clock: w.clock,
    timers: w.timers,
    settings,
    sessions: () => w.sessions.spans(),
    holds: (sessionId) => cartHoldings(w.sessions.eventsOf(sessionId)),
    openCarts: () =>
      w.sessions.spans().flatMap((s) => (w.sessions.isBillable(s.sessionId) ? [s.sessionId] : [])),
    undecidedPickOf: (sku) => w.exceptions.undecidedPickOf(sku),
    hasDoubtsWithEvidence: (sessionId) =>
      w.exceptions.openFor(sessionId).some((x) => x.reason !== 'age-check' && x.event.evidence !== undefined),
    decided: (event, candidates) => decisions.attributed(event, candidates),
    ...(w.closedCarts === undefined ? {} : { closedCarts: w.closedCarts }),
    ...(w.returnedAfterReceipt === undefined ? {} : { returnedAfterReceipt: w.returnedAfterReceipt }),
    stepped: (step) => {
      // picks sent to staff while two swapped tracks carried each other's sessions: decided again
      swapsUndone.stepped(step);
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
          const decision = decideOnSettledIdentity(
            event,
            track,
            settings,
            () => fusion.encounteredDuring(trackId, event),
            track.sessionId !== null && othersRuledOut(event, candidateSessions, track.sessionId),
          );
          const sessionId = decision?.choice.sessionId;
          if (decision === undefined || sessionId === undefined) continue;
          if (!candidateSessions.includes(sessionId) || !w.sessions.isBillable(sessionId)) continue;
          decisions.decide(exceptionId, decision.choice, 'vision:identity-settled', decision.restate);
          w.logger.info({ eventId: event.eventId, trackId }, 'doubtful pick decided: identity settled');
          break;
        }
      }
    },
    exitMatched: (match): boolean => settleAtExit(match, { w, decisions, fusion, settings }),
  });
  // the stage calls `stepped` only once built: the watch needs the stage itself
  const swapsUndone = new SwapRedecisions({ w, decisions, fusion, settings });
  return { fusion, decisions };
}

interface ExitSettling {
  w: FusionWiring;
  decisions: DecisionBook;
  fusion: FusionStage;
  settings: FusionSettings;
}

/**
 * A track was a session's person at its exit (`ExitMatch`): each open exception naming the session is decided
 * by who walked out (the track alone at the lane), or, when the track was far from the lane throughout, decided
 * again without the session — or at least no longer names it. True when no exception was passed over for a
 * doubt about whom the track followed since (the one thing a later match of the same person can change).
 */
function settleAtExit(match: ExitMatch, deps: ExitSettling): boolean {
  const { sessionId, trackId, doubtTs, how, party } = match;
  const { w, decisions, fusion, settings } = deps;
  let settledAll = true;
  for (const { exceptionId, event, reason, candidateSessions } of w.exceptions.openFor(sessionId)) {
    // who walked out says nothing of an ID: only a supervisor decides an ID check
    if (reason === 'age-check') continue;
    // in an encounter while the weight changed: who walked out says nothing of whom the track followed then
    if (fusion.encounteredDuring(trackId, event)) continue;
    // the track may have changed person since the pick (passed close to someone unseen, was relinked):
    // who walked out says nothing about who picked — unless its doubts, followed back from the exit, leave
    // the session's person no other track then
    if (
      doubtTs !== undefined &&
      doubtTs >= event.startTs - settings.lookBehindMs &&
      !fusion.carriedThroughout(sessionId, trackId, event)
    ) {
      settledAll = false;
      continue;
    }
    const decision =
      decideAtExit(event, sessionId, trackId, settings.exit, settings.attribution.elsewhereM) ??
      decideAtExitAmongOthers(event, sessionId, trackId, settings.exit, settings.attribution);
    if (decision !== undefined) {
      decisions.decide(exceptionId, decision.choice, 'vision:exit-match', decision.restate);
      w.logger.info({ eventId: event.eventId, sessionId, trackId, how }, 'doubtful pick matched at the exit');
      continue;
    }
    // the track was the session's person throughout: far from the lane, the session did not do it — but
    // of a party leaving on one scan, one far away says nothing of the others
    if (party > 1) continue;
    const alibiM = fusion.trackAlibiM(trackId, event);
    if (alibiM !== undefined)
      settleByWhereabouts({ exceptionId, event, candidateSessions }, alibiM, match, deps);
  }
  return settledAll;
}

/**
 * The leaver's track, followed from before an event to the exit, was `alibiM` from its lane at the nearest:
 * far enough, the event is decided again without them (or no longer names them); nearer, while someone else's
 * hand was surely in the lane, out of an arm's reach or with their own hands seen elsewhere, it no longer names
 * them (exit-decision.ts › notTheirs).
 */
function settleByWhereabouts(
  {
    exceptionId,
    event,
    candidateSessions,
  }: Pick<StaffException, 'exceptionId' | 'event' | 'candidateSessions'>,
  alibiM: number,
  { sessionId, trackId }: ExitMatch,
  { w, decisions, fusion, settings }: ExitSettling,
): void {
  const shown = decideOnAlibi(event, sessionId, alibiM, settings.attribution);
  if (shown === undefined) {
    const leaver = { alibiM, evidence: fusion.trackEvidence(trackId, sessionId, event) };
    if (
      notTheirs(event, trackId, leaver, settings.attribution) &&
      decisions.clearCandidate(exceptionId, sessionId, event, 'vision:exit-not-theirs')
    )
      w.logger.info(
        { eventId: event.eventId, sessionId, trackId, alibiM, handM: leaver.evidence?.handM },
        'doubtful pick: another hand was in the lane',
      );
    return;
  }
  const billed = shown.decision?.choice.sessionId;
  if (
    shown.decision !== undefined &&
    billed !== undefined &&
    candidateSessions.includes(billed) &&
    w.sessions.isBillable(billed)
  ) {
    decisions.decide(exceptionId, shown.decision.choice, 'vision:exit-alibi', shown.decision.restate);
    w.logger.info(
      { eventId: event.eventId, sessionId, trackId, alibiM, billed },
      'doubtful pick decided: a candidate was elsewhere',
    );
  } else if (decisions.clearCandidate(exceptionId, sessionId, shown.event, 'vision:exit-alibi')) {
    w.logger.info(
      { eventId: event.eventId, sessionId, trackId, alibiM },
      'doubtful pick: a candidate was elsewhere',
    );
  }
}

/** Decides again, once per swap, the picks sent to staff that a swap the tracker's looks showed may change. */
class SwapRedecisions {
  /** `<exceptionId> <swap>` of every exception already decided again for a swap (bounded, oldest dropped). */
  private readonly tried = new Set<string>();

  constructor(private readonly deps: ExitSettling) {}

  stepped(step: TrackSnapshot): void {
    const carried = sessionsAfterSwaps(step.tracks);
    if (carried.size === 0) return;
    const { w, decisions, fusion, settings } = this.deps;
    for (const { exceptionId, event, reason, candidateSessions } of w.exceptions.list()) {
      if (reason !== 'unattributed' || event.evidence === undefined) continue;
      const swaps = swapsNamedBy(event, carried, settings.lookBehindMs).filter(
        (c) => !this.tried.has(`${exceptionId} ${c.swap}`),
      );
      if (swaps.length === 0) continue;
      for (const c of swaps) this.remember(`${exceptionId} ${c.swap}`);
      const best = event.hypotheses[0];
      const again = fusion.decideWithSessionsCarried(event, carried);
      const sessionId = again?.sessionId ?? null;
      if (again === undefined || sessionId === null || best === undefined || event.ambiguous) continue;
      if (!candidateSessions.includes(sessionId) || !w.sessions.isBillable(sessionId)) continue;
      const evidence = { ...again.evidence, rule: withModifier(again.evidence.rule, 'swap-undone') };
      decisions.decide(
        exceptionId,
        { sessionId, sku: best.sku, count: best.count },
        'vision:swap-undone',
        (assigned) => ({ ...assigned, attribution: 'vision', confidence: again.confidence, evidence }),
      );
      w.logger.info(
        { eventId: event.eventId, swaps: swaps.map((c) => c.swap) },
        'doubtful pick decided: a swap the looks showed was undone',
      );
    }
  }

  private remember(key: string): void {
    this.tried.add(key);
    if (this.tried.size <= MAX_SWAP_REDECISIONS) return;
    const oldest = this.tried.values().next().value;
    if (oldest !== undefined) this.tried.delete(oldest);
  }
}
