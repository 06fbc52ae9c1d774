// Click & collect holds: a shopper reserves units of a product at a store for a while; a hold never takes
// more than is available, because reservations of one store and SKU are made one at a time (advisory lock).
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import { type Database, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { stockOf } from './stock.ts';

export const HOLD_MS = 2 * 3600 * 1000;

export interface Reservation {
  reservationId: string;
  storeId: string;
  sku: string;
  quantity: number;
  status: 'held' | 'collected' | 'cancelled' | 'expired';
  expiresAt: number;
  createdAt: number;
}

interface ReservationRow {
  reservation_id: string;
  store_id: string;
  sku: string;
  quantity: number;
  status: 'held' | 'collected' | 'cancelled';
  expires_at: unknown;
  created_at: unknown;
}

function toReservation(row: ReservationRow, now: number): Reservation {
  const expiresAt = toNumber(row.expires_at);
  return {
    reservationId: row.reservation_id,
    storeId: row.store_id,
    sku: row.sku,
    quantity: row.quantity,
    status: row.status === 'held' && expiresAt <= now ? 'expired' : row.status,
    expiresAt,
    createdAt: toNumber(row.created_at),
  };
}

export class Reservations {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async hold(accountId: string, storeId: string, sku: string, quantity: number): Promise<Reservation> {
    const now = this.clock.now();
    const reservationId = randomUUID();
    await this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`reservation:${storeId}:${sku}`]);
      const [stock] = await stockOf(tx, now, { storeId, skus: [sku] });
      if (stock === undefined) {
        throw new ApiError(404, 'product_not_stocked', `Store ${storeId} does not stock ${sku}.`);
      }
      if (stock.available < quantity) {
        throw new ApiError(
          409,
          'not_enough_stock',
          `Only ${stock.available} of ${sku} can be reserved at store ${storeId} right now.`,
        );
      }
      await tx.query(
        `INSERT INTO reservations (reservation_id, account_id, store_id, sku, quantity, status, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, 'held', $6, $7)`,
        [reservationId, accountId, storeId, sku, quantity, now + HOLD_MS, now],
      );
    });
    return {
      reservationId,
      storeId,
      sku,
      quantity,
      status: 'held',
      expiresAt: now + HOLD_MS,
      createdAt: now,
    };
  }

  async listOf(accountId: string): Promise<Reservation[]> {
    const rows = await this.db.query<ReservationRow>(
      `SELECT reservation_id, store_id, sku, quantity, status, expires_at, created_at FROM reservations
       WHERE account_id = $1 ORDER BY created_at DESC, reservation_id LIMIT 100`,
      [accountId],
    );
    const now = this.clock.now();
    return rows.map((row) => toReservation(row, now));
  }

  async cancel(accountId: string, reservationId: string): Promise<Reservation> {
    const rows = await this.db.query<ReservationRow>(
      `UPDATE reservations SET status = 'cancelled' WHERE reservation_id = $1 AND account_id = $2
       AND status = 'held' RETURNING reservation_id, store_id, sku, quantity, status, expires_at, created_at`,
      [reservationId, accountId],
    );
    const row = rows[0];
    if (row === undefined) {
      throw new ApiError(404, 'reservation_not_found', 'No held reservation of yours has this id.');
    }
    return toReservation(row, this.clock.now());
  }
}
