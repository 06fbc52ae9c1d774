// Password hashing with scrypt (node:crypto) and a random salt per password; parameters are stored
// with the hash so they can be raised later without invalidating existing passwords: a sign-in that verifies
// an older hash stores a new one (needsRehash).
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * N = 2^15, r = 8, p = 1: 32 MiB and ~60 ms per hash on this project's 2-core machine — the RFC 7914 /
 * OWASP interactive-login level with the memory-hard cost doubled from the 2^14 first shipped (2^17 would
 * be 128 MiB per concurrent sign-in). Raise N here; stored hashes are upgraded as shoppers sign in.
 */
export const PASSWORD_PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
/** Largest N a stored hash may name (a stored 2^20 would take seconds and 1 GiB: refused, not derived). */
const MAX_N = 2 ** 17;

function deriveKey(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  // 128·N·r bytes of scratch memory, plus slack: node's 32 MiB default is exactly 2^15·8·128.
  const maxmem = 256 * (options.N ?? 0) * (options.r ?? 8);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, { ...options, maxmem }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Format: scrypt$N$r$p$<salt base64url>$<key base64url>. */
export async function hashPassword(
  password: string,
  params: { N: number; r: number; p: number } = PASSWORD_PARAMS,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await deriveKey(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!(params.N >= 2 && params.N <= MAX_N && params.r >= 1 && params.r <= 32 && params.p === 1))
    return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await deriveKey(password, Buffer.from(salt, 'base64url'), params);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** True when a stored hash was made with weaker parameters than PASSWORD_PARAMS: rehash it at sign-in. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return (
    scheme !== 'scrypt' ||
    Number(n) < PASSWORD_PARAMS.N ||
    Number(r) < PASSWORD_PARAMS.r ||
    Number(p) < PASSWORD_PARAMS.p
  );
}

/** Verified against when the email is unknown, so a wrong email costs as long as a wrong password. */
export const UNKNOWN_ACCOUNT_HASH = `scrypt$${PASSWORD_PARAMS.N}$${PASSWORD_PARAMS.r}$${PASSWORD_PARAMS.p}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
