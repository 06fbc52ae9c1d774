// StatementBatcher: calls of one turn share a statement, keys split batches, a failed batch is re-run item by
// item so one bad item fails alone, and each call gets its own answer or refusal.
import { describe, expect, it } from 'vitest';
import { type BatchedStatement, StatementBatcher } from '../../../../cloud/db/statement-batcher.ts';

/** A statement over numbers that doubles them, records each batch it ran, and fails any batch holding 13. */
function doubling(keysOf?: (n: number) => readonly string[]) {
  const batches: number[][] = [];
  const statement: BatchedStatement<number, number> = {
    run: async (items) => {
      batches.push([...items]);
      if (items.includes(13)) throw new Error('statement failed on 13');
      return items.map((n) => (n < 0 ? new Error(`refused ${n}`) : n * 2));
    },
    ...(keysOf === undefined ? {} : { keysOf }),
  };
  return { batches, statement };
}

describe('StatementBatcher', () => {
  it('runs the calls of one turn as one statement, each getting its own answer', async () => {
    const { batches, statement } = doubling();
    const batcher = new StatementBatcher(statement, { maxItems: 64, maxInFlight: 1 });
    const answers = await Promise.all([1, 2, 3, 4].map((n) => batcher.run(n)));
    expect(answers).toEqual([2, 4, 6, 8]);
    expect(batches).toEqual([[1, 2, 3, 4]]);
  });

  it('re-runs a failed batch item by item: only the item that fails the statement fails', async () => {
    const { batches, statement } = doubling();
    const batcher = new StatementBatcher(statement, { maxItems: 64, maxInFlight: 1 });
    const settled = await Promise.allSettled([1, 13, 3].map((n) => batcher.run(n)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      2,
      'statement failed on 13',
      6,
    ]);
    expect(batches).toEqual([[1, 13, 3], [1], [13], [3]]);
  });

  it("rejects only the call whose answer is a refusal, not the batch's others", async () => {
    const { batches, statement } = doubling();
    const batcher = new StatementBatcher(statement, { maxItems: 64, maxInFlight: 1 });
    const settled = await Promise.allSettled([5, -1, 6].map((n) => batcher.run(n)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      10,
      'refused -1',
      12,
    ]);
    expect(batches).toEqual([[5, -1, 6]]);
  });

  it('never puts two items sharing a key in one batch, and keeps at most maxItems in one', async () => {
    const { batches, statement } = doubling((n) => [`parity:${n % 2}`, `n:${n}`]);
    const batcher = new StatementBatcher(statement, { maxItems: 64, maxInFlight: 1 });
    await Promise.all([1, 3, 2, 5, 4].map((n) => batcher.run(n)));
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);

    const small = doubling();
    const capped = new StatementBatcher(small.statement, { maxItems: 2, maxInFlight: 1 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => capped.run(n)));
    expect(small.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('gathers the calls made while maxInFlight batches are out into the next batch', async () => {
    const batches: number[][] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batcher = new StatementBatcher<number, number>(
      {
        run: async (items) => {
          batches.push([...items]);
          if (batches.length === 1) await gate;
          return items.map((n) => n);
        },
      },
      { maxItems: 64, maxInFlight: 1 },
    );
    const first = batcher.run(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3].map((n) => batcher.run(n));
    await new Promise((resolve) => setImmediate(resolve));
    const last = batcher.run(4);
    release();
    expect(await Promise.all([first, ...later, last])).toEqual([1, 2, 3, 4]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });
});
