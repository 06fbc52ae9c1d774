// Which reverse proxies a service believes about the client's address (fastify's `trustProxy`), read from
// TRUST_PROXY: unset or 'false' trusts none (X-Forwarded-For is ignored, so it cannot dodge a rate limit);
// 'true' trusts every hop; otherwise a comma-separated list of addresses or CIDR ranges of the proxies in
// front (the safe choice behind a load balancer).
import { isIP } from 'node:net';

export type TrustProxy = boolean | string[];

/** proxy-addr's names for address ranges, accepted besides addresses and CIDRs. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(part: string): boolean {
  if (RANGE_NAMES.has(part)) return true;
  const [address, bits, extra] = part.split('/');
  if (extra !== undefined || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d+$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}

export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const bad = parts.filter((part) => !isProxyAddress(part));
  if (bad.length > 0) {
    throw new Error(
      `TRUST_PROXY=${JSON.stringify(value)}: ${bad.join(', ')} is not an address, a CIDR range or loopback/linklocal/uniquelocal; ` +
        'use true, false, or the load balancer addresses (e.g. 10.0.0.0/8,127.0.0.1)',
    );
  }
  return parts;
}
