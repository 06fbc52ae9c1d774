// Reads receipts with their lines, always scoped to the owning account: someone else's receipt reads as absent.
import { type Database, toNumber } from '../db/database.ts';
import type { Receipt, ReceiptLine, ReceiptStatus } from './receipt-schemas.ts';

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
  created_at: unknown;
}

interface LineRow {
  receipt_id: string;
  sku: string;
  name: string;
  quantity: number;
  unit_price_cents: unknown;
  total_cents: unknown;
}

const RECEIPT_COLUMNS = `receipt_id, visit_id, store_id, account_id, entered_at, exited_at, total_cents, currency,
  status, created_at`;

async function withLines(db: Database, rows: ReceiptRow[]): Promise<Receipt[]> {
  if (rows.length === 0) return [];
  const lines = await db.query<LineRow>(
    `SELECT receipt_id, sku, name, quantity, unit_price_cents, total_cents FROM receipt_lines
     WHERE receipt_id = ANY($1::text[]) ORDER BY receipt_id, line_no`,
    [rows.map((row) => row.receipt_id)],
  );
  const linesByReceipt = new Map<string, ReceiptLine[]>();
  for (const line of lines) {
    const list = linesByReceipt.get(line.receipt_id) ?? [];
    list.push({
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPriceCents: toNumber(line.unit_price_cents),
      totalCents: toNumber(line.total_cents),
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
    createdAt: toNumber(row.created_at),
  }));
}

/** Newest first. */
export async function listReceipts(db: Database, accountId: string): Promise<Receipt[]> {
  const rows = await db.query<ReceiptRow>(
    `SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE account_id = $1
     ORDER BY created_at DESC, receipt_id DESC LIMIT ${RECEIPT_LIST_LIMIT}`,
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
    `SELECT ${RECEIPT_COLUMNS} FROM receipts WHERE receipt_id = $1 AND account_id = $2`,
    [receiptId, accountId],
  );
  return (await withLines(db, rows))[0];
}
