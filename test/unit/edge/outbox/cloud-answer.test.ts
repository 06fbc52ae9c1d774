import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../../../../edge/outbox/cloud-answer.ts';

const body = (error: string) => JSON.stringify({ error, message: 'm' });

describe("the cloud's answer to a delivery", () => {
  it('2xx is delivered', () => {
    expect(outcomeOf(201, '{}').kind).toBe('delivered');
    expect(outcomeOf(200, 'ok').kind).toBe('delivered');
  });

  it('5xx, 429 and 408 back off the link', () => {
    for (const status of [500, 502, 503, 504, 429, 408])
      expect(outcomeOf(status, body('x')).kind, `${status}`).toBe('retry');
    // the provider did not confirm a return's refund: every return would get the same, so the link waits
    expect(outcomeOf(503, body('refund_pending')).kind).toBe('retry');
    expect(outcomeOf(503, '<html>bad gateway</html>').kind).toBe('retry');
  });

  it('425, and a 503 saying the receipt is not paid yet, make this item wait on its own (#13)', () => {
    expect(outcomeOf(425, body('receipt_not_ready'))).toMatchObject({
      kind: 'not-yet',
      code: 'receipt_not_ready',
      reason: expect.stringContaining('425 receipt_not_ready'),
    });
    expect(outcomeOf(503, body('receipt_payment_pending'))).toMatchObject({
      kind: 'not-yet',
      code: 'receipt_payment_pending',
    });
    expect(outcomeOf(425, 'too early')).toMatchObject({ kind: 'not-yet', code: undefined });
  });

  it('a refused credential or a wrong address holds the visit, whatever the body', () => {
    expect(outcomeOf(401, body('unauthorized')).kind).toBe('hold');
    expect(outcomeOf(403, body('forbidden_store')).kind).toBe('hold');
    expect(outcomeOf(403, '<html>proxy says no</html>').kind).toBe('hold');
    expect(outcomeOf(404, body('not_found')).kind).toBe('hold');
    expect(outcomeOf(405, '').kind).toBe('hold');
    expect(outcomeOf(302, '').kind).toBe('hold');
  });

  it('a visit the cloud refuses for what it is goes dead (kept, resendable)', () => {
    for (const [status, code] of [
      [400, 'invalid_body'],
      [400, 'idempotency_key_mismatch'],
      [400, 'entry_token_required'],
      [403, 'entry_token_unknown'],
      [403, 'entry_token_wrong_store'],
      [403, 'entry_token_wrong_account'],
      [409, 'entry_token_used'],
      [409, 'idempotency_key_reused'],
      [413, 'payload_too_large'],
      [422, 'unknown_sku'],
      [422, 'unknown_account'],
      // a return (#13) of another store's visit, or of a line already all back
      [404, 'visit_not_found'],
      [409, 'line_fully_returned'],
      [409, 'sku_not_on_receipt'],
    ] as const)
      expect(outcomeOf(status, body(code)).kind, `${status} ${code}`).toBe('dead');
  });

  it('says the status and the code in its reason', () => {
    expect(outcomeOf(422, body('unknown_sku'))).toMatchObject({
      kind: 'dead',
      reason: expect.stringContaining('422 unknown_sku'),
    });
  });
});
