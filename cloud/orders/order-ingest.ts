// Records an online order exactly once by its order id: priced from the same price list as the stores,
// earning points by the same rule, in one statement (order, lines, points). A repeat with the same content
// answers with the first record; different content under the same id is a conflict.
import { createHash } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import { type Database, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { type PointsRule, pointsFor } from '../profile/points-rule.ts';
import { priceVisit, visitFingerprintInput } from '../receipts/price-visit.ts';
import type { PriceList } from '../stores/price-list.ts';
import type { OnlineOrder } from './order-schemas.ts';

export interface RecordedOrder {
  orderId: string;
  totalCents: number;
  currency: string;
  pointsEarned: number;
  created: boolean;
}

const INSERT_ORDER_SQL = `
WITH acct AS (SELECT account_id FROM accounts WHERE account_id = $3 AND role = 'shopper'),
o AS (
  INSERT INTO online_orders (order_id, shop_id, account_id, store_id, placed_at, total_cents, currency,
                             points_earned, fingerprint, created_at)
  SELECT $1, $2, acct.account_id, $4, $5, $6, $7, $8, $9, $10 FROM acct
  ON CONFLICT (order_id) DO NOTHING RETURNING order_id, account_id
), l AS (
  INSERT INTO order_lines (order_id, line_no, sku, name, quantity, unit_price_cents, total_cents)
  SELECT o.order_id, t.line_no, t.sku, t.name, t.quantity, t.unit_price_cents, t.total_cents
  FROM o, unnest($11::int[], $12::text[], $13::text[], $14::int[], $15::bigint[], $16::bigint[])
       AS t(line_no, sku, name, quantity, unit_price_cents, total_cents)
), p AS (
  INSERT INTO points_entries (source, source_id, account_id, points, created_at)
  SELECT 'order', o.order_id, o.account_id, $8, $10 FROM o WHERE $8::bigint > 0
)
SELECT (SELECT count(*) FROM acct) AS accounts, (SELECT count(*) FROM o) AS inserted`;

export class OrderIngest {
  constructor(
    private readonly db: Database,
    private readonly priceList: PriceList,
    private readonly pointsRule: PointsRule,
    private readonly clock: Clock,
  ) {}

  async record(shopId: string, order: OnlineOrder): Promise<RecordedOrder> {
    const { catalog, priced } = await this.price(order);
    const fingerprint = createHash('sha256')
      .update(visitFingerprintInput(`${shopId}/${order.storeId}`, order.accountId, order.lines))
      .digest('hex');
    const points = pointsFor(priced.totalCents, this.pointsRule);
    const rows = await this.db.query<{ accounts: unknown; inserted: unknown }>(INSERT_ORDER_SQL, [
      order.orderId,
      shopId,
      order.accountId,
      order.storeId,
      Math.round(order.placedAt),
      priced.totalCents,
      catalog.currency,
      points,
      fingerprint,
      this.clock.now(),
      priced.lines.map((_, i) => i + 1),
      priced.lines.map((line) => line.sku),
      priced.lines.map((line) => line.name),
      priced.lines.map((line) => line.quantity),
      priced.lines.map((line) => line.unitPriceCents),
      priced.lines.map((line) => line.totalCents),
    ]);
    if (Number(rows[0]?.accounts ?? 0) === 0) {
      throw new ApiError(422, 'unknown_account', `Account ${order.accountId} does not exist.`);
    }
    if (Number(rows[0]?.inserted ?? 0) > 0) {
      return {
        orderId: order.orderId,
        totalCents: priced.totalCents,
        currency: catalog.currency,
        pointsEarned: points,
        created: true,
      };
    }
    return this.firstRecording(order.orderId, fingerprint);
  }

  /** The order priced at its store, refused when the store, a SKU or the shop's expected total is wrong. */
  private async price(order: OnlineOrder) {
    const catalog = await this.priceList.catalogOf(
      order.storeId,
      order.lines.map((line) => line.sku),
    );
    if (catalog === undefined) {
      throw new ApiError(
        422,
        'unknown_store',
        `Store ${order.storeId} does not exist: price orders at a store.`,
      );
    }
    const priced = priceVisit(order.lines, catalog.products);
    if (!priced.ok) {
      throw new ApiError(
        422,
        'unknown_sku',
        `SKU ${priced.unknownSkus.join(', ')} is not in the price list.`,
      );
    }
    if (order.expectedTotalCents !== undefined && order.expectedTotalCents !== priced.totalCents) {
      throw new ApiError(
        409,
        'price_mismatch',
        `The shop expected ${order.expectedTotalCents} but the price list says ${priced.totalCents}: one price list serves both channels, refresh the shop's prices.`,
      );
    }
    return { catalog, priced };
  }

  /** A repeat of an order already recorded: the first recording, if the content is the same. */
  private async firstRecording(orderId: string, fingerprint: string): Promise<RecordedOrder> {
    const stored = (
      await this.db.query<{
        fingerprint: string;
        total_cents: unknown;
        currency: string;
        points_earned: unknown;
      }>('SELECT fingerprint, total_cents, currency, points_earned FROM online_orders WHERE order_id = $1', [
        orderId,
      ])
    )[0];
    if (stored === undefined || stored.fingerprint !== fingerprint) {
      throw new ApiError(
        409,
        'idempotency_key_reused',
        `Order ${orderId} was already recorded with other content: use a new order id for a new order.`,
      );
    }
    return {
      orderId,
      totalCents: toNumber(stored.total_cents),
      currency: stored.currency,
      pointsEarned: toNumber(stored.points_earned),
      created: false,
    };
  }
}
