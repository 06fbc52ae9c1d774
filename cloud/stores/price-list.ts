// The one price list online and in store: each store's catalog (name, category, price) and currency, kept in
// memory with the store's config version it was read at. A caller that knows the version in force (the edge's
// credential check returns it) prices without a round trip; others ask for the version (one indexed read).
// A new config version registered on any replica is therefore seen by every replica on its next request.
import { type Database, toNumber } from '../db/database.ts';
import type { CatalogPrice } from '../receipts/price-visit.ts';

export interface CatalogProduct extends CatalogPrice {
  sku: string;
  category: string;
}

export interface StoreCatalog {
  storeId: string;
  currency: string;
  /** stores.config_version when this was read. */
  version: number;
  /** by SKU */
  products: ReadonlyMap<string, CatalogProduct>;
}

export class PriceList {
  /** by store id */
  private readonly catalogs = new Map<string, Promise<StoreCatalog | undefined>>();

  constructor(private readonly db: Database) {}

  /**
   * The store's catalog at config version `version` (read from the database when not given); re-read when the
   * cached one is of another version or `skus` names one it does not hold.
   */
  async catalogOf(
    storeId: string,
    skus: readonly string[] = [],
    version?: number,
  ): Promise<StoreCatalog | undefined> {
    const current = version ?? (await this.versionOf(storeId));
    if (current === undefined) return undefined;
    let pending = this.catalogs.get(storeId);
    if (pending === undefined) {
      pending = this.load(storeId);
      this.catalogs.set(storeId, pending);
    }
    const catalog = await pending.catch((err: unknown) => {
      this.catalogs.delete(storeId);
      throw err;
    });
    if (
      catalog !== undefined &&
      catalog.version >= current &&
      skus.every((sku) => catalog.products.has(sku))
    ) {
      return catalog;
    }
    const fresh = this.load(storeId);
    this.catalogs.set(storeId, fresh);
    return fresh;
  }

  private async versionOf(storeId: string): Promise<number | undefined> {
    const rows = await this.db.query<{ config_version: unknown }>(
      'SELECT config_version FROM stores WHERE store_id = $1',
      [storeId],
    );
    return rows[0] === undefined ? undefined : toNumber(rows[0].config_version);
  }

  private async load(storeId: string): Promise<StoreCatalog | undefined> {
    const stores = await this.db.query<{ currency: string; config_version: unknown }>(
      'SELECT currency, config_version FROM stores WHERE store_id = $1',
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
    return { storeId, currency: store.currency, version: toNumber(store.config_version), products };
  }
}
