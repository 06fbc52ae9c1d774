// Prices a visit's cart from the store's catalog: pure, integer cents, unknown SKUs reported not guessed.
import type { VisitLine } from '../../shared/schemas/visit.ts';
import type { ReceiptLine } from './receipt-schemas.ts';

export interface CatalogPrice {
  name: string;
  priceCents: number;
}

export type PricedVisit =
  | { ok: true; lines: ReceiptLine[]; totalCents: number }
  | { ok: false; unknownSkus: string[] };

/** Lines keep the edge's order; the same SKU on two lines is merged into the first (one line per product). */
export function priceVisit(
  lines: readonly VisitLine[],
  catalog: ReadonlyMap<string, CatalogPrice>,
): PricedVisit {
  const bySku = new Map<string, ReceiptLine>();
  const unknown = new Set<string>();
  for (const { sku, quantity } of lines) {
    const product = catalog.get(sku);
    if (product === undefined) {
      unknown.add(sku);
      continue;
    }
    const line = bySku.get(sku) ?? {
      sku,
      name: product.name,
      quantity: 0,
      unitPriceCents: product.priceCents,
      totalCents: 0,
    };
    line.quantity += quantity;
    line.totalCents = line.quantity * line.unitPriceCents;
    bySku.set(sku, line);
  }
  if (unknown.size > 0) return { ok: false, unknownSkus: [...unknown] };
  const priced = [...bySku.values()];
  return { ok: true, lines: priced, totalCents: priced.reduce((sum, line) => sum + line.totalCents, 0) };
}

/** What the bill depends on, in a canonical order: a redelivery must match it to count as a repeat. */
export function visitFingerprintInput(
  storeId: string,
  accountId: string,
  lines: readonly VisitLine[],
): string {
  const totals = new Map<string, number>();
  for (const { sku, quantity } of lines) totals.set(sku, (totals.get(sku) ?? 0) + quantity);
  const canonical = [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([storeId, accountId, canonical]);
}
