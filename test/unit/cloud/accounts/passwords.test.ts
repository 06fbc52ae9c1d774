// scrypt password hashing: salted, verifiable, and never confused by a malformed stored hash.
import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  needsRehash,
  UNKNOWN_ACCOUNT_HASH,
  verifyPassword,
} from '../../../../cloud/accounts/passwords.ts';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
  });

  it('salts every hash, so equal passwords store differently', async () => {
    expect(await hashPassword('same password')).not.toBe(await hashPassword('same password'));
  });

  it('rejects against the unknown-account hash and malformed hashes', async () => {
    expect(await verifyPassword('anything at all', UNKNOWN_ACCOUNT_HASH)).toBe(false);
    expect(await verifyPassword('anything at all', 'plain-text')).toBe(false);
    expect(await verifyPassword('anything at all', 'bcrypt$x$y$z$a$b')).toBe(false);
    // A stored cost beyond MAX_N is refused rather than derived (seconds and a GiB each).
    expect(await verifyPassword('anything at all', 'scrypt$1048576$8$1$AAAA$AAAA')).toBe(false);
  });

  it("asks for a rehash of hashes made below today's cost only", async () => {
    expect(needsRehash(await hashPassword('x', { N: 2 ** 14, r: 8, p: 1 }))).toBe(true);
    expect(needsRehash(await hashPassword('x'))).toBe(false);
    expect(needsRehash('plain-text')).toBe(true);
  });
});
