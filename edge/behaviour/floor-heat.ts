// The floor heat for the store, without identities: per lane and hour, how long people stood within reach
// (dwell), how many stood long enough to be looking (looks) and how many units were taken (picks). Fed by every
// track, bound to a session or not, with the session and account stripped before anything is kept: only
// track ids live in memory (while the person is tracked) and only the per-lane sums reach the database.
import type { TrackUpdate } from '../../shared/schemas/track.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';
import type { BehaviourSettings } from './behaviour-settings.ts';
import type { LaneReach } from './lane-reach.ts';
import { type LaneStay, LaneStays } from './lane-stays.ts';

export interface LaneHeat {
  lane: string;
  dwellMs: number;
  looks: number;
  picks: number;
}

const HOUR_MS = 3_600_000;

export class FloorHeat {
  /** by track id: its stays in progress and when it was last sampled */
  private people = new Map<string, { stays: LaneStays; lastTs: number }>();

  constructor(
    private readonly db: EdgeDatabase,
    private readonly reach: LaneReach,
    private readonly settings: BehaviourSettings,
  ) {}

  /** One tracker step: positions only; sessions are not read. */
  tracksUpdated(update: TrackUpdate): void {
    const next = new Map<string, { stays: LaneStays; lastTs: number }>();
    const ended: LaneStay[] = [];
    for (const track of update.tracks) {
      if (track.state === 'tentative') continue;
      const person = this.people.get(track.id) ?? {
        stays: new LaneStays(this.reach, this.settings),
        lastTs: Number.NEGATIVE_INFINITY,
      };
      next.set(track.id, person);
      if (track.state === 'exited') continue;
      if (update.ts - person.lastTs < this.settings.heatSampleMs) continue;
      person.lastTs = update.ts;
      const stay = person.stays.push({ ts: update.ts, x: track.x, y: track.y });
      if (stay !== undefined) ended.push(stay);
    }
    // people no longer reported: their stay in progress ends
    for (const [id, person] of this.people) {
      if (next.has(id)) continue;
      const stay = person.stays.flush();
      if (stay !== undefined) ended.push(stay);
    }
    this.people = next;
    this.add(ended);
  }

  /** Units taken from a lane (any shopper's pick, attributed or not). */
  picked(lane: string, count: number, ts: number): void {
    this.db
      .prepare(
        `INSERT INTO floor_heat (hour, lane, picks) VALUES (?, ?, ?)
         ON CONFLICT (hour, lane) DO UPDATE SET picks = picks + excluded.picks`,
      )
      .run(hourOf(ts), lane, count);
  }

  /** Stays still in progress end now (the edge stops). */
  flush(): void {
    const ended: LaneStay[] = [];
    for (const person of this.people.values()) {
      const stay = person.stays.flush();
      if (stay !== undefined) ended.push(stay);
    }
    this.people.clear();
    this.add(ended);
  }

  /** Sums per lane over the hours that start in [from, to) (ms since the epoch), lanes in id order. */
  between(from: number, to: number): LaneHeat[] {
    return this.db
      .prepare(
        `SELECT lane, SUM(dwell_ms) AS dwellMs, SUM(looks) AS looks, SUM(picks) AS picks FROM floor_heat
         WHERE hour >= ? AND hour < ? GROUP BY lane ORDER BY lane`,
      )
      .all(hourOf(from), to)
      .map((row) => {
        const r = row as LaneHeat;
        return { lane: r.lane, dwellMs: Math.round(r.dwellMs), looks: r.looks, picks: r.picks };
      });
  }

  /** Deletes hours that ended before `before`; returns how many rows. */
  prune(before: number): number {
    return this.db.prepare('DELETE FROM floor_heat WHERE hour < ?').run(hourOf(before)).changes;
  }

  private add(stays: readonly LaneStay[]): void {
    if (stays.length === 0) return;
    const upsert = this.db.prepare(
      `INSERT INTO floor_heat (hour, lane, dwell_ms, looks) VALUES (?, ?, ?, ?)
       ON CONFLICT (hour, lane) DO UPDATE SET dwell_ms = dwell_ms + excluded.dwell_ms, looks = looks + excluded.looks`,
    );
    this.db.transaction(() => {
      for (const s of stays) {
        const ms = s.endTs - s.startTs;
        upsert.run(hourOf(s.startTs), s.lane, ms, ms >= this.settings.lingerMinMs ? 1 : 0);
      }
    })();
  }
}

const hourOf = (ts: number) => Math.floor(ts / HOUR_MS) * HOUR_MS;
