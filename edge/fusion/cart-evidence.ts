// Pure core: what a shopper holds tells what they can put back. A put-back whose weight fits look-alikes is
// the one the shopper holds; a put-back of something the attributed shopper never took was someone else's
// item (handed over, or the cameras mixed the two up) and comes off the cart of the one shopper who holds it.
import type { RuleModifier } from '../../shared/attribution-rule.ts';
import type { ProductHypothesis, ShelfEvent } from '../../shared/schemas/shelf-event.ts';

export interface PutBackResolution {
  sessionId: string;
  hypotheses: ProductHypothesis[];
  ambiguous: boolean;
  /** Appended to the attribution rule. */
  rule: Extract<RuleModifier, 'cart' | 'returned-for-other' | 'held-only-by' | 'returned-after-receipt'>;
}

/** A session whose receipt was issued: when it left, and what it was billed for less what came back since. */
export interface ClosedCart {
  sessionId: string;
  exitedAt: number;
  holds: ReadonlyMap<string, number>;
}

/**
 * `holds(session)`: units per SKU in the session's cart now. `holders`: sessions that may hold what came
 * back — inside during the event, or scanned out with the receipt not yet final (fusion-stage.ts › openCarts).
 * `undecidedPickOf(sku)`: a pick of it still waits for staff or the exit — then a put-back the attributed
 * shopper's cart cannot take may be that pick's item coming back (its taker's cart is not known yet), and it
 * stays with the shopper the cameras saw put it back: it is decided again once that pick is
 * (`decision-book.ts › takeBackOrphans`). Undefined when the cart says nothing new.
 */
export function resolvePutBack(
  event: ShelfEvent,
  holders: readonly string[],
  holds: (sessionId: string) => ReadonlyMap<string, number>,
  undecidedPickOf: (sku: string) => boolean = () => false,
): PutBackResolution | undefined {
  if (event.kind !== 'put-back' || event.sessionId === null || event.hypotheses.length === 0)
    return undefined;
  const own = fitting(event, holds(event.sessionId));
  if (own.length > 0) {
    if (!event.ambiguous || own.length === event.hypotheses.length) return undefined;
    // only one of the look-alikes is in the cart: that is what came back
    if (new Set(own.map((h) => h.sku)).size !== 1) return undefined;
    return { sessionId: event.sessionId, hypotheses: normalise(own), ambiguous: false, rule: 'cart' };
  }
  if (mayBeUndecidedPick(event, undecidedPickOf)) return undefined;
  const other = onlyHolder(
    event,
    holders.filter((s) => s !== event.sessionId),
    holds,
  );
  return other === undefined ? undefined : { ...other, rule: 'returned-for-other' };
}

/**
 * A put-back the cameras could not give to anyone (a close call, nobody seen): what comes back to a shelf was
 * held by someone, so when exactly one shopper who may hold it does — and no pick of it still waits for a decision
 * (someone whose item is not on a cart yet) — it is theirs. Undefined otherwise.
 */
export function returnedByOnlyHolder(
  event: ShelfEvent,
  holders: readonly string[],
  holds: (sessionId: string) => ReadonlyMap<string, number>,
  undecidedPickOf: (sku: string) => boolean,
): PutBackResolution | undefined {
  if (event.kind !== 'put-back' || event.sessionId !== null || event.hypotheses.length === 0)
    return undefined;
  if (mayBeUndecidedPick(event, undecidedPickOf)) return undefined;
  const only = onlyHolder(event, holders, holds);
  return only === undefined ? undefined : { ...only, rule: 'held-only-by' };
}

/**
 * A put-back no open cart can take — not the attributed shopper's (or nobody was), nor anyone's who may still
 * hold it (`holders`, as for `resolvePutBack`) — while no pick of it waits for a decision, is the item of the
 * one shopper who left holding it, their receipt already issued (`closedCarts(since, skus)`: they exited at
 * most `withinMs` before it began, or while it was put back): handed over, put back by the one they gave it
 * to. Undefined otherwise — none or several such shoppers hold it (a refund then needs staff or the shopper's
 * own dispute).
 */
export function returnedAfterReceipt(
  event: ShelfEvent,
  holders: readonly string[],
  holds: (sessionId: string) => ReadonlyMap<string, number>,
  undecidedPickOf: (sku: string) => boolean,
  closedCarts: (since: number, skus: readonly string[]) => readonly ClosedCart[],
  withinMs: number,
): PutBackResolution | undefined {
  if (event.kind !== 'put-back' || event.hypotheses.length === 0) return undefined;
  const open = event.sessionId === null ? holders : [...new Set([event.sessionId, ...holders])];
  if (open.some((session) => fitting(event, holds(session)).length > 0)) return undefined;
  if (mayBeUndecidedPick(event, undecidedPickOf)) return undefined;
  // looked up only now: most put-backs go back to an open cart
  const closed = closedCarts(
    event.startTs - withinMs,
    event.hypotheses.map((h) => h.sku),
  );
  // left by the time it came back: one who left while it was being put back was inside for none of it, so
  // neither a candidate of the attributor nor among `holders` (hand-over of the generated seed 40404: the giver
  // scanned out 0.1 s into the receiver's put-back, and the item was credited to the receiver, who never held
  // it, while the giver's receipt kept it)
  const recent = closed.filter((c) => c.exitedAt <= event.endTs && event.startTs - c.exitedAt <= withinMs);
  /** by session id */
  const held = new Map(recent.map((c) => [c.sessionId, c.holds]));
  const only = onlyHolder(
    event,
    recent.map((c) => c.sessionId),
    (session) => held.get(session) ?? new Map(),
  );
  return only === undefined ? undefined : { ...only, rule: 'returned-after-receipt' };
}

/**
 * A put-back still in doubt as it would come off a cart holding `held`: its product when the weight told it,
 * or among look-alikes the one of them the cart holds (as `resolvePutBack` reads a cart); undefined when the
 * cart holds none of it, or several of the look-alikes.
 */
export function putBackFromCart(
  event: ShelfEvent,
  held: ReadonlyMap<string, number>,
): ShelfEvent | undefined {
  const best = event.hypotheses[0];
  if (event.kind !== 'put-back' || best === undefined) return undefined;
  if (!event.ambiguous) return (held.get(best.sku) ?? 0) >= best.count ? event : undefined;
  const own = fitting(event, held);
  if (own.length === 0 || new Set(own.map((h) => h.sku)).size !== 1) return undefined;
  return { ...event, hypotheses: normalise(own), ambiguous: false };
}

/** A pick of one of the event's products still waits for a decision: its taker's cart is not known yet. */
function mayBeUndecidedPick(event: ShelfEvent, undecidedPickOf: (sku: string) => boolean): boolean {
  return event.hypotheses.some((h) => undecidedPickOf(h.sku));
}

/** The event's hypotheses a cart holding `held` could have given back. */
function fitting(event: ShelfEvent, held: ReadonlyMap<string, number>): ProductHypothesis[] {
  return event.hypotheses.filter((h) => (held.get(h.sku) ?? 0) >= h.count);
}

/** The one session of `sessions` that holds what came back, as one product; undefined when not exactly one. */
function onlyHolder(
  event: ShelfEvent,
  sessions: readonly string[],
  holds: (sessionId: string) => ReadonlyMap<string, number>,
): Omit<PutBackResolution, 'rule'> | undefined {
  const holders = sessions
    .map((session) => ({ session, fit: fitting(event, holds(session)) }))
    .filter((o) => o.fit.length > 0);
  const [only] = holders;
  if (holders.length !== 1 || only === undefined) return undefined;
  if (new Set(only.fit.map((h) => h.sku)).size !== 1) return undefined;
  return { sessionId: only.session, hypotheses: normalise(only.fit), ambiguous: false };
}

/**
 * Put-backs of `sku` from `since` on that this session's cart could not take — it did not hold that many
 * then — so they were someone else's item coming back, whoever held it was not known yet (their pick still
 * waited for staff or the exit).
 */
export function orphanedPutBacks(events: readonly ShelfEvent[], sku: string, since: number): ShelfEvent[] {
  const ordered = [...events].sort((a, b) => a.startTs - b.startTs || a.eventId.localeCompare(b.eventId));
  let held = 0;
  const orphans: ShelfEvent[] = [];
  for (const event of ordered) {
    const best = event.hypotheses[0];
    if (best === undefined || event.ambiguous || best.sku !== sku) continue;
    if (event.kind === 'pick') held += best.count;
    else if (best.count > held) {
      if (event.startTs >= since) orphans.push(event);
      held = 0;
    } else held -= best.count;
  }
  return orphans;
}

function normalise(hypotheses: readonly ProductHypothesis[]): ProductHypothesis[] {
  const total = hypotheses.reduce((s, h) => s + h.likelihood, 0) || 1;
  return hypotheses.map((h) => ({ ...h, likelihood: Math.round((h.likelihood / total) * 1e4) / 1e4 }));
}
