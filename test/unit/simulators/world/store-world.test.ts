// The world model: units with their own weights, baskets, refusals of impossible actions, expected lines.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Random } from '../../../../shared/random.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';
import { expectedLines, type GroundTruthEvent } from '../../../../simulators/scenario/ground-truth.ts';
import { StoreWorld } from '../../../../simulators/world/store-world.ts';

const store = indexStore(
  loadStoreConfig(resolve(import.meta.dirname, '../../../../stores/sample-store.json')),
);
const stocked = () => StoreWorld.stocked(store, new Random(42));

describe('StoreWorld', () => {
  it('stocks every lane with its initial units, each with its own weight near the product mean', () => {
    const world = stocked();
    const units = world.laneUnits('S03-L08'); // Northfield Spaghetti 500 g: 1003.4 ± 10 g, 5 units
    expect(units).toHaveLength(5);
    for (const unit of units) {
      expect(unit.sku).toBe('SKU-0006');
      expect(Math.abs(unit.grams - 1003.4)).toBeLessThan(50);
    }
    expect(new Set(units.map((u) => u.grams)).size).toBeGreaterThan(1);
  });

  it('moves picked units into the basket and the lane loses exactly their weight', () => {
    const world = stocked();
    const before = world.laneGrams('S01-L05');
    const picked = world.pick('alice', 'S01-L05', 2);
    if (!picked.ok) throw new Error(picked.reason);
    expect(picked.sku).toBe('SKU-0055');
    expect(picked.units).toHaveLength(2);
    expect(world.laneUnits('S01-L05')).toHaveLength(22);
    expect(world.laneGrams('S01-L05')).toBeCloseTo(before - picked.grams, 6);
    expect(world.basket('alice')).toEqual(picked.units);
  });

  it('restocks the lanes picked from to their stocked units, behind what is left, and leaves a misplaced item', () => {
    const world = stocked();
    const picked = world.pick('alice', 'S03-L08', 3);
    if (!picked.ok) throw new Error(picked.reason);
    const front = world.laneUnits('S03-L08').at(-1);
    // one unit off S01-L05 and a spaghetti left in its place: the lane is as full as it was stocked
    if (!world.pick('alice', 'S01-L05', 1).ok) throw new Error('S01-L05 is stocked');
    const misplaced = world.putBack('alice', 'S01-L05', 1, 'SKU-0006');
    if (!misplaced.ok) throw new Error(misplaced.reason);
    expect(world.restock(new Random(7))).toEqual([{ lane: 'S03-L08', sku: 'SKU-0006', units: 3 }]);
    const units = world.laneUnits('S03-L08');
    expect(units).toHaveLength(5);
    expect(units.at(-1)).toBe(front);
    expect(units.every((u) => u.sku === 'SKU-0006' && Math.abs(u.grams - 1003.4) < 50)).toBe(true);
    expect(world.laneUnits('S01-L05').at(-1)?.sku).toBe('SKU-0006');
    expect(world.restock(new Random(7))).toEqual([]);
  });

  it('refuses a pick from an empty lane and never goes below zero units', () => {
    const world = stocked();
    expect(world.pick('alice', 'S03-L08', 5).ok).toBe(true);
    expect(world.pick('bob', 'S03-L08', 1)).toEqual({
      ok: false,
      reason: 'lane S03-L08 has 0 units, cannot pick 1',
    });
    expect(world.laneUnits('S03-L08')).toHaveLength(0);
    expect(world.laneGrams('S03-L08')).toBe(0);
    expect(world.basket('bob')).toEqual([]);
  });

  it('refuses a pick of more units than the lane holds, taking none', () => {
    const world = stocked();
    expect(world.pick('alice', 'S03-L08', 6)).toEqual({
      ok: false,
      reason: 'lane S03-L08 has 5 units, cannot pick 6',
    });
    expect(world.laneUnits('S03-L08')).toHaveLength(5);
  });

  it('puts back the units the shopper holds, by default of the lane product', () => {
    const world = stocked();
    const picked = world.pick('alice', 'S07-L06', 1);
    if (!picked.ok) throw new Error(picked.reason);
    const back = world.putBack('alice', 'S07-L06', 1);
    expect(back).toMatchObject({ ok: true, sku: 'SKU-0008', grams: picked.grams });
    expect(world.basket('alice')).toEqual([]);
    expect(world.laneUnits('S07-L06')).toHaveLength(19);
    expect(world.putBack('alice', 'S07-L06', 1)).toEqual({
      ok: false,
      reason: "alice's basket holds 0 × SKU-0008, cannot put back 1",
    });
  });

  it('puts a misplaced item onto another lane and the next pick there takes it', () => {
    const world = stocked();
    world.pick('alice', 'S04-L08', 1); // chocolate bar
    world.pick('alice', 'S01-L05', 1); // soup cup (S01-L05 now 23 of 24)
    const misplaced = world.putBack('alice', 'S01-L05', 1, 'SKU-0003');
    expect(misplaced).toMatchObject({ ok: true, sku: 'SKU-0003' });
    expect(world.basket('alice').map((u) => u.sku)).toEqual(['SKU-0055']);
    expect(world.pick('bob', 'S01-L05', 1)).toMatchObject({ ok: true, sku: 'SKU-0003' });
  });

  it('refuses a put-back onto a full lane', () => {
    const world = stocked();
    world.pick('alice', 'S04-L08', 1);
    expect(world.putBack('alice', 'S01-L05', 1, 'SKU-0003')).toEqual({
      ok: false,
      reason: 'lane S01-L05 holds 24 of 24, no room for 1',
    });
  });
});

describe('expectedLines', () => {
  const event = (kind: 'pick' | 'put-back', sku: string, count: number): GroundTruthEvent => ({
    ts: 0,
    startTs: 0,
    endTs: 0,
    shopper: 'alice',
    kind,
    lane: 'L',
    sku,
    count,
    grams: 1,
  });

  it('is picks minus put-backs per SKU, zero lines omitted, sorted by SKU', () => {
    expect(
      expectedLines([
        event('pick', 'SKU-0055', 2),
        event('pick', 'SKU-0008', 1),
        event('pick', 'SKU-0003', 1),
        event('put-back', 'SKU-0008', 1),
        event('pick', 'SKU-0006', 1),
      ]),
    ).toEqual([
      { sku: 'SKU-0003', quantity: 1 },
      { sku: 'SKU-0006', quantity: 1 },
      { sku: 'SKU-0055', quantity: 2 },
    ]);
  });
});
