// Persists each lane's settled level at quiet moments (lane_levels) and reads back, after a restart, the
// levels and the weight of the events recorded since, so the shelf monitor can account for what it missed.
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';
import type { LaneLevel } from './missed-changes.ts';

export interface RestoredLevel extends LaneLevel {
  /** Sum of the deltas of shelf events recorded on the lane after the checkpoint (grams). */
  recordedGrams: number;
}

export class LevelCheckpoints {
  constructor(private readonly db: EdgeDatabase) {}

  /** The stored levels, each with the events recorded on its lane since it was taken. */
  restore(): RestoredLevel[] {
    const levels = this.db.prepare('SELECT lane, grams, ts FROM lane_levels').all() as LaneLevel[];
    if (levels.length === 0) return [];
    const oldest = Math.min(...levels.map((l) => l.ts));
    const events = (
      this.db.prepare('SELECT body FROM shelf_events WHERE start_ts > ?').all(oldest) as { body: string }[]
    ).map((r) => JSON.parse(r.body) as ShelfEvent);
    return levels.map((level) => ({
      ...level,
      recordedGrams: events
        .filter((e) => e.lane === level.lane && e.startTs > level.ts)
        .reduce((sum, e) => sum + e.deltaGrams, 0),
    }));
  }

  save(levels: readonly LaneLevel[]): void {
    if (levels.length === 0) return;
    const upsert = this.db.prepare(
      'INSERT INTO lane_levels (lane, grams, ts) VALUES (?, ?, ?) ON CONFLICT (lane) DO UPDATE SET grams = excluded.grams, ts = excluded.ts',
    );
    this.db.transaction(() => {
      for (const l of levels) upsert.run(l.lane, l.grams, l.ts);
    })();
  }
}
