// Durable outbox: what the edge owes the cloud survives restarts and network loss. Items are keyed
// (the key is the cloud's idempotency key) so enqueuing the same visit twice stores it once. An item is
// pending (sent when due), held (the link is misconfigured: waits for an operator or a restart), dead (the
// cloud refused this item for good: kept for an operator) or delivered (pruned after the retention).
import type { EdgeDatabase } from '../db/edge-database.ts';

export interface OutboxItem {
  id: number;
  key: string;
  kind: string;
  body: string;
  attempts: number;
}

export type OutboxState = 'pending' | 'held' | 'dead' | 'delivered';

export const OUTBOX_STATES: readonly OutboxState[] = ['pending', 'held', 'dead', 'delivered'];

/** One row as an operator sees it (npm run outbox -- list). */
export interface OutboxRow {
  id: number;
  key: string;
  kind: string;
  state: OutboxState;
  attempts: number;
  createdAt: number;
  /** When it is next tried (pending), or was held / refused / delivered. */
  nextAttemptAt: number;
  heldAt: number | undefined;
  deadAt: number | undefined;
  deliveredAt: number | undefined;
  lastError: string | undefined;
}

export interface OutboxCounts {
  pending: number;
  held: number;
  delivered: number;
  /** Dead: the cloud refused them for good (kept; `npm run outbox -- retry` resends). */
  failed: number;
}

interface Row {
  id: number;
  key: string;
  kind: string;
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  held_at: number | null;
  failed_at: number | null;
  delivered_at: number | null;
  last_error: string | null;
}

const STATE_SQL: Record<OutboxState, string> = {
  pending: 'delivered_at IS NULL AND failed_at IS NULL AND held_at IS NULL',
  held: 'delivered_at IS NULL AND failed_at IS NULL AND held_at IS NOT NULL',
  dead: 'delivered_at IS NULL AND failed_at IS NOT NULL',
  delivered: 'delivered_at IS NOT NULL',
};

const stateOf = (r: Row): OutboxState =>
  r.delivered_at !== null
    ? 'delivered'
    : r.failed_at !== null
      ? 'dead'
      : r.held_at !== null
        ? 'held'
        : 'pending';

export class Outbox {
  /** SQL condition on `kind` for what this view sends and counts (`1` for every kind). */
  private readonly kindSql: string;

  /**
   * `kinds`: the item kinds this view sends, counts and holds (default every kind). The edge keeps visits and
   * live-cart updates (#18) in one table, drained by two links, so a cart backlog never delays a receipt.
   */
  constructor(
    private readonly db: EdgeDatabase,
    kinds?: readonly string[],
  ) {
    this.kindSql =
      kinds === undefined
        ? '1'
        : `kind IN (${kinds.map((k) => `'${k.replace(/'/g, "''")}'`).join(',') || 'NULL'})`;
  }

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

  /** Pending items due at `now`, oldest first (the cloud receives a backlog in the order it was made). */
  due(now: number, limit: number): OutboxItem[] {
    return this.db
      .prepare(
        `SELECT id, key, kind, body, attempts FROM outbox
         WHERE ${STATE_SQL.pending} AND ${this.kindSql} AND next_attempt_at <= ?
         ORDER BY id LIMIT ?`,
      )
      .all(now, limit) as OutboxItem[];
  }

  /** Earliest time a pending item is due, or undefined when nothing is pending. */
  nextDueAt(): number | undefined {
    const row = this.db
      .prepare(`SELECT MIN(next_attempt_at) AS t FROM outbox WHERE ${STATE_SQL.pending} AND ${this.kindSql}`)
      .get() as { t: number | null };
    return row.t ?? undefined;
  }

  markDelivered(id: number, now: number): void {
    this.db
      .prepare('UPDATE outbox SET delivered_at = ?, held_at = NULL, attempts = attempts + 1 WHERE id = ?')
      .run(now, id);
  }

  markRetry(id: number, error: string, nextAttemptAt: number): void {
    this.db
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?')
      .run(error, nextAttemptAt, id);
  }

  /**
   * The cloud answered "not yet" for this item (a return whose receipt is not there or not paid): records when
   * that began, unless it already had, and answers since when (edge clock, ms). An operator's requeue resets it.
   */
  notReadySince(id: number, now: number): number {
    const row = this.db
      .prepare(
        'UPDATE outbox SET not_ready_since = COALESCE(not_ready_since, ?) WHERE id = ? RETURNING not_ready_since',
      )
      .get(now, id) as { not_ready_since: number } | undefined;
    return row?.not_ready_since ?? now;
  }

  /** The state of the item under `key` in this view, or undefined when there is none (never queued, or pruned). */
  stateOfKey(key: string): OutboxState | undefined {
    return this.select(`key = ? AND ${this.kindSql}`, [key])[0]?.state;
  }

  /** The link is misconfigured (a rotated credential): the item waits, not tried again until released. */
  markHeld(id: number, error: string, now: number): void {
    this.db
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, held_at = ? WHERE id = ?')
      .run(error, now, id);
  }

  /** The cloud refused the item for good: kept for an operator, never retried on its own. */
  markFailed(id: number, error: string, now: number): void {
    this.db
      .prepare('UPDATE outbox SET attempts = attempts + 1, last_error = ?, failed_at = ? WHERE id = ?')
      .run(error, now, id);
  }

  /** True when an item is held (the link needs an operator). */
  hasHeld(): boolean {
    return (
      this.db.prepare(`SELECT 1 FROM outbox WHERE ${STATE_SQL.held} AND ${this.kindSql} LIMIT 1`).get() !==
      undefined
    );
  }

  /** Held items become pending, due at `now`, in their order; returns how many. */
  releaseHeld(now: number): number {
    return this.db
      .prepare(
        `UPDATE outbox SET held_at = NULL, next_attempt_at = ? WHERE ${STATE_SQL.held} AND ${this.kindSql}`,
      )
      .run(now).changes;
  }

  /** The oldest held item becomes pending (a probe of whether the link works again); false when none is held. */
  releaseOldestHeld(now: number): boolean {
    return (
      this.db
        .prepare(
          `UPDATE outbox SET held_at = NULL, next_attempt_at = ?
           WHERE id = (SELECT id FROM outbox WHERE ${STATE_SQL.held} AND ${this.kindSql} ORDER BY id LIMIT 1)`,
        )
        .run(now).changes === 1
    );
  }

  /**
   * An operator re-queues items (held or dead; pending ones are moved to now): they are sent at once, and a
   * "not yet" wait starts again. Delivered items are never sent again. Returns the ids re-queued.
   */
  requeue(selection: { ids: number[] } | { states: ('held' | 'dead')[] }, now: number): number[] {
    const where =
      'ids' in selection
        ? `id IN (${selection.ids.map(() => '?').join(',') || 'NULL'}) AND delivered_at IS NULL`
        : selection.states.map((s) => `(${STATE_SQL[s]})`).join(' OR ') || '0';
    const params = 'ids' in selection ? selection.ids : [];
    return this.db.transaction(() => {
      const ids = (
        this.db.prepare(`SELECT id FROM outbox WHERE ${where} ORDER BY id`).all(...params) as { id: number }[]
      ).map((r) => r.id);
      const update = this.db.prepare(
        'UPDATE outbox SET held_at = NULL, failed_at = NULL, not_ready_since = NULL, next_attempt_at = ? WHERE id = ?',
      );
      for (const id of ids) update.run(now, id);
      return ids;
    })();
  }

  /** Rows in these states, oldest first (at most `limit`). */
  list(states: readonly OutboxState[], limit: number): OutboxRow[] {
    const where = states.map((s) => `(${STATE_SQL[s]})`).join(' OR ') || '0';
    return this.select(`${where} ORDER BY id LIMIT ?`, [limit]);
  }

  /** The row with this id, or undefined. */
  get(id: number): OutboxRow | undefined {
    return this.select('id = ?', [id])[0];
  }

  private select(whereAndOrder: string, params: ReadonlyArray<number | string>): OutboxRow[] {
    const rows = this.db
      .prepare(
        `SELECT id, key, kind, attempts, created_at, next_attempt_at, held_at, failed_at, delivered_at, last_error
         FROM outbox WHERE ${whereAndOrder}`,
      )
      .all(...params) as Row[];
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      kind: r.kind,
      state: stateOf(r),
      attempts: r.attempts,
      createdAt: r.created_at,
      nextAttemptAt: r.next_attempt_at,
      heldAt: r.held_at ?? undefined,
      deadAt: r.failed_at ?? undefined,
      deliveredAt: r.delivered_at ?? undefined,
      lastError: r.last_error ?? undefined,
    }));
  }

  /** The body of the newest item whose key starts with `prefix` (in any state), parsed, or undefined. */
  lastBodyWithPrefix(prefix: string): unknown {
    const row = this.db
      .prepare('SELECT body FROM outbox WHERE key >= ? AND key < ? ORDER BY id DESC LIMIT 1')
      .get(prefix, `${prefix}\uffff`) as { body: string } | undefined;
    return row === undefined ? undefined : JSON.parse(row.body);
  }

  /**
   * Deletes pending items whose key starts with `prefix` except the newest `keep`: for items that each carry the
   * whole state (live-cart snapshots), older undelivered ones are superseded. Returns how many went.
   */
  trimPending(prefix: string, keep: number): number {
    return this.db
      .prepare(
        `DELETE FROM outbox WHERE key >= @lo AND key < @hi AND ${STATE_SQL.pending} AND id NOT IN
           (SELECT id FROM outbox WHERE key >= @lo AND key < @hi ORDER BY id DESC LIMIT @keep)`,
      )
      .run({ lo: prefix, hi: `${prefix}\uffff`, keep }).changes;
  }

  /** Deletes delivered items acknowledged before `before`; returns how many. Undelivered ones are never pruned. */
  pruneDelivered(before: number): number {
    return this.db
      .prepare('DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?')
      .run(before).changes;
  }

  counts(): OutboxCounts {
    const row = this.db
      .prepare(
        `SELECT
           SUM(CASE WHEN ${STATE_SQL.pending} THEN 1 ELSE 0 END) AS pending,
           SUM(CASE WHEN ${STATE_SQL.held} THEN 1 ELSE 0 END) AS held,
           SUM(CASE WHEN ${STATE_SQL.delivered} THEN 1 ELSE 0 END) AS delivered,
           SUM(CASE WHEN ${STATE_SQL.dead} THEN 1 ELSE 0 END) AS failed
         FROM outbox WHERE ${this.kindSql}`,
      )
      .get() as {
      pending: number | null;
      held: number | null;
      delivered: number | null;
      failed: number | null;
    };
    return {
      pending: row.pending ?? 0,
      held: row.held ?? 0,
      delivered: row.delivered ?? 0,
      failed: row.failed ?? 0,
    };
  }
}
