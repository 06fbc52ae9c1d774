// Where attribution decisions land. Events fusion decided are stored and published, and the doubtful ones
// become staff exceptions; an exception is then decided by one function whoever decides it — staff on the
// floor view or the cameras at the exit — stored, published, audited, and the exit alerts rechecked. A pick
// of an age-restricted product opens an ID check that holds its line until a supervisor confirms it.

import type { Logger } from 'pino';
import { withModifier } from '../../shared/attribution-rule.ts';
import type { Clock } from '../../shared/clock.ts';
import type { CartFlag, LiveCartChange } from '../../shared/schemas/live-cart.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import { cartHoldings } from '../checkout/cart.ts';
import type { SessionStore } from '../checkout/session-store.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import type { EdgeOutputs } from '../edge-outputs.ts';
import type { AgeCheckAlerts } from '../floor/age-check-alerts.ts';
import type { FloorHub } from '../floor/floor-hub.ts';
import type { FloorRecorder } from '../floor/floor-recorder.ts';
import type { UnresolvedExitAlerts } from '../floor/unresolved-exit-alerts.ts';
import {
  orphanedPutBacks,
  type PutBackResolution,
  resolvePutBack,
  returnedByOnlyHolder,
} from './cart-evidence.ts';
import type { ExceptionQueue } from './exception-queue.ts';

export interface DecisionBookDeps {
  sessions: SessionStore;
  exceptions: ExceptionQueue;
  /** What leaves the edge (only `publish` is needed). */
  outputs: Pick<EdgeOutputs, 'publish'>;
  hub: FloorHub;
  recorder: FloorRecorder;
  exitAlerts: UnresolvedExitAlerts;
  metrics: EdgeMetrics;
  clock: Clock;
  logger: Logger;
  /**
   * An open exception no decision can bill any more — every candidate's receipt has gone, its line counted a
   * loss — is dropped by the system this long after it opened (ms; default `STALE_EXCEPTION_MS`).
   */
  staleExceptionMs?: number;
  /** These sessions' carts may have changed (the live cart, #18); `change` says what did it. */
  cartsChanged?: (sessionIds: readonly (string | null)[], change: LiveCartChange) => void;
  /** Age-restricted products and their "check ID" alerts (absent: no product needs an ID check). */
  ageChecks?: AgeCheckAlerts;
  /**
   * Confidence a put-back nobody was seen to make is credited with once one shopper alone holds its product
   * (fusion's `onlyHolderConfidence`; absent: such put-backs stay with staff).
   */
  onlyHolderConfidence?: number;
}

/** Why a shopper's flag opened no staff decision. */
export type FlagRefusal = 'visit_over' | 'no_such_line' | 'already_flagged';

/** 15 min: staff still see a lost line for a while, but an unstaffed store does not keep them for ever. */
export const STALE_EXCEPTION_MS = 15 * 60_000;

/** Who drops a stale exception, in the audit trail and on the floor view. */
export const EXPIRY_ACTOR = 'system:expiry';

/** Who closes an ID check whose product the shopper put back: nothing of it is sold, nothing to check. */
export const RETURNED_ACTOR = 'system:put-back';

/** Who gets an exception's event, as what. */
export interface ExceptionChoice {
  sessionId: string;
  sku: string;
  count: number;
}

export class DecisionBook {
  constructor(private readonly deps: DecisionBookDeps) {}

  /** Fusion decided whose event it is (or that staff must): `candidates` could have done it. */
  attributed(event: ShelfEvent, candidates: string[]): void {
    const { metrics, exceptions, clock, logger, hub, recorder, exitAlerts } = this.deps;
    metrics.shelfEvents.inc({ kind: event.kind, attribution: event.attribution });
    this.expireStale();
    this.record(event);
    const exception = exceptions.consider(event, candidates, clock.now()) ?? this.openAgeCheck(event);
    // a doubtful pick shows only in the cart of the one shopper who could have made it (live-cart.ts)
    this.deps.cartsChanged?.([event.sessionId, ...(candidates.length === 1 ? candidates : [])], {
      kind: event.kind,
      eventId: event.eventId,
      ...(event.hypotheses[0] === undefined
        ? {}
        : { sku: event.hypotheses[0].sku, count: event.hypotheses[0].count }),
    });
    if (exception === undefined) {
      this.closeReturnedAgeChecks(event);
      recorder.attributedAlone(event);
      return;
    }
    metrics.exceptions.inc({ reason: exception.reason });
    logger.warn(
      { eventId: event.eventId, reason: exception.reason, candidates },
      'shelf event sent to staff',
    );
    if (exception.reason === 'age-check') this.deps.ageChecks?.raise(exception);
    hub.publish('exception', exception);
    recorder.exceptionOpened(exception);
    exitAlerts.exceptionOpened(exception);
  }

  /**
   * Decides an open exception: its event goes to `choice.sessionId` (who must still be billable). `by` is the
   * staff member or the deciding rule (`vision:exit-match`); `restate` rewrites the decided event (the exit
   * match bills by vision with its own confidence). Returns the event as billed.
   */
  decide(
    exceptionId: string,
    choice: ExceptionChoice,
    by: string,
    restate?: (assigned: ShelfEvent) => ShelfEvent,
  ): ShelfEvent {
    const { exceptions, sessions, clock, hub, exitAlerts } = this.deps;
    const before = exceptions.list().find((x) => x.exceptionId === exceptionId);
    const assigned = exceptions.assign(exceptionId, choice, by, clock.now(), (id) => sessions.isBillable(id));
    const event = restate === undefined ? assigned : restate(assigned);
    this.record(event, true);
    hub.publish('exception-closed', { exceptionId, status: 'resolved', by, event });
    if (event.kind === 'pick') this.takeBackOrphans(event);
    exitAlerts.recheck();
    if (before?.reason === 'shopper-flag') this.deps.metrics.shopperFlags.inc({ outcome: 'confirmed' });
    if (before?.reason === 'age-check')
      this.deps.ageChecks?.decided(exceptionId, `ID checked by ${by}: billed`);
    this.deps.cartsChanged?.([event.sessionId, ...(before?.candidateSessions ?? [])], {
      kind: 'decided',
      eventId: event.eventId,
    });
    return event;
  }

  /**
   * A pick decided late: put-backs of its product since then that the cart they were given could not take
   * (someone else's item, handed over or mixed up) may have been this one coming back — decided again with
   * what the carts hold now, as fusion would have had the pick been decided at once.
   */
  private takeBackOrphans(pick: ShelfEvent): void {
    const { sessions, logger } = this.deps;
    const sku = pick.hypotheses[0]?.sku;
    if (sku === undefined || pick.ambiguous || pick.sessionId === null) return;
    const live = sessions.spans().map((s) => s.sessionId);
    const holds = (id: string) => cartHoldings(sessions.eventsOf(id));
    for (const other of live) {
      if (other === pick.sessionId) continue;
      for (const orphan of orphanedPutBacks(sessions.eventsOf(other), sku, pick.startTs)) {
        const byCart = resolvePutBack(orphan, live, holds);
        if (byCart?.sessionId !== pick.sessionId) continue;

        this.record(resolvedBy(orphan, byCart), true);
        logger.info(
          { eventId: orphan.eventId, from: other, to: byCart.sessionId },
          'put-back returned for the picker',
        );
        this.deps.cartsChanged?.([other, byCart.sessionId], { kind: 'decided', eventId: orphan.eventId });
      }
    }
    this.returnToOnlyHolder(pick, sku, live, holds);
  }

  /**
   * A pick decided late: put-backs of its product since then that went to staff because the cameras gave them
   * to nobody while this pick waited (someone's item not on a cart yet, so the cart could not tell whose came
   * back) are decided again, as fusion would have at once had the pick been decided: when exactly one shopper
   * may hold the product now and no other pick of it waits, it was theirs (`returnedByOnlyHolder`).
   */
  private returnToOnlyHolder(
    pick: ShelfEvent,
    sku: string,
    live: readonly string[],
    holds: (id: string) => ReadonlyMap<string, number>,
  ): void {
    const { exceptions, sessions, logger } = this.deps;
    const confidence = this.deps.onlyHolderConfidence;
    if (confidence === undefined) return;
    const waiting = exceptions
      .list()
      .filter(
        (x) =>
          x.event.kind === 'put-back' &&
          x.event.startTs >= pick.startTs &&
          x.event.hypotheses.some((h) => h.sku === sku),
      );
    for (const x of waiting) {
      const only = returnedByOnlyHolder(x.event, live, holds, (s) => exceptions.undecidedPickOf(s));
      const best = only?.hypotheses[0];
      if (only === undefined || best === undefined) continue;
      if (!x.candidateSessions.includes(only.sessionId) || !sessions.isBillable(only.sessionId)) continue;
      this.decide(
        x.exceptionId,
        { sessionId: only.sessionId, sku: best.sku, count: best.count },
        'vision:held-only-by',
        (assigned) => ({ ...resolvedBy(assigned, only), attribution: 'vision', confidence }),
      );
      logger.info({ eventId: x.event.eventId, to: only.sessionId }, 'put-back credited to the only holder');
    }
  }

  /**
   * Drops open exceptions that can no longer bill anyone (every candidate's receipt went) and opened more
   * than `staleExceptionMs` ago, so they neither stay in memory for ever in an unstaffed store nor keep
   * counting as undecided picks that hold up put-backs of their product. Audited; returns how many.
   */
  expireStale(): number {
    const { exceptions, sessions, clock } = this.deps;
    const maxAge = this.deps.staleExceptionMs ?? STALE_EXCEPTION_MS;
    const now = clock.now();
    const stale = exceptions
      .list()
      .filter(
        (x) => now - x.createdAt > maxAge && x.candidateSessions.every((id) => !sessions.isBillable(id)),
      );
    for (const x of stale)
      this.drop(x.exceptionId, "every candidate's receipt went without this line (a loss)", EXPIRY_ACTOR);
    return stale.length;
  }

  /**
   * A candidate of an open exception was shown not to have done it (`by`: the deciding rule, e.g.
   * `vision:exit-alibi`): the exception names them no more — their receipt no longer waits for it — and staff
   * see it without them. `event` is the exception's event with the evidence that showed it.
   */
  clearCandidate(exceptionId: string, sessionId: string, event: ShelfEvent, by: string): boolean {
    const { exceptions, clock, hub, exitAlerts } = this.deps;
    const cleared = exceptions.clearCandidate(exceptionId, sessionId, event, by, clock.now());
    if (cleared === undefined) return false;
    hub.publish('exception-updated', cleared);
    exitAlerts.recheck();
    return true;
  }

  /** Staff decided nobody is charged for an exception's event (a loss, audited). */
  drop(exceptionId: string, note: string, by: string): { exceptionId: string; status: string } {
    const { exceptions, clock, hub, exitAlerts, metrics } = this.deps;
    const dropped = exceptions.drop(exceptionId, by, note, clock.now());
    if (dropped.reason === 'shopper-flag' || dropped.reason === 'age-check') {
      // the shopper was right, or may not buy it: the pick is nobody's (audited by the drop) and leaves their
      // cart (an age-restricted product refused stays with staff)
      this.record({ ...dropped.event, sessionId: null, attribution: 'staff' }, true);
    }
    if (dropped.reason === 'shopper-flag') metrics.shopperFlags.inc({ outcome: 'removed' });
    if (dropped.reason === 'age-check')
      this.deps.ageChecks?.decided(exceptionId, `refused by ${by}: removed`);
    hub.publish('exception-closed', { exceptionId, status: 'dropped', by });
    exitAlerts.recheck();
    this.deps.cartsChanged?.(dropped.candidateSessions, { kind: 'decided', eventId: dropped.event.eventId });
    return { exceptionId, status: dropped.status };
  }

  /**
   * The shopper flagged a counted line "I didn't take this": their latest pick of that product not flagged
   * before goes to staff with its evidence and frames, as any doubtful line (the receipt waits for it).
   */
  shopperFlagged(flag: CartFlag): { exceptionId: string } | { refused: FlagRefusal } {
    const { sessions, exceptions, clock, hub, recorder, exitAlerts, metrics, logger } = this.deps;
    const refuse = (refused: FlagRefusal) => {
      metrics.shopperFlags.inc({ outcome: 'refused' });
      logger.warn(
        { flagId: flag.flagId, sessionId: flag.sessionId, sku: flag.sku, refused },
        'shopper flag refused',
      );
      return { refused };
    };
    if (!sessions.isBillable(flag.sessionId)) return refuse('visit_over');
    const flagged = new Set(exceptions.flagsOf(flag.sessionId).map((x) => x.event.eventId));
    const pick = sessions
      .eventsOf(flag.sessionId)
      .filter(
        (e) =>
          e.kind === 'pick' && !e.ambiguous && e.hypotheses[0]?.sku === flag.sku && !flagged.has(e.eventId),
      )
      .at(-1);
    if (pick === undefined) return refuse('no_such_line');
    const exception = exceptions.openFlag(flag.flagId, pick, flag.sessionId, clock.now());
    if (exception === undefined) return refuse('already_flagged');
    metrics.shopperFlags.inc({ outcome: 'opened' });
    metrics.exceptions.inc({ reason: exception.reason });
    logger.warn({ eventId: pick.eventId, flagId: flag.flagId }, 'shopper flagged a line: sent to staff');
    hub.publish('exception', exception);
    recorder.exceptionOpened(exception);
    exitAlerts.exceptionOpened(exception);
    this.deps.cartsChanged?.([flag.sessionId], { kind: 'flagged', eventId: pick.eventId, sku: flag.sku });
    return { exceptionId: exception.exceptionId };
  }

  /** Opens the ID check of a confident pick of an age-restricted product by one shopper (else undefined). */
  private openAgeCheck(event: ShelfEvent) {
    const sku = event.hypotheses[0]?.sku;
    const { ageChecks, exceptions, clock } = this.deps;
    if (event.kind !== 'pick' || event.sessionId === null || event.ambiguous || sku === undefined) return;
    if (ageChecks?.isAgeRestricted(sku) !== true) return;
    return exceptions.openAgeCheck(event, event.sessionId, clock.now());
  }

  /**
   * A put-back that leaves the shopper holding none of an age-restricted product: its open ID checks close as
   * confirmed (the picks and the put-backs cancel on the receipt), so the receipt does not wait for them.
   */
  private closeReturnedAgeChecks(event: ShelfEvent): void {
    const sku = event.hypotheses[0]?.sku;
    const { sessionId } = event;
    if (event.kind !== 'put-back' || sessionId === null || event.ambiguous || sku === undefined) return;
    const checks = this.deps.exceptions
      .openFor(sessionId)
      .filter((x) => x.reason === 'age-check' && x.event.hypotheses[0]?.sku === sku);
    if (checks.length === 0) return;
    if ((cartHoldings(this.deps.sessions.eventsOf(sessionId)).get(sku) ?? 0) > 0) return;
    for (const x of checks) {
      this.decide(
        x.exceptionId,
        { sessionId, sku, count: x.event.hypotheses[0]?.count ?? 1 },
        RETURNED_ACTOR,
      );
    }
  }

  /** Stores and publishes a shelf event (detected, or decided again later: `replace`). */
  record(event: ShelfEvent, replace = false): void {
    const { sessions, outputs } = this.deps;
    if (replace || event.attribution === 'staff') sessions.updateEvent(event);
    else sessions.recordEvent(event);
    outputs.publish('shelf-event', event);
  }
}

/** A put-back as the carts resolved it: to their session, with their products, the rule saying why. */
function resolvedBy(event: ShelfEvent, resolution: PutBackResolution): ShelfEvent {
  return {
    ...event,
    sessionId: resolution.sessionId,
    hypotheses: resolution.hypotheses,
    ambiguous: resolution.ambiguous,
    ...(event.evidence === undefined
      ? {}
      : { evidence: { ...event.evidence, rule: withModifier(event.evidence.rule, resolution.rule) } }),
  };
}
