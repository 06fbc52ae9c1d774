// Persists lane stock in the edge database so a restart keeps units and misplaced items.
import type { EdgeDatabase } from '../db/edge-database.ts';
import type { LaneStockState } from './lane-stock.ts';

export class StockStore {
  constructor(private readonly db: EdgeDatabase) {}

  load(): LaneStockState[] {
    const rows = this.db.prepare('SELECT body FROM lane_stock').all() as { body: string }[];
    return rows.map((r) => JSON.parse(r.body) as LaneStockState);
  }

  save(state: LaneStockState): void {
    this.db
      .prepare(
        'INSERT INTO lane_stock (lane, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (lane) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at',
      )
      .run(state.lane, JSON.stringify(state), state.updatedAt);
  }
}
