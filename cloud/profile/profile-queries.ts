// Reads one customer's profile across channels: purchases in store and online, points, consent, and the
// in-store behaviour kept with consent (considered-but-not-bought, category activity, visit times).

import type { VisitBehaviour } from '../../shared/schemas/visit-behaviour.ts';
import { type Database, toNumber } from '../db/database.ts';
import type { BehaviourSummary, CategoryActivity } from './behaviour-summary.ts';

export interface Consent {
  behaviourTracking: boolean;
  marketing: boolean;
}

export interface HistoryEntry {
  channel: 'store' | 'online';
  id: string;
  storeId: string;
  at: number;
  totalCents: number;
  currency: string;
  pointsEarned: number;
  items: number;
  status: string;
}

export interface Considered {
  sku: string;
  name: string;
  putBacks: number;
  /** Times the shopper lingered at its lane without taking it (behaviour from the floor). */
  looks: number;
  lastConsideredAt: number;
}

/** "You looked at": a product whose lane the shopper lingered at without taking. */
export interface LookedAt {
  sku: string;
  name: string;
  category: string | undefined;
  looks: number;
  /** Time spent looking, over all looks (ms). */
  lookedMs: number;
  lastLookedAt: number;
}

/** "You compared": products of one category weighed against each other, and the one kept. */
export interface Compared {
  category: string;
  by: 'handled' | 'looked';
  products: { sku: string; name: string }[];
  kept: { sku: string; name: string };
  at: number;
}

/** Per category: interactions and span from the shelves, and the time stood there from the floor (ms). */
export interface CategoryDwell extends CategoryActivity {
  dwellMs: number;
}

/** Entries of "you looked at" and "you compared" a profile shows. */
const LOOKED_AT_SHOWN = 20;
const COMPARED_SHOWN = 10;

/** Behaviour summaries read for a profile: the most recent visits. */
const BEHAVIOUR_VISITS = 100;

export async function pointsBalance(db: Database, accountId: string): Promise<number> {
  const rows = await db.query<{ balance: unknown }>(
    'SELECT COALESCE(sum(points), 0) AS balance FROM points_entries WHERE account_id = $1',
    [accountId],
  );
  return toNumber(rows[0]?.balance ?? 0);
}

export async function consentOf(db: Database, accountId: string): Promise<Consent> {
  const rows = await db.query<{ consent_behaviour: boolean; consent_marketing: boolean }>(
    'SELECT consent_behaviour, consent_marketing FROM accounts WHERE account_id = $1',
    [accountId],
  );
  return {
    behaviourTracking: rows[0]?.consent_behaviour ?? false,
    marketing: rows[0]?.consent_marketing ?? false,
  };
}

/** In-store receipts and online orders, newest first. */
export async function purchaseHistory(db: Database, accountId: string, limit = 200): Promise<HistoryEntry[]> {
  const rows = await db.query<{
    channel: 'store' | 'online';
    id: string;
    store_id: string;
    at: unknown;
    total_cents: unknown;
    currency: string;
    points: unknown;
    items: unknown;
    status: string;
  }>(
    `SELECT * FROM (
       SELECT 'store' AS channel, r.receipt_id AS id, r.store_id, r.exited_at AS at, r.total_cents, r.currency,
              r.points_earned + COALESCE((SELECT sum(p.points) FROM points_entries p JOIN disputes d
                ON p.source = 'refund' AND p.source_id = d.dispute_id WHERE d.receipt_id = r.receipt_id), 0)
              + COALESCE((SELECT sum(p.points) FROM points_entries p JOIN visit_returns x
                ON p.source = 'return' AND p.source_id = x.store_id || ':' || x.return_id
                WHERE x.receipt_id = r.receipt_id), 0) AS points,
              (SELECT COALESCE(sum(quantity), 0) FROM receipt_lines l WHERE l.receipt_id = r.receipt_id) AS items,
              r.status
       FROM receipts r WHERE r.account_id = $1
       UNION ALL
       SELECT 'online', o.order_id, o.store_id, o.placed_at, o.total_cents, o.currency, o.points_earned,
              (SELECT COALESCE(sum(quantity), 0) FROM order_lines l WHERE l.order_id = o.order_id), 'paid'
       FROM online_orders o WHERE o.account_id = $1
     ) h ORDER BY at DESC, id LIMIT $2`,
    [accountId, limit],
  );
  return rows.map((row) => ({
    channel: row.channel,
    id: row.id,
    storeId: row.store_id,
    at: toNumber(row.at),
    totalCents: toNumber(row.total_cents),
    currency: row.currency,
    pointsEarned: toNumber(row.points),
    items: toNumber(row.items),
    status: row.status,
  }));
}

export interface BehaviourProfile {
  visits: { visitId: string; storeId: string; enteredAt: number; exitedAt: number }[];
  consideredNotBought: Considered[];
  categories: CategoryDwell[];
  lookedAt: LookedAt[];
  compared: Compared[];
}

interface BehaviourVisitRow {
  visit_id: string;
  store_id: string;
  entered_at: unknown;
  exited_at: unknown;
  summary: BehaviourSummary | string;
  floor: VisitBehaviour | string | null;
}

/** What a customer's behaviour visits add up to, before names are looked up. */
interface BehaviourTally {
  /** by SKU */
  considered: Map<string, { putBacks: number; looks: number; at: number }>;
  /** by category */
  categories: Map<string, CategoryDwell>;
  /** by SKU */
  looked: Map<string, Omit<LookedAt, 'name'>>;
  compared: Array<Omit<Compared, 'products' | 'kept'> & { skus: string[]; keptSku: string }>;
}

/**
 * Considered = put back in store, or looked at (lingered over) on the floor, and not bought since, in either
 * channel. Empty without consent.
 */
export async function behaviourProfile(db: Database, accountId: string): Promise<BehaviourProfile> {
  const visits = await db.query<BehaviourVisitRow>(
    `SELECT visit_id, store_id, entered_at, exited_at, summary, floor FROM behaviour_visits WHERE account_id = $1
     ORDER BY entered_at DESC LIMIT ${BEHAVIOUR_VISITS}`,
    [accountId],
  );
  if (visits.length === 0)
    return { visits: [], consideredNotBought: [], categories: [], lookedAt: [], compared: [] };
  const lastBought = await lastBoughtBySku(db, accountId);
  const tally = tallyVisits(visits);
  const { considered } = tally;
  const skus = [...considered.keys()].filter(
    (sku) => (lastBought.get(sku) ?? -1) < (considered.get(sku)?.at ?? 0),
  );
  const lookedAt = [...tally.looked.values()]
    .sort((a, b) => b.lastLookedAt - a.lastLookedAt || b.looks - a.looks)
    .slice(0, LOOKED_AT_SHOWN);
  const comparedShown = tally.compared.sort((a, b) => b.at - a.at).slice(0, COMPARED_SHOWN);
  const names = await productNames(db, [
    ...new Set([...skus, ...lookedAt.map((l) => l.sku), ...comparedShown.flatMap((c) => c.skus)]),
  ]);
  const named = (sku: string) => ({ sku, name: names.get(sku) ?? sku });
  return {
    visits: visits.map((v) => ({
      visitId: v.visit_id,
      storeId: v.store_id,
      enteredAt: toNumber(v.entered_at),
      exitedAt: toNumber(v.exited_at),
    })),
    consideredNotBought: consideredNotBought(skus, considered, names),
    categories: [...tally.categories.values()].sort(
      (a, b) => b.interactions - a.interactions || b.dwellMs - a.dwellMs,
    ),
    lookedAt: lookedAt.map((l) => ({ ...l, name: names.get(l.sku) ?? l.sku })),
    compared: comparedShown.map((c) => ({
      category: c.category,
      by: c.by,
      products: c.skus.map(named),
      kept: named(c.keptSku),
      at: c.at,
    })),
  };
}

/** by SKU: when the customer last bought it, in store or online. */
async function lastBoughtBySku(db: Database, accountId: string): Promise<Map<string, number>> {
  const bought = await db.query<{ sku: string; at: unknown }>(
    `SELECT l.sku, max(r.exited_at) AS at FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.receipt_id
     WHERE r.account_id = $1 GROUP BY l.sku
     UNION ALL
     SELECT l.sku, max(o.placed_at) FROM online_orders o JOIN order_lines l ON l.order_id = o.order_id
     WHERE o.account_id = $1 GROUP BY l.sku`,
    [accountId],
  );
  const lastBought = new Map<string, number>();
  for (const row of bought) lastBought.set(row.sku, Math.max(lastBought.get(row.sku) ?? 0, toNumber(row.at)));
  return lastBought;
}

/** Adds up the shelf summaries and, where kept, the floor behaviour of every visit. */
function tallyVisits(visits: BehaviourVisitRow[]): BehaviourTally {
  const tally: BehaviourTally = {
    considered: new Map(),
    categories: new Map(),
    looked: new Map(),
    compared: [],
  };
  for (const visit of visits) {
    const summary = parsed<BehaviourSummary>(visit.summary);
    const at = toNumber(visit.exited_at);
    for (const item of summary.considered) consider(tally, item.sku, item.putBacks, 0, at);
    for (const activity of summary.categories) {
      const seen = categoryOf(tally, activity.category);
      seen.interactions += activity.interactions;
      seen.activeSpanMs += activity.activeSpanMs;
    }
    if (visit.floor !== null) tallyFloor(tally, parsed<VisitBehaviour>(visit.floor), at);
  }
  return tally;
}

/** One visit's floor behaviour: dwell per category, lingers as looks, comparisons. */
function tallyFloor(tally: BehaviourTally, floor: VisitBehaviour, at: number): void {
  for (const dwell of floor.dwellByCategory) categoryOf(tally, dwell.category).dwellMs += dwell.dwellMs;
  for (const linger of floor.lingers) {
    if (linger.sku === undefined) continue;
    consider(tally, linger.sku, 0, 1, at);
    const seen = tally.looked.get(linger.sku) ?? {
      sku: linger.sku,
      category: linger.category,
      looks: 0,
      lookedMs: 0,
      lastLookedAt: 0,
    };
    seen.looks += 1;
    seen.lookedMs += linger.durationMs;
    seen.lastLookedAt = Math.max(seen.lastLookedAt, linger.startTs);
    tally.looked.set(linger.sku, seen);
  }
  for (const c of floor.comparisons)
    tally.compared.push({ category: c.category, by: c.by, skus: c.skus, keptSku: c.kept, at: c.ts });
}

function consider(tally: BehaviourTally, sku: string, putBacks: number, looks: number, at: number): void {
  const seen = tally.considered.get(sku) ?? { putBacks: 0, looks: 0, at: 0 };
  tally.considered.set(sku, {
    putBacks: seen.putBacks + putBacks,
    looks: seen.looks + looks,
    at: Math.max(seen.at, at),
  });
}

function categoryOf(tally: BehaviourTally, category: string): CategoryDwell {
  const seen = tally.categories.get(category) ?? { category, interactions: 0, activeSpanMs: 0, dwellMs: 0 };
  tally.categories.set(category, seen);
  return seen;
}

/** Considered products not bought since, most recently considered first. */
function consideredNotBought(
  skus: string[],
  considered: BehaviourTally['considered'],
  names: Map<string, string>,
): Considered[] {
  return skus
    .map((sku) => ({
      sku,
      name: names.get(sku) ?? sku,
      putBacks: considered.get(sku)?.putBacks ?? 0,
      looks: considered.get(sku)?.looks ?? 0,
      lastConsideredAt: considered.get(sku)?.at ?? 0,
    }))
    .sort((a, b) => b.lastConsideredAt - a.lastConsideredAt || b.putBacks + b.looks - (a.putBacks + a.looks));
}

/** A jsonb column as PostgreSQL (object) or PGlite over some drivers (text) hands it back. */
function parsed<T>(value: T | string): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** by SKU: the product's name in any store's catalog (one price list, one name). */
export async function productNames(db: Database, skus: readonly string[]): Promise<Map<string, string>> {
  if (skus.length === 0) return new Map();
  const rows = await db.query<{ sku: string; name: string }>(
    'SELECT DISTINCT ON (sku) sku, name FROM products WHERE sku = ANY($1::text[]) ORDER BY sku, store_id',
    [[...skus]],
  );
  return new Map(rows.map((row) => [row.sku, row.name]));
}
