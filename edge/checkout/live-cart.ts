// Pure core: what a shopper's live cart shows now (#18) — the lines the receipt would bill as things stand,
// priced from the store's catalog, plus the lines still being decided ("checking…": whose pick it was, which
// product, or a line the shopper flagged) — and the outcome of each of the shopper's flags.
import type { FlagOutcome, LiveCartLine } from '../../shared/schemas/live-cart.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { StaffException } from '../fusion/exception-queue.ts';
import { buildCart } from './cart.ts';

/** A live cart without its sequence, time and owner: what changes when the shopper's cart changes. */
export interface LiveCartView {
  lines: LiveCartLine[];
  totalCents: number;
  flags: FlagOutcome[];
}

/** Shown for a pick whose product nobody knows yet (the weight fits nothing, or several products). */
export const UNKNOWN_ITEM = { sku: '?', name: 'Item being identified' } as const;

/**
 * `events`: the session's shelf events; `open`: open staff exceptions naming the session; `flags`: the
 * session's shopper flags as exceptions (open or decided). A doubtful pick shows in this cart only when it
 * is this shopper's (the product is what is doubted) or nobody else could have made it: a pick several
 * shoppers may have made is nobody's line yet, and showing it would tell one shopper what another took.
 */
export function liveCartOf(
  store: StoreIndex,
  sessionId: string,
  events: readonly ShelfEvent[],
  open: readonly StaffException[],
  flags: readonly StaffException[],
): LiveCartView {
  const mine = open.filter(
    (x) =>
      x.event.sessionId === sessionId ||
      (x.candidateSessions.length === 1 && x.candidateSessions[0] === sessionId),
  );
  const flaggedOpen = new Set(
    flags.filter((x) => x.status === 'open').flatMap((x) => x.event.hypotheses[0]?.sku ?? []),
  );
  // a put-back staff still decide may be this shopper's: any line it may have reduced is not certain either
  // (its best guess may be a look-alike the shopper never held, while the runner-up is what they hold)
  const doubtfulReturns = new Set(
    mine.filter((x) => x.event.kind === 'put-back').flatMap((x) => x.event.hypotheses.map((h) => h.sku)),
  );
  // an age-restricted product is billed once a supervisor checked the shopper's ID
  const idChecks = new Set(
    mine.filter((x) => x.reason === 'age-check').flatMap((x) => x.event.hypotheses[0]?.sku ?? []),
  );
  const lines: LiveCartLine[] = buildCart(events).lines.map((l) => {
    const checking = flaggedOpen.has(l.sku) || doubtfulReturns.has(l.sku) || idChecks.has(l.sku);
    return {
      ...priced(store, l.sku, l.quantity, checking ? 'checking' : 'counted'),
      ...(flaggedOpen.has(l.sku) ? { flagged: true } : {}),
    };
  });
  for (const x of mine) {
    if (x.event.kind !== 'pick' || x.reason === 'shopper-flag' || x.reason === 'age-check') continue;
    const best = x.event.ambiguous ? undefined : x.event.hypotheses[0];
    lines.push(
      best === undefined
        ? { ...UNKNOWN_ITEM, count: 1, unitPriceCents: 0, lineCents: 0, status: 'checking' }
        : priced(store, best.sku, best.count, 'checking'),
    );
  }
  const totalCents = lines.reduce((sum, l) => sum + (l.status === 'counted' ? l.lineCents : 0), 0);
  return { lines, totalCents, flags: flags.map(flagOutcome) };
}

function priced(store: StoreIndex, sku: string, count: number, status: LiveCartLine['status']): LiveCartLine {
  const product = store.productBySku.get(sku);
  const unitPriceCents = product?.priceCents ?? 0;
  return {
    sku,
    name: product?.name ?? sku,
    count,
    unitPriceCents,
    lineCents: unitPriceCents * count,
    status,
  };
}

function flagOutcome(x: StaffException): FlagOutcome {
  return {
    flagId: x.flagId ?? x.exceptionId,
    sku: x.event.hypotheses[0]?.sku ?? UNKNOWN_ITEM.sku,
    status: x.status === 'open' ? 'checking' : x.status === 'dropped' ? 'removed' : 'confirmed',
  };
}

/** Whether two views show the same thing (an unchanged cart is not sent again). */
export function sameView(a: LiveCartView, b: LiveCartView): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
