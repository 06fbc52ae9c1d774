// Pricing a visit's cart from a catalog: concrete carts, unknown SKUs, merging, and totals as a property.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CatalogPrice,
  priceVisit,
  visitFingerprintInput,
} from '../../../../cloud/receipts/price-visit.ts';

const catalog = new Map<string, CatalogPrice>([
  ['SKU-0001', { name: 'Still Water 0.5 L', priceCents: 189 }],
  ['SKU-0007', { name: 'Chicken Sandwich', priceCents: 739 }],
  ['FREE', { name: 'Paper Bag', priceCents: 0 }],
]);

describe('priceVisit', () => {
  it('prices each line at the catalog price and totals in cents', () => {
    expect(
      priceVisit(
        [
          { sku: 'SKU-0001', quantity: 2 },
          { sku: 'SKU-0007', quantity: 1 },
        ],
        catalog,
      ),
    ).toEqual({
      ok: true,
      lines: [
        { sku: 'SKU-0001', name: 'Still Water 0.5 L', quantity: 2, unitPriceCents: 189, totalCents: 378 },
        { sku: 'SKU-0007', name: 'Chicken Sandwich', quantity: 1, unitPriceCents: 739, totalCents: 739 },
      ],
      totalCents: 1117,
    });
  });

  it('merges repeated SKUs into their first line', () => {
    const priced = priceVisit(
      [
        { sku: 'SKU-0007', quantity: 1 },
        { sku: 'SKU-0001', quantity: 1 },
        { sku: 'SKU-0007', quantity: 2 },
      ],
      catalog,
    );
    expect(priced).toMatchObject({
      ok: true,
      lines: [
        { sku: 'SKU-0007', quantity: 3, totalCents: 2217 },
        { sku: 'SKU-0001', quantity: 1, totalCents: 189 },
      ],
      totalCents: 2406,
    });
  });

  it('reports every unknown SKU once instead of pricing the rest', () => {
    expect(
      priceVisit(
        [
          { sku: 'NOPE', quantity: 1 },
          { sku: 'SKU-0001', quantity: 1 },
          { sku: 'NOPE', quantity: 2 },
          { sku: 'GONE', quantity: 1 },
        ],
        catalog,
      ),
    ).toEqual({ ok: false, unknownSkus: ['NOPE', 'GONE'] });
  });

  it('prices an empty cart at 0', () => {
    expect(priceVisit([], catalog)).toEqual({ ok: true, lines: [], totalCents: 0 });
  });

  it('always totals the sum of quantity × unit price, as an integer', () => {
    const skus = [...catalog.keys()];
    fc.assert(
      fc.property(
        fc.array(fc.record({ sku: fc.constantFrom(...skus), quantity: fc.integer({ min: 1, max: 1000 }) }), {
          maxLength: 50,
        }),
        (lines) => {
          const priced = priceVisit(lines, catalog);
          if (!priced.ok) return false;
          const expected = lines.reduce(
            (sum, l) => sum + l.quantity * (catalog.get(l.sku)?.priceCents ?? 0),
            0,
          );
          return (
            priced.totalCents === expected &&
            Number.isInteger(priced.totalCents) &&
            new Set(priced.lines.map((l) => l.sku)).size === priced.lines.length
          );
        },
      ),
    );
  });
});

describe('visitFingerprintInput', () => {
  it('ignores line order and splitting but not quantities, account or store', () => {
    const base = visitFingerprintInput('s1', 'a1', [
      { sku: 'B', quantity: 1 },
      { sku: 'A', quantity: 2 },
    ]);
    expect(
      visitFingerprintInput('s1', 'a1', [
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 1 },
      ]),
    ).toBe(base);
    expect(visitFingerprintInput('s1', 'a1', [{ sku: 'A', quantity: 2 }])).not.toBe(base);
    expect(
      visitFingerprintInput('s1', 'a2', [
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ]),
    ).not.toBe(base);
    expect(
      visitFingerprintInput('s2', 'a1', [
        { sku: 'B', quantity: 1 },
        { sku: 'A', quantity: 2 },
      ]),
    ).not.toBe(base);
  });
});
