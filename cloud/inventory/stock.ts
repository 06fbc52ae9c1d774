// Live stock per store and SKU: lane units as the edge last reported them (latest ts wins per lane, seeded
// from the store config's initialUnits) minus click & collect units held and not yet expired.
import { type Database, type Queryable, toNumber } from '../db/database.ts';

export interface LaneReport {
  lane: string;
  sku: string;
  units: number;
  /** Edge time of the reading, ms since the Unix epoch. */
  ts: number;
}

export interface SkuStock {
  storeId: string;
  sku: string;
  units: number;
  held: number;
  available: number;
}

/** Applies the reports newer than what is stored; returns how many lanes changed. */
export async function applyLaneReports(
  db: Database,
  storeId: string,
  reports: readonly LaneReport[],
): Promise<number> {
  /** by lane: the newest report in this batch */
  const newest = new Map<string, LaneReport>();
  for (const report of reports) {
    const seen = newest.get(report.lane);
    if (seen === undefined || report.ts > seen.ts) newest.set(report.lane, report);
  }
  const lanes = [...newest.values()];
  const rows = await db.query(
    `INSERT INTO lane_stock (store_id, lane, sku, units, ts)
     SELECT $1, t.lane, t.sku, t.units, t.ts
     FROM unnest($2::text[], $3::text[], $4::int[], $5::bigint[]) AS t(lane, sku, units, ts)
     ON CONFLICT (store_id, lane) DO UPDATE SET sku = EXCLUDED.sku, units = EXCLUDED.units, ts = EXCLUDED.ts
     WHERE lane_stock.ts < EXCLUDED.ts
     RETURNING lane`,
    [
      storeId,
      lanes.map((l) => l.lane),
      lanes.map((l) => l.sku),
      lanes.map((l) => l.units),
      // Stored as whole ms (bigint): an edge clock may carry a fraction.
      lanes.map((l) => Math.round(l.ts)),
    ],
  );
  return rows.length;
}

export async function stockOf(
  db: Queryable,
  now: number,
  filter: { storeId?: string; skus?: readonly string[] },
): Promise<SkuStock[]> {
  const rows = await db.query<{ store_id: string; sku: string; units: unknown; held: unknown }>(
    `SELECT s.store_id, s.sku, sum(s.units) AS units,
            COALESCE((SELECT sum(r.quantity) FROM reservations r WHERE r.store_id = s.store_id AND r.sku = s.sku
                      AND r.status = 'held' AND r.expires_at > $3), 0) AS held
     FROM lane_stock s
     WHERE ($1::text IS NULL OR s.store_id = $1) AND ($2::text[] IS NULL OR s.sku = ANY($2::text[]))
     GROUP BY s.store_id, s.sku ORDER BY s.store_id, s.sku`,
    [filter.storeId ?? null, filter.skus === undefined ? null : [...filter.skus], now],
  );
  return rows.map((row) => {
    const units = toNumber(row.units);
    const held = toNumber(row.held);
    return { storeId: row.store_id, sku: row.sku, units, held, available: Math.max(0, units - held) };
  });
}
