import { afterEach, describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { Outbox } from '../../../../edge/outbox/outbox.ts';

describe('Outbox', () => {
  const db = openEdgeDatabase(':memory:');
  afterEach(() => db.exec('DELETE FROM outbox'));

  it('stores a key once and hands out due items in order', () => {
    const outbox = new Outbox(db);
    expect(outbox.enqueue('visit:a', 'visit', { a: 1 }, 100)).toBe(true);
    expect(outbox.enqueue('visit:a', 'visit', { a: 2 }, 100)).toBe(false);
    outbox.enqueue('visit:b', 'visit', { b: 1 }, 200);
    expect(outbox.due(150, 10).map((i) => i.key)).toEqual(['visit:a']);
    expect(outbox.due(250, 10).map((i) => JSON.parse(i.body))).toEqual([{ a: 1 }, { b: 1 }]);
  });

  it('retries later, then delivers; failed items are never due again', () => {
    const outbox = new Outbox(db);
    outbox.enqueue('visit:a', 'visit', {}, 0);
    outbox.enqueue('visit:b', 'visit', {}, 0);
    const [a, b] = outbox.due(0, 10);
    if (a === undefined || b === undefined) throw new Error('expected two items');
    outbox.markRetry(a.id, 'offline', 1000);
    outbox.markFailed(b.id, '422', 0);
    expect(outbox.due(500, 10)).toEqual([]);
    expect(outbox.nextDueAt()).toBe(1000);
    outbox.markDelivered(a.id, 1000);
    expect(outbox.counts()).toEqual({ pending: 0, held: 0, delivered: 1, failed: 1 });
  });

  it('remembers when the cloud first answered "not yet" for an item, until an operator re-queues it', () => {
    const outbox = new Outbox(db);
    outbox.enqueue('return:r1', 'return', {}, 0);
    const [item] = outbox.due(0, 1);
    if (item === undefined) throw new Error('expected an item');
    expect(outbox.notReadySince(item.id, 100)).toBe(100);
    expect(outbox.notReadySince(item.id, 5_000)).toBe(100);
    outbox.markFailed(item.id, 'waited too long', 6_000);
    expect(outbox.requeue({ ids: [item.id] }, 7_000)).toEqual([item.id]);
    expect(outbox.notReadySince(item.id, 8_000)).toBe(8_000);
  });

  it("tells an item's state by its key, within the view's kinds", () => {
    const visits = new Outbox(db, ['visit']);
    const returns = new Outbox(db, ['return']);
    visits.enqueue('visit:a', 'visit', {}, 0);
    visits.enqueue('visit:b', 'visit', {}, 0);
    const [a, b] = visits.due(0, 10);
    if (a === undefined || b === undefined) throw new Error('expected two items');
    visits.markFailed(a.id, '422', 1);
    visits.markDelivered(b.id, 1);
    expect(visits.stateOfKey('visit:a')).toBe('dead');
    expect(visits.stateOfKey('visit:b')).toBe('delivered');
    expect(visits.stateOfKey('visit:c')).toBeUndefined();
    expect(returns.stateOfKey('visit:a')).toBeUndefined();
  });

  it('holds items until released, then sends them in their order', () => {
    const outbox = new Outbox(db);
    for (const k of ['a', 'b', 'c']) outbox.enqueue(`visit:${k}`, 'visit', {}, 0);
    for (const item of outbox.due(0, 10)) outbox.markHeld(item.id, '401', 10);
    expect(outbox.due(1_000_000, 10)).toEqual([]);
    expect(outbox.nextDueAt()).toBeUndefined();
    expect(outbox.hasHeld()).toBe(true);
    expect(outbox.counts()).toMatchObject({ pending: 0, held: 3 });
    expect(outbox.releaseOldestHeld(20)).toBe(true);
    expect(outbox.due(20, 10).map((i) => i.key)).toEqual(['visit:a']);
    expect(outbox.releaseHeld(30)).toBe(2);
    expect(outbox.due(30, 10).map((i) => i.key)).toEqual(['visit:a', 'visit:b', 'visit:c']);
    expect(outbox.hasHeld()).toBe(false);
  });

  it('lists rows by state with their reason and attempts; re-queues held and dead ones, never delivered', () => {
    const outbox = new Outbox(db);
    for (const k of ['a', 'b', 'c', 'd']) outbox.enqueue(`visit:${k}`, 'visit', {}, 0);
    const [a, b, c] = outbox.due(0, 10);
    if (a === undefined || b === undefined || c === undefined) throw new Error('expected items');
    outbox.markHeld(a.id, 'cloud answered 401 unauthorized', 5);
    outbox.markFailed(b.id, 'cloud answered 422 unknown_sku', 6);
    outbox.markDelivered(c.id, 7);
    expect(outbox.list(['held', 'dead'], 10)).toEqual([
      expect.objectContaining({
        key: 'visit:a',
        state: 'held',
        attempts: 1,
        heldAt: 5,
        lastError: 'cloud answered 401 unauthorized',
      }),
      expect.objectContaining({
        key: 'visit:b',
        state: 'dead',
        attempts: 1,
        deadAt: 6,
        lastError: 'cloud answered 422 unknown_sku',
      }),
    ]);
    expect(outbox.list(['pending'], 10).map((r) => r.key)).toEqual(['visit:d']);
    expect(outbox.requeue({ ids: [c.id] }, 8)).toEqual([]);
    expect(outbox.requeue({ states: ['dead'] }, 8)).toEqual([b.id]);
    expect(outbox.get(b.id)).toMatchObject({
      state: 'pending',
      nextAttemptAt: 8,
      lastError: 'cloud answered 422 unknown_sku',
    });
    expect(outbox.requeue({ ids: [a.id, 999] }, 9)).toEqual([a.id]);
    expect(outbox.due(9, 10).map((i) => i.key)).toEqual(['visit:a', 'visit:b', 'visit:d']);
  });

  it('prunes delivered rows older than the retention, never undelivered ones', () => {
    const outbox = new Outbox(db);
    for (const k of ['a', 'b', 'c']) outbox.enqueue(`visit:${k}`, 'visit', {}, 0);
    const [a, b] = outbox.due(0, 10);
    if (a === undefined || b === undefined) throw new Error('expected items');
    outbox.markDelivered(a.id, 100);
    outbox.markFailed(b.id, 'x', 100);
    expect(outbox.pruneDelivered(1_000)).toBe(1);
    expect(outbox.counts()).toEqual({ pending: 1, held: 0, delivered: 0, failed: 1 });
  });
});
