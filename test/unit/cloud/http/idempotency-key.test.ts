// The one Idempotency-Key check the edge's delivery routes share: the key must name the item, else 400
// idempotency_key_mismatch saying which key to send.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandlers } from '../../../../cloud/http/api-error.ts';
import { requireIdempotencyKey } from '../../../../cloud/http/idempotency-key.ts';

describe('requireIdempotencyKey', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    installErrorHandlers(app);
    app.post<{ Body: { returnId: string } }>('/returns', async (request) => {
      requireIdempotencyKey(request, `return:${request.body.returnId}`, 'return');
      return { ok: true };
    });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });

  const post = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/returns', headers, payload: { returnId: 'evt-7' } });

  it('lets the request through when the key names the item', async () => {
    const ok = await post({ 'idempotency-key': 'return:evt-7' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true });
  });

  it('refuses another item’s key, or none, with 400 saying which key to send', async () => {
    const expected = {
      error: 'idempotency_key_mismatch',
      message: 'Idempotency-Key must be "return:evt-7" for this return; send the same key on every retry.',
    };
    const sent: Record<string, string>[] = [
      { 'idempotency-key': 'visit:evt-7' },
      { 'idempotency-key': 'return:evt-8' },
      {},
    ];
    for (const headers of sent) {
      const refused = await post(headers);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toEqual(expected);
    }
  });
});
