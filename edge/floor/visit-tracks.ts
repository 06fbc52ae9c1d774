// Shoppers' tracks kept for visit replay: every track bound to a session, downsampled to a few points a
// second (by capture time), stored in the edge database until retention removes them.
import type { TrackUpdate } from '../../shared/schemas/track.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';

export interface TrackPoint {
  trackId: string;
  ts: number;
  x: number;
  y: number;
}

export class VisitTracks {
  /** by track id: capture time of its last stored point */
  private lastStored = new Map<string, number>();

  /** `minIntervalMs`: least capture time between two stored points of a track (default 250: 4 Hz). */
  constructor(
    private readonly db: EdgeDatabase,
    private readonly minIntervalMs = 250,
  ) {}

  /** Stores the points of session-bound tracks that are due; one transaction per update. */
  record(update: TrackUpdate): void {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO visit_tracks (session_id, track_id, ts, x, y) VALUES (?, ?, ?, ?, ?)',
    );
    const next = new Map<string, number>();
    const due: Array<{ sessionId: string; id: string; x: number; y: number }> = [];
    for (const track of update.tracks) {
      const last = this.lastStored.get(track.id);
      if (track.sessionId === null || track.state === 'tentative') continue;
      if (last !== undefined && update.ts - last < this.minIntervalMs) {
        next.set(track.id, last);
        continue;
      }
      next.set(track.id, update.ts);
      due.push({ sessionId: track.sessionId, id: track.id, x: track.x, y: track.y });
    }
    // tracks no longer reported are forgotten, so this map stays as small as the store is full
    this.lastStored = next;
    if (due.length === 0) return;
    this.db.transaction(() => {
      for (const p of due) insert.run(p.sessionId, p.id, update.ts, p.x, p.y);
    })();
  }

  /** A visit's track points, in time order. */
  of(sessionId: string): TrackPoint[] {
    return this.db
      .prepare(
        'SELECT track_id AS trackId, ts, x, y FROM visit_tracks WHERE session_id = ? ORDER BY ts, track_id',
      )
      .all(sessionId) as TrackPoint[];
  }

  /** Deletes points captured before `before`; returns how many. */
  prune(before: number): number {
    return this.db.prepare('DELETE FROM visit_tracks WHERE ts < ?').run(before).changes;
  }
}
