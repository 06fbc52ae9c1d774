// Reads receipts with their lines, line disputes and items returned to the shelf after the receipt, always scoped to the owning account: someone else's
// receipt reads as absent.
import { type Database, toNumber } from '../db/database.ts';
import type { DisputeStatus, Receipt, ReceiptLineView, ReceiptStatus } from './receipt-schemas.ts';

/** The receipt list is the newest this many; older ones stay readable by id. */
export const RECEIPT_LIST_LIMIT = 200;

interface ReceiptRow {
  receipt_id: string;
  visit_id: string;
  store_id: string;
  account_id: string;
  entered_at: unknown;
  exited_at: unknown;
  total_cents: unknown;
  currency: string;
  status: ReceiptStatus;
  points_earned: unknown;
  refunded_cents: unknown;
  created_at: unknown;
}

interface LineRow {
  receipt_id: string;
  line_no: number;
  sku: string;
  name: string;
  quantity: number;
  unit_price_cents: unknown;
  total_cents: unknown;
  dispute_id: string | null;
  dispute_status: DisputeStatus | null;
  dispute_quantity: number | null;
  dispute_amount_cents: unknown;
  returned_quantity: unknown;
  returned_cents: unknown;
}

// Points shown are those earned less those refunds took back.
const RECEIPT_COLUMNS = `r.receipt_id, r.visit_id, r.store_id, r.account_id, r.entered_at, r.exited_at,
  r.total_cents, r.currency, r.status, r.created_at,
  r.points_earned + COALESCE((SELECT sum(p.points) FROM points_entries p JOIN disputes d
    ON p.source = 'refund' AND p.source_id = d.dispute_id WHERE d.receipt_id = r.receipt_id), 0)
  + COALESCE((SELECT sum(p.points) FROM points_entries p JOIN visit_returns x
    ON p.source = 'return' AND p.source_id = x.store_id || ':' || x.return_id
    WHERE x.receipt_id = r.receipt_id), 0) AS points_earned,
  COALESCE((SELECT sum(e.amount_cents) FROM ledger_entries e
    WHERE e.receipt_id = r.receipt_id AND e.kind = 'refund'), 0) AS refunded_cents`;

async function withLines(db: Database, rows: ReceiptRow[]): Promise<Receipt[]> {
  if (rows.length === 0) return [];
  const lines = await db.query<LineRow>(
    `SELECT l.receipt_id, l.line_no, l.sku, l.name, l.quantity, l.unit_price_cents, l.total_cents,
            d.dispute_id, d.status AS dispute_status, d.quantity AS dispute_quantity,
            d.amount_cents AS dispute_amount_cents,
            COALESCE(x.quantity, 0) AS returned_quantity, COALESCE(x.amount_cents, 0) AS returned_cents
     FROM receipt_lines l
     LEFT JOIN disputes d ON d.receipt_id = l.receipt_id AND d.line_no = l.line_no
     LEFT JOIN (SELECT receipt_id, line_no, sum(quantity) AS quantity, sum(amount_cents) AS amount_cents
                FROM visit_returns WHERE status = 'refunded' GROUP BY receipt_id, line_no) x
       ON x.receipt_id = l.receipt_id AND x.line_no = l.line_no
     WHERE l.receipt_id = ANY($1::text[]) ORDER BY l.receipt_id, l.line_no`,
    [rows.map((row) => row.receipt_id)],
  );
  /** by receipt id */
  const linesByReceipt = new Map<string, ReceiptLineView[]>();
  for (const line of lines) {
    const list = linesByReceipt.get(line.receipt_id) ?? [];
    list.push({
      lineNo: line.line_no,
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPriceCents: toNumber(line.unit_price_cents),
      totalCents: toNumber(line.total_cents),
      returnedQuantity: toNumber(line.returned_quantity),
      returnedCents: toNumber(line.returned_cents),
      ...(line.dispute_id === null || line.dispute_status === null
        ? {}
        : {
            dispute: {
              disputeId: line.dispute_id,
              status: line.dispute_status,
              quantity: line.dispute_quantity ?? 0,
              amountCents: toNumber(line.dispute_amount_cents),
            },
          }),
    });
    linesByReceipt.set(line.receipt_id, list);
  }
  return rows.map((row) => ({
    receiptId: row.receipt_id,
    visitId: row.visit_id,
    storeId: row.store_id,
    accountId: row.account_id,
    enteredAt: toNumber(row.entered_at),
    exitedAt: toNumber(row.exited_at),
    lines: linesByReceipt.get(row.receipt_id) ?? [],
    totalCents: toNumber(row.total_cents),
    currency: row.currency,
    status: row.status,
    pointsEarned: toNumber(row.points_earned),
    refundedCents: toNumber(row.refunded_cents),
    createdAt: toNumber(row.created_at),
  }));
}

/** Newest first. */
export async function listReceipts(db: Database, accountId: string): Promise<Receipt[]> {
  const rows = await db.query<ReceiptRow>(
    `SELECT ${RECEIPT_COLUMNS} FROM receipts r WHERE r.account_id = $1
     ORDER BY r.created_at DESC, r.receipt_id DESC LIMIT ${RECEIPT_LIST_LIMIT}`,
    [accountId],
  );
  return withLines(db, rows);
}

export async function findReceipt(
  db: Database,
  accountId: string,
  receiptId: string,
): Promise<Receipt | undefined> {
  const rows = await db.query<ReceiptRow>(
    `SELECT ${RECEIPT_COLUMNS} FROM receipts r WHERE r.receipt_id = $1 AND r.account_id = $2`,
    [receiptId, accountId],
  );
  return (await withLines(db, rows))[0];
}
