// How long the edge keeps what it no longer needs, and the job that deletes it (at start and every
// `pruneEveryMs`). Every table is bounded: by a retention here, by its own expiry (used entry tokens:
// gate/entry-token-verifier.ts; camera frames and visit tracks: floor/floor-recorder.ts, with the
// retentions below), or by the store's size (lane_stock: one row per lane). Undelivered visits and open
// sessions are never pruned: they are owed to the cloud or still in the store (undelivered live-cart
// snapshots are: a receipt replaces them).
import type { Logger } from 'pino';
import type { Clock } from '../../shared/clock.ts';
import { type CancelTimer, systemTimers, type Timers } from '../../shared/timers.ts';
import type { EdgeMetrics } from '../edge-metrics.ts';
import type { EdgeDatabase } from './edge-database.ts';

const DAY_MS = 86_400_000;

export interface RetentionSettings {
  /**
   * Closed sessions and their shelf events, and shelf events no session took (ms). Default 35 days: replay
   * (npm run replay, the floor's visit replay) answers a dispute raised within a monthly statement.
   */
  visitsMs: number;
  /** Outbox rows the cloud acknowledged (ms). Default 7 days: the cloud has the receipt. */
  deliveredOutboxMs: number;
  /** Staff exceptions once decided or dropped (ms). Default 35 days, as visits. */
  decidedExceptionsMs: number;
  /** The audit log of staff decisions (ms). Default 180 days. */
  auditMs: number;
  /** Camera frames kept with exceptions (ms). Default 3 days (large; decisions are taken in minutes). */
  framesMs: number;
  /** Shoppers' tracks for visit replay (ms). Default 7 days. */
  tracksMs: number;
  /**
   * Staff decisions kept with their frames as training data (ms). Default 90 days: a quarter's decisions to
   * export and train on (also bounded by count, floor/decision-samples.ts).
   */
  decisionSamplesMs: number;
  /**
   * Live-cart snapshots not delivered (the link was down) (ms). Default 1 day: by then the visit's receipt
   * has long replaced its live cart; delivered ones go with `deliveredOutboxMs`.
   */
  liveCartMs: number;
  /** How often the job runs (ms). Default 10 min. */
  pruneEveryMs: number;
}

export const DEFAULT_RETENTION: RetentionSettings = {
  visitsMs: 35 * DAY_MS,
  deliveredOutboxMs: 7 * DAY_MS,
  decidedExceptionsMs: 35 * DAY_MS,
  auditMs: 180 * DAY_MS,
  framesMs: 3 * DAY_MS,
  tracksMs: 7 * DAY_MS,
  decisionSamplesMs: 90 * DAY_MS,
  liveCartMs: DAY_MS,
  pruneEveryMs: 10 * 60_000,
};

/** The deletions, in an order that never leaves an event without its session's row before the session goes. */
const PRUNES: { table: string; setting: keyof RetentionSettings; sql: string }[] = [
  {
    table: 'shelf_events',
    setting: 'visitsMs',
    sql: `DELETE FROM shelf_events WHERE start_ts < @before AND NOT EXISTS
            (SELECT 1 FROM sessions s WHERE s.session_id = shelf_events.session_id AND s.status != 'closed')`,
  },
  {
    table: 'sessions',
    setting: 'visitsMs',
    sql: `DELETE FROM sessions WHERE status = 'closed' AND exited_at < @before AND NOT EXISTS
            (SELECT 1 FROM shelf_events e WHERE e.session_id = sessions.session_id)`,
  },
  {
    table: 'outbox',
    setting: 'deliveredOutboxMs',
    sql: 'DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < @before',
  },
  {
    table: 'outbox',
    setting: 'liveCartMs',
    sql: "DELETE FROM outbox WHERE kind = 'cart' AND delivered_at IS NULL AND created_at < @before",
  },
  {
    table: 'exceptions',
    setting: 'decidedExceptionsMs',
    sql: "DELETE FROM exceptions WHERE status != 'open' AND created_at < @before",
  },
  { table: 'audit_log', setting: 'auditMs', sql: 'DELETE FROM audit_log WHERE at < @before' },
  // their frames go with them (ON DELETE CASCADE)
  {
    table: 'decision_samples',
    setting: 'decisionSamplesMs',
    sql: 'DELETE FROM decision_samples WHERE decided_at < @before',
  },
];

export class EdgeRetention {
  private cancel: CancelTimer | undefined;

  constructor(
    private readonly options: {
      db: EdgeDatabase;
      clock: Clock;
      timers?: Timers;
      settings: RetentionSettings;
      metrics: EdgeMetrics;
      logger: Logger;
    },
  ) {}

  start(): void {
    this.prune();
    this.cancel = (this.options.timers ?? systemTimers).every(this.options.settings.pruneEveryMs, () =>
      this.prune(),
    );
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  /** Deletes what is past its retention; returns the rows deleted by table. */
  prune(): Record<string, number> {
    const { db, clock, settings, metrics, logger } = this.options;
    const now = clock.now();
    const deleted: Record<string, number> = {};
    try {
      db.transaction(() => {
        for (const { table, setting, sql } of PRUNES) {
          const changes = db.prepare(sql).run({ before: now - settings[setting] }).changes;
          deleted[table] = (deleted[table] ?? 0) + changes;
        }
      })();
    } catch (err) {
      // a failed prune only delays it (disk full, a lock held too long): the edge keeps working
      logger.error({ err }, 'retention job failed; trying again at the next run');
      return {};
    }
    for (const [table, count] of Object.entries(deleted))
      if (count > 0) metrics.rowsPruned.inc({ table }, count);
    if (Object.values(deleted).some((n) => n > 0)) logger.info({ deleted }, 'retention: old rows deleted');
    return deleted;
  }
}
