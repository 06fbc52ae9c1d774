import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { Outbox } from '../../../../edge/outbox/outbox.ts';
import { OutboxUsageError, parseOutboxArgs, runOutboxCommand } from '../../../../edge/outbox/outbox-cli.ts';

const env = { EDGE_DB: 'var/x.sqlite' };

describe('npm run outbox: arguments', () => {
  it('list defaults to pending, held and dead rows on EDGE_DB', () => {
    expect(parseOutboxArgs(['list'], env)).toEqual({
      command: 'list',
      dbPath: 'var/x.sqlite',
      states: ['pending', 'held', 'dead'],
      limit: 1000,
      json: false,
    });
    expect(
      parseOutboxArgs(['list', '--state', 'all', '--limit', '5', '--db', 'e.sqlite', '--json'], {}),
    ).toEqual({
      command: 'list',
      dbPath: 'e.sqlite',
      states: ['pending', 'held', 'dead', 'delivered'],
      limit: 5,
      json: true,
    });
  });

  it('retry takes ids, or all held and/or all dead', () => {
    expect(parseOutboxArgs(['retry', '--id', '3', '--id', '7'], env)).toMatchObject({
      selection: { ids: [3, 7] },
    });
    expect(parseOutboxArgs(['retry', '--all-held'], env)).toMatchObject({ selection: { states: ['held'] } });
    expect(parseOutboxArgs(['retry', '--all-held', '--all-dead'], env)).toMatchObject({
      selection: { states: ['held', 'dead'] },
    });
  });

  it.each([
    [[], 'name a command'],
    [['send'], 'unknown command "send"'],
    [['list', 'extra'], 'unexpected argument "extra"'],
    [['list', '--state', 'lost'], '--state "lost" is not one of'],
    [['list', '--limit', '0'], '--limit must be a whole number'],
    [['list', '--limit', '1e3'], '--limit must be a whole number'],
    [['list', '--all-held'], 'belong to retry'],
    [['retry'], 'say what to retry'],
    [['retry', '--id', 'abc'], '--id must be an outbox row id'],
    [['retry', '--id=-1'], '--id must be an outbox row id'],
    [['retry', '--id', '0'], '--id must be an outbox row id'],
    [['retry', '--id', '1', '--all-held'], 'not both'],
    [['retry', '--all-held', '--state', 'held'], 'belong to list'],
    [['list', '--bogus'], "Unknown option '--bogus'"],
    [['list', '--db', ''], '--db is empty'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseOutboxArgs(argv, env)).toThrow(OutboxUsageError);
    expect(() => parseOutboxArgs(argv, env)).toThrow(message);
  });
});

describe('npm run outbox: commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'walkout-outbox-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function fixture(path: string) {
    const db = openEdgeDatabase(path);
    const outbox = new Outbox(db);
    for (const k of ['a', 'b', 'c', 'd']) outbox.enqueue(`visit:${k}`, 'visit', { k }, 1_000);
    const [a, b, c] = outbox.due(1_000, 10);
    if (a === undefined || b === undefined || c === undefined) throw new Error('fixture');
    outbox.markHeld(a.id, 'cloud answered 401 unauthorized', 2_000);
    outbox.markFailed(b.id, 'cloud answered 422 unknown_sku', 2_000);
    outbox.markDelivered(c.id, 2_000);
    return { db, outbox, ids: { a: a.id, b: b.id, c: c.id } };
  }

  it('lists with reason and attempts, and re-queues held rows; a delivered id is refused with exit 1', () => {
    const { db, outbox, ids } = fixture(join(dir, 'direct.sqlite'));
    const list = runOutboxCommand(outbox, parseOutboxArgs(['list'], env), 5_000);
    expect(list.text).toContain('held');
    expect(list.text).toContain('visit:a — cloud answered 401 unauthorized');
    expect(list.text).toContain('visit:b — cloud answered 422 unknown_sku');
    expect(list.text).not.toContain('visit:c');
    expect(list.text).toContain('pending 1, held 1, dead 1, delivered 1');
    const retry = runOutboxCommand(outbox, parseOutboxArgs(['retry', '--all-held'], env), 5_000);
    expect(retry).toMatchObject({ json: { requeued: [ids.a], missing: [] }, exitCode: 0 });
    const delivered = runOutboxCommand(outbox, parseOutboxArgs(['retry', '--id', String(ids.c)], env), 5_000);
    expect(delivered.exitCode).toBe(1);
    expect(delivered.text).toContain(`row ${ids.c} was already delivered`);
    expect(runOutboxCommand(outbox, parseOutboxArgs(['retry', '--id', '999'], env), 5_000).text).toContain(
      'no outbox row 999',
    );
    expect(outbox.due(5_000, 10).map((i) => i.key)).toEqual(['visit:a', 'visit:d']);
    db.close();
  });

  it('runs as a command on an edge database file, with --json', async () => {
    const path = join(dir, 'cli.sqlite');
    const { db, ids } = fixture(path);
    db.close();
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/outbox.ts', ...args], {
        env: { ...process.env, EDGE_DB: path },
      });
    const listed = JSON.parse((await run('list', '--json')).stdout) as {
      rows: { key: string; state: string }[];
    };
    expect(listed.rows.map((r) => `${r.key} ${r.state}`)).toEqual([
      'visit:a held',
      'visit:b dead',
      'visit:d pending',
    ]);
    const retried = JSON.parse((await run('retry', '--id', String(ids.b), '--json')).stdout);
    expect(retried).toEqual({ requeued: [ids.b], missing: [] });
    await expect(run('retry')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('say what to retry'),
    });
    await expect(run('list', '--db', join(dir, 'nope.sqlite'))).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no edge database at'),
    });
  }, 30_000);
});
