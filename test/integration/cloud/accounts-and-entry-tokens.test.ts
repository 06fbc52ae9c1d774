// Sign-up, sign-in, payment methods and entry tokens through the HTTP API (PostgreSQL in CI).
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ENTRY_TOKEN_ISSUER,
  ENTRY_TOKEN_TTL_S,
  ENTRY_TOKEN_TYPE,
  EntryTokenClaimsSchema,
} from '../../../shared/schemas/entry-token.ts';
import { compileValidator } from '../../../shared/validator.ts';
import {
  addCard,
  asShopper,
  newShopper,
  OTHER_STORE_ID,
  PRIMARY_BACKEND,
  SAMPLE_STORE_ID,
  startTestCloud,
  type TestCloud,
} from './cloud-harness.ts';

const AT_SAMPLE = { storeId: SAMPLE_STORE_ID };

const claimsValidator = compileValidator(EntryTokenClaimsSchema);

const backend = PRIMARY_BACKEND;
describe(`accounts and entry tokens on ${backend.name}`, () => {
  let test: TestCloud;
  beforeAll(async () => {
    test = await startTestCloud(backend);
  });
  afterAll(async () => {
    await test?.stop();
  });

  it('signs a shopper up and in, and refuses a second account for the same email in any case', async () => {
    const app = test.cloud.app;
    const signUp = await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      payload: { email: 'Grace@Example.com', password: 'hopper-1906', name: 'Grace' },
    });
    expect(signUp.statusCode).toBe(201);
    const { accountId } = signUp.json<{ accountId: string }>();
    expect(accountId).toMatch(/^[0-9a-f-]{36}$/);

    const again = await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      payload: { email: 'grace@example.com', password: 'another-password', name: 'G' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({ error: 'email_taken', message: expect.stringContaining('sign in') });

    const signIn = await app.inject({
      method: 'POST',
      url: '/v1/auth/sessions',
      payload: { email: 'grace@example.com', password: 'hopper-1906' },
    });
    expect(signIn.statusCode).toBe(200);
    const session = signIn.json<{ token: string; accountId: string }>();
    expect(session.accountId).toBe(accountId);
    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers wrong credentials with 401 and never says which part was wrong', async () => {
    const shopper = await newShopper(test.cloud);
    for (const payload of [
      { email: shopper.email, password: 'wrong password' },
      { email: 'nobody@example.com', password: 'correct horse battery' },
    ]) {
      const response = await test.cloud.app.inject({ method: 'POST', url: '/v1/auth/sessions', payload });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        error: 'invalid_credentials',
        message: 'Email or password is wrong: check them and try again.',
      });
    }
  });

  it('rejects malformed sign-ups with 400 naming the field', async () => {
    const app = test.cloud.app;
    const shortPassword = await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      payload: { email: 'short@example.com', password: 'seven77', name: 'S' },
    });
    expect(shortPassword.statusCode).toBe(400);
    expect(shortPassword.json<{ error: string }>().error).toBe('invalid_body');
    expect(shortPassword.json<{ message: string }>().message).toContain('body/password');

    const badEmail = await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      payload: { email: 'not-an-email', password: 'long enough', name: 'S' },
    });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json<{ message: string }>().message).toContain('body/email');

    const notJson = await app.inject({
      method: 'POST',
      url: '/v1/accounts',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json<{ error: string }>().error).toBe('invalid_json');
  });

  it('adds sandbox cards and refuses unknown card tokens and missing sessions', async () => {
    const shopper = await newShopper(test.cloud);
    const visa = await addCard(test.cloud, shopper, 'tok_visa');
    expect(visa.statusCode).toBe(201);
    expect(visa.json()).toEqual({ paymentMethodId: expect.any(String), brand: 'visa', last4: '4242' });
    const mastercard = await addCard(test.cloud, shopper, 'tok_mastercard');
    expect(mastercard.json()).toMatchObject({ brand: 'mastercard', last4: '4444' });

    const unknown = await addCard(test.cloud, shopper, 'tok_made_up');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ error: string }>().error).toBe('unknown_card_token');

    const anonymous = await test.cloud.app.inject({
      method: 'POST',
      url: '/v1/me/payment-methods',
      payload: { cardToken: 'tok_visa' },
    });
    expect(anonymous.statusCode).toBe(401);
    const forged = await addCard(test.cloud, { ...shopper, token: 'not-a-session' }, 'tok_visa');
    expect(forged.statusCode).toBe(401);
    expect(forged.json<{ error: string }>().error).toBe('unauthorized');
  });

  it('refuses an entry token with 402 until the shopper has a payment method', async () => {
    const shopper = await newShopper(test.cloud);
    const refused = await asShopper(test.cloud, shopper, 'POST', '/v1/me/entry-tokens', {});
    expect(refused.statusCode).toBe(402);
    expect(refused.json()).toEqual({
      error: 'payment_required',
      message: 'Add a payment method (POST /v1/me/payment-methods) before entering a store.',
    });
    await addCard(test.cloud, shopper, 'tok_visa');
    const granted = await asShopper(test.cloud, shopper, 'POST', '/v1/me/entry-tokens', AT_SAMPLE);
    expect(granted.statusCode).toBe(201);
  });

  it('issues an EdDSA entry token that verifies with the published key and carries exactly the claims', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const before = Math.floor(Date.now() / 1000);
    const response = await asShopper(test.cloud, shopper, 'POST', '/v1/me/entry-tokens', {
      party: 3,
      storeId: OTHER_STORE_ID,
    });
    expect(response.statusCode).toBe(201);
    const { token, expiresAt } = response.json<{ token: string; expiresAt: number }>();

    const keyResponse = await test.cloud.app.inject({ method: 'GET', url: '/v1/entry-token-key' });
    expect(keyResponse.statusCode).toBe(200);
    const key = keyResponse.json<{ kid: string; alg: string; publicKeyPem: string }>();
    expect(key.alg).toBe('EdDSA');
    expect(key.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);

    const { payload, protectedHeader } = await jwtVerify(token, await importSPKI(key.publicKeyPem, 'EdDSA'), {
      issuer: ENTRY_TOKEN_ISSUER,
      typ: ENTRY_TOKEN_TYPE,
      algorithms: ['EdDSA'],
    });
    expect(protectedHeader).toEqual({ alg: 'EdDSA', typ: ENTRY_TOKEN_TYPE, kid: key.kid });
    expect(Object.keys(payload).sort()).toEqual([
      'aud',
      'behaviour',
      'exp',
      'iat',
      'iss',
      'jti',
      'party',
      'sub',
    ]);
    // no consent given: the edge derives nothing from the floor (#19)
    expect(payload.behaviour).toBe(false);
    expect(payload.sub).toBe(shopper.accountId);
    expect(payload.aud).toBe(OTHER_STORE_ID);
    expect(response.json<{ storeId: string }>().storeId).toBe(OTHER_STORE_ID);
    expect(payload.party).toBe(3);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(payload.exp).toBe((payload.iat ?? 0) + ENTRY_TOKEN_TTL_S);
    expect(expiresAt).toBe((payload.exp ?? 0) * 1000);
    expect(claimsValidator.check(payload).ok).toBe(true);
  });

  it('defaults the party to 1, gives every token its own jti and refuses a party of 7 or an unknown store', async () => {
    const shopper = await newShopper(test.cloud, 'tok_visa');
    const first = await asShopper(test.cloud, shopper, 'POST', '/v1/me/entry-tokens', AT_SAMPLE);
    const second = await asShopper(test.cloud, shopper, 'POST', '/v1/me/entry-tokens', AT_SAMPLE);
    const claimsOf = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
    const a = claimsOf(first.json<{ token: string }>().token);
    const b = claimsOf(second.json<{ token: string }>().token);
    expect(a.party).toBe(1);
    expect(a.jti).not.toBe(b.jti);
    expect(decodeProtectedHeader(first.json<{ token: string }>().token).typ).toBe(ENTRY_TOKEN_TYPE);

    // This cloud serves two stores, so a bare POST must say which (a one-store cloud picks its store).
    const bare = await test.cloud.app.inject({
      method: 'POST',
      url: '/v1/me/entry-tokens',
      headers: { authorization: `Bearer ${shopper.token}` },
    });
    expect(bare.statusCode).toBe(400);
    expect(bare.json<{ error: string }>().error).toBe('store_required');
    const nowhere = await asShopper(test.cloud, shopper, 'POST', '/v1/me/entry-tokens', {
      storeId: 'store-999',
    });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json<{ error: string }>().error).toBe('store_not_found');

    const tooMany = await asShopper(test.cloud, shopper, 'POST', '/v1/me/entry-tokens', { party: 7 });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json<{ message: string }>().message).toContain('body/party');
  });

  it('serves health, the OpenAPI document and JSON errors for unknown routes', async () => {
    const app = test.cloud.app;
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const docs = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(docs.paths).sort()).toEqual(
      [
        '/health',
        '/v1/accounts',
        '/v1/auth/sessions',
        '/v1/auth/sessions/current',
        '/v1/entry-token-key',
        '/v1/me/cart/flags',
        '/v1/me/cart/stream',
        '/v1/me/disputes',
        '/v1/me/entry-tokens',
        '/v1/me/erase',
        '/v1/me/export',
        '/v1/me/history',
        '/v1/me/payment-methods',
        '/v1/me/profile',
        '/v1/me/receipts',
        '/v1/me/receipts/{receiptId}',
        '/v1/me/receipts/{receiptId}/lines/{lineNo}/disputes',
        '/v1/me/reservations',
        '/v1/me/reservations/{reservationId}/cancel',
        '/v1/me/consent',
        '/v1/shop/customers/{accountId}/recommendations',
        '/v1/shop/orders',
        '/v1/shop/products/{sku}/bought-together',
        '/v1/shop/stock',
        '/v1/staff/behaviour',
        '/v1/staff/collections',
        '/v1/staff/collections/{receiptId}/resolution',
        '/v1/staff/disputes',
        '/v1/staff/disputes/{disputeId}/decision',
        '/v1/stores',
        '/v1/stores/{storeId}/cart-flags',
        '/v1/stores/{storeId}/cart-flags/ack',
        '/v1/stores/{storeId}/cart-updates',
        '/v1/stores/{storeId}/config',
        '/v1/stores/{storeId}/config/versions',
        '/v1/stores/{storeId}/disputes/decided',
        '/v1/stores/{storeId}/products',
        '/v1/stores/{storeId}/returns',
        '/v1/stores/{storeId}/stock',
        '/v1/stores/{storeId}/visits',
      ].sort(),
    );
    // Every documented operation names how its caller authenticates (one scheme, or either of two where
    // staff and the store's edge may both call), except the public few.
    const open = new Set(['/health', '/v1/accounts', '/v1/auth/sessions', '/v1/entry-token-key']);
    for (const [path, operations] of Object.entries(docs.paths)) {
      for (const operation of Object.values(operations as Record<string, { security?: unknown[] }>)) {
        if (!open.has(path)) expect(operation.security?.length ?? 0, path).toBeGreaterThanOrEqual(1);
      }
    }
    const missing = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ error: string }>().error).toBe('not_found');
  });
});
