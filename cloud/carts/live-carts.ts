// The cloud's side of the live cart (#18): keeps the latest snapshot the edge sent of each visit in progress
// (the highest sequence wins; repeats and late older ones change nothing), pushes each change and each new
// receipt to the account's open apps (cart-hub.ts), and keeps the shopper's "I didn't take this" flags until
// the store's edge pulls them. Bounded: carts and flags are deleted a day after their last change.
import { randomUUID } from 'node:crypto';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Clock } from '../../shared/clock.ts';
import type { CartFlag, LiveCartUpdate } from '../../shared/schemas/live-cart.ts';
import { type Database, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { CartHub, StreamEvent } from './cart-hub.ts';

/** What the app receives as a `cart` event. */
export interface CartEventData extends Omit<LiveCartUpdate, 'accountId'> {
  storeId: string;
}

/** What the app receives as a `receipt` event. */
export interface ReceiptEventData {
  storeId: string;
  visitId: string;
  receiptId: string;
  status: string;
  totalCents: number;
  /** When the shopper left (edge clock, ms): the app measures exit → receipt on screen from it. */
  exitedAt: number;
}

export type CartUpdateOutcome = 'stored' | 'repeat' | 'stale' | 'after_receipt';

/** Carts and flags older than this are deleted (ms): the receipt has long replaced them. */
export const LIVE_CART_RETENTION_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;
/** A receipt is still offered to an app that (re)connects this long after it was made (ms). */
const RECENT_RECEIPT_MS = 10 * 60_000;

export const cartEventId = (sessionId: string, seq: number) => `cart:${sessionId}:${seq}`;
export const receiptEventId = (receiptId: string) => `receipt:${receiptId}`;

interface CartRow {
  store_id: string;
  session_id: string;
  seq: number;
  cart: LiveCartUpdate;
  receipt_id: string | null;
}

export class LiveCarts {
  private lastPruneAt = 0;
  private readonly updates: Counter<'outcome'>;
  private readonly flagsTaken: Counter;
  private readonly exitToPush: Histogram;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly hub: CartHub,
    registry: Registry,
  ) {
    this.updates = new Counter({
      name: 'walkout_cloud_live_cart_updates_total',
      help: 'Live-cart snapshots from edges, by outcome (stored, repeat, stale, after_receipt)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.flagsTaken = new Counter({
      name: 'walkout_cloud_shopper_flags_total',
      help: 'Lines shoppers flagged "I did not take this" from the live cart',
      registers: [registry],
    });
    this.exitToPush = new Histogram({
      name: 'walkout_cloud_exit_to_receipt_push_ms',
      help: 'From the shopper leaving (edge clock) to the receipt pushed to their open apps, ms',
      buckets: [250, 500, 1000, 2000, 5000, 10_000, 30_000, 120_000],
      registers: [registry],
    });
  }

  /** An edge's snapshot of a visit in progress. */
  async accept(storeId: string, update: LiveCartUpdate): Promise<CartUpdateOutcome> {
    const now = this.clock.now();
    const stored = await this.db.query<{ seq: number }>(
      `INSERT INTO live_carts (store_id, session_id, account_id, seq, cart, updated_at)
       SELECT $1, $2, a.account_id, $4, $5::jsonb, $6 FROM accounts a
       WHERE a.account_id = $3 AND NOT EXISTS (SELECT 1 FROM receipts r WHERE r.visit_id = $2)
       ON CONFLICT (store_id, session_id) DO UPDATE SET seq = excluded.seq, cart = excluded.cart,
         updated_at = excluded.updated_at
       WHERE live_carts.seq < excluded.seq AND live_carts.receipt_id IS NULL
         AND live_carts.account_id = excluded.account_id
       RETURNING seq`,
      [storeId, update.sessionId, update.accountId, update.seq, JSON.stringify(update), now],
    );
    const outcome = stored.length > 0 ? 'stored' : await this.whyNotStored(storeId, update);
    this.updates.inc({ outcome });
    if (outcome === 'stored') {
      const { accountId: _owner, ...cart } = update;
      this.hub.publish(update.accountId, {
        id: cartEventId(update.sessionId, update.seq),
        event: 'cart',
        data: { storeId, ...cart } satisfies CartEventData,
      });
    }
    if (now - this.lastPruneAt >= PRUNE_EVERY_MS) await this.prune(now);
    return outcome;
  }

  private async whyNotStored(storeId: string, update: LiveCartUpdate): Promise<CartUpdateOutcome> {
    const account = await this.db.query('SELECT 1 FROM accounts WHERE account_id = $1', [update.accountId]);
    if (account.length === 0)
      throw new ApiError(
        422,
        'unknown_account',
        `No account ${update.accountId}: the live cart names the account its entry token was issued to.`,
      );
    const rows = await this.db.query<{ seq: number; receipt_id: string | null; account_id: string }>(
      'SELECT seq, receipt_id, account_id FROM live_carts WHERE store_id = $1 AND session_id = $2',
      [storeId, update.sessionId],
    );
    const row = rows[0];
    if (row === undefined || row.receipt_id !== null) return 'after_receipt';
    if (row.account_id !== update.accountId)
      throw new ApiError(
        409,
        'session_account_mismatch',
        `Session ${update.sessionId} belongs to another account: the edge must not reuse a session id.`,
      );
    return row.seq === update.seq ? 'repeat' : 'stale';
  }

  /**
   * The visit's receipt exists (the visit's write closed its live cart and kept its shopper flags,
   * receipts/store-visit.ts): every open app of the account is told at once.
   */
  receiptReady(
    storeId: string,
    visit: { visitId: string; accountId: string; exitedAt: number },
    receipt: { receiptId: string; status: string; totalCents: number },
  ): void {
    const data: ReceiptEventData = { storeId, visitId: visit.visitId, ...receipt, exitedAt: visit.exitedAt };
    const apps = this.hub.publish(visit.accountId, {
      id: receiptEventId(receipt.receiptId),
      event: 'receipt',
      data,
    });
    if (apps > 0) this.exitToPush.observe(Math.max(0, this.clock.now() - visit.exitedAt));
  }

  /** The shopper flags a counted line of their visit in progress; a repeat returns the same flag. */
  async flag(accountId: string, sessionId: string, sku: string): Promise<{ flagId: string }> {
    const rows = await this.db.query<CartRow>(
      `SELECT store_id, session_id, seq, cart, receipt_id FROM live_carts
       WHERE session_id = $1 AND account_id = $2`,
      [sessionId, accountId],
    );
    const row = rows[0];
    if (row === undefined || row.receipt_id !== null)
      throw new ApiError(
        404,
        'cart_not_found',
        'No visit in progress with this id on your account: a line can be flagged only before you leave.',
      );
    const line = row.cart.lines.find((l) => l.sku === sku && l.status === 'counted');
    if (line === undefined)
      throw new ApiError(
        409,
        'line_not_flaggable',
        `Nothing of ${sku} is counted in your cart now (it is being checked already, or was never counted).`,
      );
    const existing = await this.db.query<{ flag_id: string }>(
      'SELECT flag_id FROM cart_flags WHERE session_id = $1 AND sku = $2 AND pulled_at IS NULL',
      [sessionId, sku],
    );
    if (existing[0] !== undefined) return { flagId: existing[0].flag_id };
    const flagId = randomUUID();
    await this.db.query(
      `INSERT INTO cart_flags (flag_id, store_id, session_id, account_id, sku, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [flagId, row.store_id, sessionId, accountId, sku, this.clock.now()],
    );
    this.flagsTaken.inc();
    return { flagId };
  }

  /** Flags the store's edge has not acknowledged yet, oldest first. */
  async unpulled(storeId: string, limit = 100): Promise<CartFlag[]> {
    const rows = await this.db.query<{
      flag_id: string;
      session_id: string;
      sku: string;
      created_at: unknown;
    }>(
      `SELECT flag_id, session_id, sku, created_at FROM cart_flags
       WHERE store_id = $1 AND pulled_at IS NULL ORDER BY created_at, flag_id LIMIT $2`,
      [storeId, limit],
    );
    return rows.map((r) => ({
      flagId: r.flag_id,
      sessionId: r.session_id,
      sku: r.sku,
      createdAt: toNumber(r.created_at),
    }));
  }

  /** The edge opened these flags' staff decisions; returns how many were still waiting. */
  async markPulled(storeId: string, flagIds: readonly string[]): Promise<number> {
    const rows = await this.db.query(
      `UPDATE cart_flags SET pulled_at = $3 WHERE store_id = $1 AND flag_id = ANY($2::text[])
       AND pulled_at IS NULL RETURNING flag_id`,
      [storeId, flagIds, this.clock.now()],
    );
    return rows.length;
  }

  /**
   * What an app that (re)connects is owed: the latest cart of each visit in progress and the receipts made in
   * the last minutes, except what `lastEventId` says it already has.
   */
  async current(accountId: string, lastEventId: string | undefined): Promise<StreamEvent[]> {
    const now = this.clock.now();
    const rows = await this.db.query<CartRow & { updated_at: unknown }>(
      `SELECT store_id, session_id, seq, cart, receipt_id, updated_at FROM live_carts
       WHERE account_id = $1 AND updated_at >= $2 ORDER BY updated_at`,
      [accountId, now - LIVE_CART_RETENTION_MS],
    );
    const receipts = rows.filter(
      (r) => r.receipt_id !== null && toNumber(r.updated_at) >= now - RECENT_RECEIPT_MS,
    );
    const details = await this.receiptDetails(receipts.map((r) => r.receipt_id as string));
    const events: StreamEvent[] = [];
    for (const row of rows) {
      if (row.receipt_id === null) {
        const { accountId: _owner, ...cart } = row.cart;
        events.push({
          id: cartEventId(row.session_id, row.seq),
          event: 'cart',
          data: { storeId: row.store_id, ...cart },
        });
      } else {
        const receipt = details.get(row.receipt_id);
        if (receipt !== undefined)
          events.push({ id: receiptEventId(row.receipt_id), event: 'receipt', data: receipt });
      }
    }
    return events.filter((e) => e.id !== lastEventId);
  }

  private async receiptDetails(receiptIds: string[]): Promise<Map<string, ReceiptEventData>> {
    if (receiptIds.length === 0) return new Map();
    const rows = await this.db.query<{
      receipt_id: string;
      visit_id: string;
      store_id: string;
      status: string;
      total_cents: unknown;
      exited_at: unknown;
    }>(
      'SELECT receipt_id, visit_id, store_id, status, total_cents, exited_at FROM receipts WHERE receipt_id = ANY($1::text[])',
      [receiptIds],
    );
    return new Map(
      rows.map((r) => [
        r.receipt_id,
        {
          storeId: r.store_id,
          visitId: r.visit_id,
          receiptId: r.receipt_id,
          status: r.status,
          totalCents: toNumber(r.total_cents),
          exitedAt: toNumber(r.exited_at),
        },
      ]),
    );
  }

  /** Deletes carts and flags a day old; returns how many rows went. */
  async prune(now: number): Promise<number> {
    this.lastPruneAt = now;
    const before = now - LIVE_CART_RETENTION_MS;
    const carts = await this.db.query('DELETE FROM live_carts WHERE updated_at < $1 RETURNING session_id', [
      before,
    ]);
    const flags = await this.db.query('DELETE FROM cart_flags WHERE created_at < $1 RETURNING flag_id', [
      before,
    ]);
    return carts.length + flags.length;
  }
}
