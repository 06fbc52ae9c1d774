import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { EntryTokenVerifier } from '../../../../edge/gate/entry-token-verifier.ts';
import { ManualClock } from '../../../../shared/clock.ts';
import { ENTRY_TOKEN_ISSUER, ENTRY_TOKEN_TYPE } from '../../../../shared/schemas/entry-token.ts';

const NOW = 1_800_000_000_000;
const STORE_ID = 'store-001';
let cloudKey: CryptoKey;
let forgerKey: CryptoKey;
let verifier: EntryTokenVerifier;
const clock = new ManualClock(NOW);

async function token(key: CryptoKey, claims: Record<string, unknown> = {}, iat = NOW / 1000) {
  return new SignJWT({ party: 1, aud: STORE_ID, ...claims })
    .setProtectedHeader({ alg: 'EdDSA', typ: ENTRY_TOKEN_TYPE })
    .setIssuer(ENTRY_TOKEN_ISSUER)
    .setSubject('acct-1')
    .setJti(`jti-${Math.random().toString(36).slice(2)}`)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 60)
    .sign(key);
}

beforeAll(async () => {
  const cloud = await generateKeyPair('EdDSA', { extractable: true });
  cloudKey = cloud.privateKey;
  forgerKey = (await generateKeyPair('EdDSA')).privateKey;
  verifier = await EntryTokenVerifier.create(
    await exportSPKI(cloud.publicKey),
    STORE_ID,
    openEdgeDatabase(':memory:'),
    clock,
  );
});

describe('EntryTokenVerifier', () => {
  it('accepts a fresh token once, then refuses it as replayed', async () => {
    const t = await token(cloudKey, { party: 3 });
    const first = await verifier.verifyAndConsume(t);
    expect(first).toMatchObject({ ok: true, claims: { sub: 'acct-1', party: 3 } });
    expect(await verifier.verifyAndConsume(t)).toMatchObject({ ok: false, reason: 'replayed' });
  });

  it('refuses a token signed by another key', async () => {
    expect(await verifier.verifyAndConsume(await token(forgerKey))).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses an expired token', async () => {
    expect(await verifier.verifyAndConsume(await token(cloudKey, {}, NOW / 1000 - 120))).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses a token for another store as wrong-store, and one without a store (aud) as invalid', async () => {
    expect(await verifier.verifyAndConsume(await token(cloudKey, { aud: 'store-002' }))).toMatchObject({
      ok: false,
      reason: 'wrong-store',
    });
    const withoutStore = await new SignJWT({ party: 1 })
      .setProtectedHeader({ alg: 'EdDSA', typ: ENTRY_TOKEN_TYPE })
      .setIssuer(ENTRY_TOKEN_ISSUER)
      .setSubject('acct-1')
      .setJti('jti-without-audience')
      .setIssuedAt(NOW / 1000)
      .setExpirationTime(NOW / 1000 + 60)
      .sign(cloudKey);
    expect(await verifier.verifyAndConsume(withoutStore)).toMatchObject({
      ok: false,
      reason: 'invalid-claims',
    });
    // Neither refusal used the token up: the store check comes before the single-use record.
    const ok = await token(cloudKey);
    expect(await verifier.verifyAndConsume(ok)).toMatchObject({ ok: true, claims: { aud: STORE_ID } });
  });

  it('refuses garbage and a token whose claims are out of range', async () => {
    expect(await verifier.verifyAndConsume('not-a-token')).toMatchObject({ ok: false, reason: 'malformed' });
    expect(await verifier.verifyAndConsume(await token(cloudKey, { party: 99 }))).toMatchObject({
      ok: false,
      reason: 'invalid-claims',
    });
  });
});
