// Checkout stage: when a shopper leaves, waits (bounded) until the shelves have settled past the exit
// time so no pick is missed, folds the session's events into a cart and puts the visit into the outbox.
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import type { SessionEvent } from '../../shared/schemas/session-event.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { ShopperFlagRecord, VisitEvent, VisitUpload } from '../../shared/schemas/visit.ts';
import type { VisitBehaviour } from '../../shared/schemas/visit-behaviour.ts';
import { type CancelTimer, systemTimers, type Timers } from '../../shared/timers.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import { putBackFromCart } from '../fusion/cart-evidence.ts';
import type { StaffException } from '../fusion/exception-queue.ts';
import type { Outbox } from '../outbox/outbox.ts';
import { buildCart, type Cart, cartHoldings } from './cart.ts';
import type { SessionStore, ShoppingSession } from './session-store.ts';

export interface CheckoutOptions {
  sessions: SessionStore;
  /**
   * True once every input that can add an event of this leaving session's before `ts` (+ margin) has been
   * decided.
   */
  settledThrough: (ts: number, marginMs: number, session: ShoppingSession) => boolean;
  outbox: Outbox;
  clock: Clock;
  /** Default: wall-clock timers. */
  timers?: Timers;
  logger: Logger;
  metrics: EdgeMetrics;
  /** Shelf samples needed past the exit time before the cart is final (ms). */
  settleMarginMs: number;
  /** Longest wait for the shelves (e.g. a shelf went offline); then the cart is closed as it is (ms). */
  maxHoldMs: number;
  /** Vision is still watching this session leave (it may settle one of its doubtful lines). */
  awaitingVision: (sessionId: string) => boolean;
  /** Open staff exceptions that may still add a line to this session's cart. */
  openExceptionsFor: (sessionId: string) => number;
  /**
   * Put-backs still waiting for staff that name this session as a candidate. When the hold runs out, one
   * of a product the shopper holds is credited to them (the doubt goes the shopper's way, as a doubtful pick
   * is not charged): an undecided put-back must not leave a returned item on the receipt.
   */
  doubtfulPutBacksFor?: (sessionId: string) => ShelfEvent[];
  /**
   * The shopper's "I didn't take this" flags on this session (#18), as staff exceptions open or decided: a
   * flag still open when the receipt is due is not billed (the shopper's word stands); all go in the visit.
   */
  flagsOf?: (sessionId: string) => StaffException[];
  /**
   * Event ids of this session's picks of age-restricted products still waiting for a supervisor's ID check:
   * the receipt waits for them as for any open exception, and a check still open when it is due is not billed.
   */
  uncheckedAgeLinesOf?: (sessionId: string) => readonly string[];
  /** Longest a receipt waits for staff decisions; then doubtful lines are not charged (a loss) (ms). */
  exceptionHoldMs: number;
  /** Longest extra wait for vision to see the shopper walk out (ms): fusion's exit watch (exitWatchMaxMs). */
  visionExitMs: number;
  onQueued: (session: ShoppingSession, visit: VisitUpload, cart: Cart, hold: ReceiptHold) => void;
  /**
   * The visit's behaviour from the floor (edge/behaviour/), carried by the upload; undefined (the shopper did
   * not consent, or no behaviour stage) leaves it out.
   */
  behaviourOf?: (
    session: ShoppingSession,
    events: readonly VisitEvent[],
    exitedAt: number,
  ) => VisitBehaviour | undefined;
}

/**
 * What can hold a receipt after the exit scan, each no longer than its own bound: the shelves settling past
 * the exit, fusion watching the shopper walk out, open exceptions naming the session (decided by the cameras
 * or staff, or left uncharged when the hold ran out). The floor hears those that held it last with the
 * receipt-queued event.
 */
export type ReceiptWait = NonNullable<SessionEvent['waitedFor']>[number];

/**
 * How long a receipt was held after the exit scan, what still held it the last moment it was held (empty:
 * nothing, it went at once), and whether a hold ran out (the cart closed as it was).
 */
export interface ReceiptHold {
  heldMs: number;
  waitedFor: ReceiptWait[];
  ranOut: boolean;
}

const POLL_MS = 25;

export class Checkout {
  /** by session id: when (edge clock) the checkout began, and what held it at the last poll */
  private readonly waiting = new Map<string, { since: number; waitedFor: ReceiptWait[] }>();
  private cancelPoll: CancelTimer | undefined;

  constructor(private readonly options: CheckoutOptions) {}

  /** Resumes sessions that were closing when the edge last stopped. */
  start(): void {
    for (const session of this.options.sessions.closing()) this.begin(session);
  }

  stop(): void {
    this.cancelPoll?.();
    this.cancelPoll = undefined;
  }

  begin(session: ShoppingSession): void {
    this.waiting.set(session.sessionId, { since: this.options.clock.now(), waitedFor: [] });
    this.cancelPoll ??= (this.options.timers ?? systemTimers).every(POLL_MS, () => this.poll());
    this.poll();
  }

  private poll(): void {
    const { sessions, settledThrough, clock, settleMarginMs, logger } = this.options;
    for (const [sessionId, wait] of this.waiting) {
      const session = sessions.get(sessionId);
      if (session === undefined || session.exitedAt === undefined) {
        this.waiting.delete(sessionId);
        continue;
      }
      const settled = settledThrough(session.exitedAt, settleMarginMs, session);
      const heldMs = clock.now() - wait.since;
      const doubtful = this.options.openExceptionsFor(sessionId);
      const held = this.heldFor(sessionId, { settled, doubtful, heldMs });
      if (held.length > 0) {
        wait.waitedFor = held;
        continue;
      }
      if (!settled)
        logger.warn({ sessionId, heldMs }, 'shelves not settled in time; closing the cart as it is');
      if (doubtful > 0) {
        this.options.metrics.unresolvedAtCheckout.inc(doubtful);
        logger.warn(
          { sessionId, heldMs, doubtful },
          'staff did not decide in time: doubtful lines not charged (loss)',
        );
      }
      this.waiting.delete(sessionId);
      this.finish(session, { heldMs, waitedFor: wait.waitedFor, ranOut: !settled || doubtful > 0 });
    }
    if (this.waiting.size === 0) this.stop();
  }

  /** What still holds the receipt, each for no longer than its own bound; empty: it can go. */
  private heldFor(
    sessionId: string,
    { settled, doubtful, heldMs }: { settled: boolean; doubtful: number; heldMs: number },
  ): ReceiptWait[] {
    const { maxHoldMs, visionExitMs, exceptionHoldMs } = this.options;
    const holds: Array<[ReceiptWait, boolean]> = [
      ['shelves', !settled && heldMs < maxHoldMs],
      ['exit-watch', this.options.awaitingVision(sessionId) && heldMs < maxHoldMs + visionExitMs],
      ['open-exceptions', doubtful > 0 && heldMs < exceptionHoldMs],
    ];
    return holds.flatMap(([wait, holding]) => (holding ? [wait] : []));
  }

  private finish(session: ShoppingSession, hold: ReceiptHold): void {
    const { sessions, outbox, clock, logger, metrics } = this.options;
    const exitedAt = session.exitedAt ?? clock.now();
    const flags = this.options.flagsOf?.(session.sessionId) ?? [];
    const undecidedFlags = new Set([
      ...flags.filter((x) => x.status === 'open').map((x) => x.event.eventId),
      ...(this.options.uncheckedAgeLinesOf?.(session.sessionId) ?? []),
    ]);
    // nothing is picked after the exit; an item of theirs can still come back (handed to someone who put it
    // back as they left: fusion gives such a put-back to its holder while the receipt is not final)
    const own = sessions
      .eventsOf(session.sessionId)
      .filter((e) => (e.startTs <= exitedAt || e.kind === 'put-back') && !undecidedFlags.has(e.eventId));
    const held = cartHoldings(own);
    // (among look-alikes, the one the shopper holds: crowd-at-shelf of the generated seed 60606 charged a
    // shopper for an item he put back, its weight 0.97 one product but flagged ambiguous)
    const credited = (this.options.doubtfulPutBacksFor?.(session.sessionId) ?? []).flatMap((e) => {
      const fromCart = e.startTs <= exitedAt ? putBackFromCart(e, held) : undefined;
      return fromCart === undefined ? [] : [{ ...fromCart, sessionId: session.sessionId }];
    });
    if (credited.length > 0)
      logger.warn(
        { sessionId: session.sessionId, putBacks: credited.map((e) => e.eventId) },
        'undecided put-backs of products the shopper held credited to them',
      );
    const cart = buildCart([...own, ...credited]);
    const behaviour = this.options.behaviourOf?.(session, cart.events, exitedAt);
    const visit: VisitUpload = {
      visitId: session.sessionId,
      accountId: session.accountId,
      // the cloud keeps whole milliseconds; a device may stamp its scan with a fraction
      enteredAt: Math.round(session.enteredAt),
      exitedAt: Math.round(exitedAt),
      party: session.party,
      lines: cart.lines,
      events: cart.events,
      // The cloud bills the visit on this token only; a session from before tokens were kept names none.
      ...(session.entryTokenId === undefined ? {} : { entryTokenIds: [session.entryTokenId] }),
      ...(behaviour === undefined ? {} : { behaviour }),
      ...(flags.length === 0 ? {} : { shopperFlags: flags.map(flagRecord) }),
    };
    outbox.enqueue(`visit:${visit.visitId}`, 'visit', visit, clock.now());
    sessions.markClosed(session.sessionId, exitedAt);
    metrics.receiptSettleMs.observe({ waited_for: receiptWaitLabel(hold.waitedFor) }, hold.heldMs);
    if (cart.doubtful.length > 0) {
      logger.warn(
        { sessionId: session.sessionId, doubtful: cart.doubtful.map((e) => e.eventId) },
        'doubtful events not billed',
      );
    }
    this.options.onQueued(session, visit, cart, hold);
  }
}

/** One name for what held a receipt: its holds joined by '+' ('nothing' when none did). */
export function receiptWaitLabel(waitedFor: readonly ReceiptWait[]): string {
  return waitedFor.length === 0 ? 'nothing' : waitedFor.join('+');
}

function flagRecord(x: StaffException): ShopperFlagRecord {
  return {
    flagId: x.flagId ?? x.exceptionId,
    sku: x.event.hypotheses[0]?.sku ?? '?',
    eventId: x.event.eventId,
    outcome: x.status === 'open' ? 'undecided' : x.status === 'dropped' ? 'removed' : 'confirmed',
  };
}
