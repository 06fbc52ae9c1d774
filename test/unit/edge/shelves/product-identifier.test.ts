import { describe, expect, it } from 'vitest';
import { identifyProduct } from '../../../../edge/shelves/product-identifier.ts';

const cola = { sku: 'COLA', unitGrams: 350, unitGramsSd: 3.5, prior: 1 };
const chips = { sku: 'CHIPS', unitGrams: 150, unitGramsSd: 1.5, prior: 0.05 };

describe('identifyProduct', () => {
  it('ranks the planogram product and the count that explain the change', () => {
    const result = identifyProduct(-702, 2, [cola]);
    expect(result.hypotheses[0]).toMatchObject({ sku: 'COLA', count: 2 });
    expect(result.hypotheses[0]?.likelihood).toBeGreaterThan(0.99);
    expect(result.ambiguous).toBe(false);
  });

  it('returns no hypothesis when nothing fits the weight', () => {
    expect(identifyProduct(-500, 2, [cola])).toEqual({
      hypotheses: [],
      ambiguous: false,
      bestZ: Number.POSITIVE_INFINITY,
    });
  });

  it('prefers a neighbour product when only it fits (misplaced put-back)', () => {
    const result = identifyProduct(151, 2, [cola, chips]);
    expect(result.hypotheses[0]).toMatchObject({ sku: 'CHIPS', count: 1 });
  });

  it('reports look-alike products of equal weight as ambiguous', () => {
    const twin = { ...cola, sku: 'COLA-ZERO' };
    const result = identifyProduct(-350, 2, [cola, twin]);
    expect(result.ambiguous).toBe(true);
    expect(result.hypotheses.map((h) => h.sku).sort()).toEqual(['COLA', 'COLA-ZERO']);
  });

  it('normalises likelihoods to sum to at most 1', () => {
    const result = identifyProduct(-1050, 20, [cola, chips]);
    const sum = result.hypotheses.reduce((s, h) => s + h.likelihood, 0);
    expect(sum).toBeLessThanOrEqual(1.000001);
  });
});
