// Hardening of the cloud's accounts (#14): older password hashes are upgraded at sign-in, sign-out revokes
// the session on the server, per-address limits count the client a trusted proxy names (and only then), and
// every answer carries the security headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_PARAMS } from '../../../cloud/accounts/passwords.ts';
import { PAGE_CSP } from '../../../shared/security-headers.ts';
import { asShopper, newShopper, PRIMARY_BACKEND, startTestCloud, type TestCloud } from './cloud-harness.ts';

describe('account hardening', () => {
  let test: TestCloud;
  beforeAll(async () => {
    test = await startTestCloud(PRIMARY_BACKEND);
  });
  afterAll(async () => {
    await test?.stop();
  });

  it('stores new passwords at N = 2^15 and upgrades a 2^14 hash when its owner signs in', async () => {
    const shopper = await newShopper(test.cloud);
    const hashOf = async () =>
      (
        await test.cloud.db.query<{ password_hash: string }>(
          'SELECT password_hash FROM accounts WHERE account_id = $1',
          [shopper.accountId],
        )
      )[0]?.password_hash ?? '';
    expect(await hashOf()).toMatch(new RegExp(`^scrypt\\$${PASSWORD_PARAMS.N}\\$8\\$1\\$`));
    const old = await hashPassword('correct horse battery', { N: 2 ** 14, r: 8, p: 1 });
    await test.cloud.db.query('UPDATE accounts SET password_hash = $1 WHERE account_id = $2', [
      old,
      shopper.accountId,
    ]);
    const signIn = (password: string) =>
      test.cloud.app.inject({
        method: 'POST',
        url: '/v1/auth/sessions',
        payload: { email: shopper.email, password },
      });
    expect((await signIn('not the password')).statusCode).toBe(401);
    expect(await hashOf()).toBe(old);
    expect((await signIn('correct horse battery')).statusCode).toBe(200);
    const upgraded = await hashOf();
    expect(upgraded).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect((await signIn('correct horse battery')).statusCode).toBe(200);
    expect(await hashOf()).toBe(upgraded);
  });

  it('revokes the session on sign-out: the token stops working everywhere', async () => {
    const shopper = await newShopper(test.cloud);
    expect((await asShopper(test.cloud, shopper, 'GET', '/v1/me/receipts')).statusCode).toBe(200);
    const signOut = () =>
      test.cloud.app.inject({
        method: 'DELETE',
        url: '/v1/auth/sessions/current',
        headers: { authorization: `Bearer ${shopper.token}` },
      });
    expect((await signOut()).statusCode).toBe(204);
    const after = await asShopper(test.cloud, shopper, 'GET', '/v1/me/receipts');
    expect(after.statusCode).toBe(401);
    expect((await signOut()).statusCode).toBe(401);
  });

  it('sends the CSP, nosniff and no-framing headers with the shopper app and the API', async () => {
    for (const url of ['/app/', '/app/app.js', '/health']) {
      const response = await test.cloud.app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-security-policy'], url).toBe(PAGE_CSP);
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
      expect(response.headers['x-frame-options'], url).toBe('DENY');
    }
    const docs = await test.cloud.app.inject({ url: '/docs/json' });
    expect(docs.headers['content-security-policy']).toBe("frame-ancestors 'none'");
  });
});

describe.each([
  { trustProxy: false, forwardedEscapes: false },
  { trustProxy: true, forwardedEscapes: true },
])('sign-in rate limit with trustProxy $trustProxy', ({ trustProxy, forwardedEscapes }) => {
  let test: TestCloud;
  beforeAll(async () => {
    // Scale 1/60: one sign-in per address per minute.
    test = await startTestCloud(PRIMARY_BACKEND, { trustProxy, rateLimit: { scale: 1 / 60 } });
  });
  afterAll(async () => {
    await test?.stop();
  });

  it(`${forwardedEscapes ? 'counts' : 'ignores'} the client address in X-Forwarded-For`, async () => {
    const attempt = (forwardedFor: string) =>
      test.cloud.app.inject({
        method: 'POST',
        url: '/v1/auth/sessions',
        remoteAddress: '10.0.0.1',
        headers: { 'x-forwarded-for': forwardedFor },
        payload: { email: 'nobody@example.com', password: 'a wrong guess' },
      });
    expect((await attempt('203.0.113.7')).statusCode).toBe(401);
    expect((await attempt('203.0.113.7')).statusCode).toBe(429);
    // Another client behind the same proxy: its own budget only when the proxy is trusted; otherwise a
    // forged header must not buy an attacker fresh attempts.
    expect((await attempt('203.0.113.8')).statusCode).toBe(forwardedEscapes ? 401 : 429);
  });
});
