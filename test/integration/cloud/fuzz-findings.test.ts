// What `npm run fuzz` found in the cloud (#14), kept as regressions: each answered 500 before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIMARY_BACKEND, SAMPLE_STORE_ID, startTestCloud, type TestCloud } from './cloud-harness.ts';

describe('fuzz findings', () => {
  let test: TestCloud;
  beforeAll(async () => {
    test = await startTestCloud(PRIMARY_BACKEND);
  });
  afterAll(async () => {
    await test?.stop();
  });

  const reportStock = (lanes: object[]) =>
    test.cloud.app.inject({
      method: 'PUT',
      url: `/v1/stores/${SAMPLE_STORE_ID}/stock`,
      headers: { authorization: `Bearer ${test.credentials[SAMPLE_STORE_ID]}` },
      payload: { lanes },
    });

  it('stores a lane reading stamped with a fraction of a millisecond as whole ms', async () => {
    const response = await reportStock([
      { lane: 'S01-L01', sku: 'SKU-0001', units: 3, ts: 1_700_000_000_000.5 },
    ]);
    expect(response.json()).toEqual({ applied: 1 });
  });

  it('refuses a time past the last Date and text with a NUL character as 400s', async () => {
    const late = await reportStock([{ lane: 'S01-L01', sku: 'SKU-0001', units: 3, ts: 1e300 }]);
    expect(late.statusCode).toBe(400);
    expect(late.json<{ error: string }>().error).toBe('invalid_body');
    const nul = await reportStock([{ lane: 'S01\u0000', sku: 'SKU-0001', units: 3, ts: 5 }]);
    expect(nul.statusCode).toBe(400);
    expect(nul.json<{ error: string }>().error).toBe('invalid_text');
    const signUp = await test.cloud.app.inject({
      method: 'POST',
      url: '/v1/accounts',
      payload: { email: 'nul@example.com', password: 'long enough password', name: 'A\u0000' },
    });
    expect(signUp.statusCode).toBe(400);
  });
});
