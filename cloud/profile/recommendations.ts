// Recommendations the online shop asks for: products frequently bought together across both channels
// (co-occurrence in in-store receipts and online orders), and what a consenting shopper considered in store
// without buying.
import { type Database, toNumber } from '../db/database.ts';
import { productNames } from './profile-queries.ts';

export interface BoughtTogether {
  sku: string;
  name: string;
  /** Baskets (receipts and orders) holding it together with a seed product. */
  baskets: number;
}

// Baskets are receipts and orders; ids are prefixed so the two kinds never collide.
const BOUGHT_TOGETHER_SQL = `
WITH baskets AS (
  SELECT 'r:' || receipt_id AS basket, sku FROM receipt_lines
  UNION ALL
  SELECT 'o:' || order_id, sku FROM order_lines
), seeds AS (SELECT DISTINCT unnest($1::text[]) AS sku)
SELECT b.sku, count(DISTINCT a.basket) AS baskets
FROM baskets a JOIN baskets b ON b.basket = a.basket AND b.sku <> a.sku
WHERE a.sku IN (SELECT sku FROM seeds) AND b.sku NOT IN (SELECT sku FROM seeds)
GROUP BY b.sku ORDER BY baskets DESC, b.sku LIMIT $2`;

export async function boughtTogether(
  db: Database,
  seeds: readonly string[],
  limit: number,
): Promise<BoughtTogether[]> {
  if (seeds.length === 0) return [];
  const rows = await db.query<{ sku: string; baskets: unknown }>(BOUGHT_TOGETHER_SQL, [[...seeds], limit]);
  const names = await productNames(
    db,
    rows.map((row) => row.sku),
  );
  return rows.map((row) => ({
    sku: row.sku,
    name: names.get(row.sku) ?? row.sku,
    baskets: toNumber(row.baskets),
  }));
}

/** The shopper's most bought SKUs in either channel, as seeds for bought-together. */
export async function favouriteSkus(db: Database, accountId: string, limit = 10): Promise<string[]> {
  const rows = await db.query<{ sku: string }>(
    `SELECT sku FROM (
       SELECT l.sku, l.quantity FROM receipts r JOIN receipt_lines l ON l.receipt_id = r.receipt_id
       WHERE r.account_id = $1
       UNION ALL
       SELECT l.sku, l.quantity FROM online_orders o JOIN order_lines l ON l.order_id = o.order_id
       WHERE o.account_id = $1
     ) bought GROUP BY sku ORDER BY sum(quantity) DESC, sku LIMIT $2`,
    [accountId, limit],
  );
  return rows.map((row) => row.sku);
}
