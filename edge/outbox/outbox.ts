// Durable outbox: what the edge owes the cloud survives restarts and network loss. Items are keyed
// (the key is the cloud's idempotency key) so enqueuing the same visit twice stores it once.
import type { EdgeDatabase } from '../db/edge-database.ts';

export interface OutboxItem {
  id: number;
  key: string;
  kind: string;
  body: string;
  attempts: number;
}

export interface OutboxCounts {
  pending: number;
  delivered: number;
  failed: number;
}

export class Outbox {
  constructor(private readonly db: EdgeDatabase) {}

  /** Returns false when an item with this key was already enqueued. */
  enqueue(key: string, kind: string, body: unknown, now: number): boolean {
    const result = this.db
      .prepare(
        'INSERT INTO outbox (key, kind, body, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING',
      )
      .run(key, kind, JSON.stringify(body), now, now);
    return result.changes === 1;
  }

  /** The body enqueued under `key`, parsed, or undefined. */
  bodyOf(key: string): unknown {
    const row = this.db.prepare('SELECT body FROM outbox WHERE key = ?').get(key) as
      | { body: string }
      | undefined;
    return row === undefined ? undefined : JSON.parse(row.body);
  }

  due(now: number, limit: number): OutboxItem[] {
    return this.db
      .prepare(
        `SELECT id, key, kind, body, attempts FROM outbox
         WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
         ORDER BY id LIMIT ?`,
      )
      .all(now, limit) as OutboxItem[];
  }

  /** Earliest time an undelivered item is due, or undefined when nothing is pending. */
  nextDueAt(): number | undefined {
    const row = this.db
      .prepare(
        'SELECT MIN(next_attempt_at) AS t FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL',
      )
      .get() as { t: number | null };
    return row.t ?? undefined;
  }

  markDelivered(id: number, now: number): void {
    this.db.prepare('UPDATE outbox SET delivered_at = ?, attempts = attempts + 1 WHERE id = ?').run(now, id);
  }

  markRetry(id: number, error: string, nextAttemptAt: number): void {
    this.db
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?')
      .run(error, nextAttemptAt, id);
  }

  /** The cloud refused the item for good (4xx): kept for staff, never retried. */
  markFailed(id: number, error: string, now: number): void {
    this.db
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, failed_at = ? WHERE id = ?')
      .run(error, now, id);
  }

  counts(): OutboxCounts {
    const row = this.db
      .prepare(
        `SELECT
           SUM(CASE WHEN delivered_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END) AS pending,
           SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END) AS delivered,
           SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END) AS failed
         FROM outbox`,
      )
      .get() as { pending: number | null; delivered: number | null; failed: number | null };
    return { pending: row.pending ?? 0, delivered: row.delivered ?? 0, failed: row.failed ?? 0 };
  }
}
