// The one price list online and in store: each store's catalog (name, category, price) and currency, read
// from the database once and kept in memory, re-read when a SKU is missing. Catalogs change only when stores
// are seeded at start, so the ingest path prices carts without a round trip.
import { type Database, toNumber } from '../db/database.ts';
import type { CatalogPrice } from '../receipts/price-visit.ts';

export interface CatalogProduct extends CatalogPrice {
  sku: string;
  category: string;
}

export interface StoreCatalog {
  storeId: string;
  currency: string;
  /** by SKU */
  products: ReadonlyMap<string, CatalogProduct>;
}

export class PriceList {
  /** by store id */
  private readonly catalogs = new Map<string, Promise<StoreCatalog | undefined>>();

  constructor(private readonly db: Database) {}

  /** The store's catalog; re-read from the database when `skus` names one it does not hold. */
  async catalogOf(storeId: string, skus: readonly string[] = []): Promise<StoreCatalog | undefined> {
    let pending = this.catalogs.get(storeId);
    if (pending === undefined) {
      pending = this.load(storeId);
      this.catalogs.set(storeId, pending);
    }
    const catalog = await pending.catch((err: unknown) => {
      this.catalogs.delete(storeId);
      throw err;
    });
    if (catalog !== undefined && skus.every((sku) => catalog.products.has(sku))) return catalog;
    const fresh = this.load(storeId);
    this.catalogs.set(storeId, fresh);
    return fresh;
  }

  /** Forget cached catalogs (after seeding). */
  clear(): void {
    this.catalogs.clear();
  }

  private async load(storeId: string): Promise<StoreCatalog | undefined> {
    const stores = await this.db.query<{ currency: string }>(
      'SELECT currency FROM stores WHERE store_id = $1',
      [storeId],
    );
    const store = stores[0];
    if (store === undefined) return undefined;
    const rows = await this.db.query<{ sku: string; name: string; category: string; price_cents: unknown }>(
      'SELECT sku, name, category, price_cents FROM products WHERE store_id = $1',
      [storeId],
    );
    const products = new Map(
      rows.map((row) => [
        row.sku,
        { sku: row.sku, name: row.name, category: row.category, priceCents: toNumber(row.price_cents) },
      ]),
    );
    return { storeId, currency: store.currency, products };
  }
}
