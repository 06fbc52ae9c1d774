// The sync loop honours the cloud's Retry-After (seconds and HTTP-date) on a 429 or 503: no attempt comes
// sooner, and it comes within a second of the time asked. The answers come from a real HTTP server that
// says what a busy cloud says (the real cloud's rate limiter counts wall-clock minutes, which a virtual
// clock cannot drive).
import { createServer, type Server } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { CloudSync } from '../../../../edge/outbox/cloud-sync.ts';
import { Outbox } from '../../../../edge/outbox/outbox.ts';
import { SteppedTime } from '../../../../shared/timers.ts';

const T0 = Date.parse('2026-12-01T10:00:00Z');

describe('Retry-After from the cloud', () => {
  const time = new SteppedTime(T0);
  /** What the server answers next, in order; then 201. */
  const answers: { status: number; retryAfter: string }[] = [];
  const arrivals: number[] = [];
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        arrivals.push(time.now());
        const next = answers.shift();
        if (next === undefined) {
          response.writeHead(201, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ receiptId: 'r', status: 'paid', totalCents: 0 }));
          return;
        }
        response.writeHead(next.status, {
          'content-type': 'application/json',
          'retry-after': next.retryAfter,
        });
        response.end(JSON.stringify({ error: 'rate_limited', message: 'slow down' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    url = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('waits as long as asked, in seconds and as a date, then delivers', async () => {
    answers.push(
      { status: 429, retryAfter: '7' },
      { status: 503, retryAfter: new Date(T0 + 7_000 + 40_000).toUTCString() },
    );
    const outbox = new Outbox(openEdgeDatabase(':memory:'));
    outbox.enqueue('visit:v1', 'visit', { visitId: 'v1' }, T0);
    const delivered: number[] = [];
    const sync = new CloudSync({
      cloudUrl: url,
      storeId: 'S',
      credential: 'credential-xyz',
      outbox,
      clock: time,
      timers: time,
      random: () => 0.5,
      logger: pino({ level: 'silent' }),
      onDelivered: () => delivered.push(time.now()),
    });
    sync.start();
    for (let i = 0; i < 20 && delivered.length === 0; i++) {
      await sync.idle();
      const next = time.nextTimerTs();
      if (next !== undefined) time.advanceTo(next);
    }
    await sync.stop();
    const [first, second, third] = arrivals;
    if (first === undefined || second === undefined || third === undefined) throw new Error(`${arrivals}`);
    expect(second - first).toBeGreaterThanOrEqual(7_000);
    expect(second - first).toBeLessThanOrEqual(7_350);
    // the date names a whole second: waited at least until then, at most a second after
    expect(third).toBeGreaterThanOrEqual(T0 + 47_000);
    expect(third - (T0 + 47_000)).toBeLessThanOrEqual(1_000);
    expect(delivered).toEqual([third]);
    expect(outbox.counts()).toEqual({ pending: 0, held: 0, delivered: 1, failed: 0 });
  });
});
