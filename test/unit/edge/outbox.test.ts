import { afterEach, describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../../../edge/db/edge-database.ts';
import { Outbox } from '../../../edge/outbox/outbox.ts';

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
    expect(outbox.counts()).toEqual({ pending: 0, delivered: 1, failed: 1 });
  });
});
