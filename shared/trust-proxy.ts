// Which reverse proxies a service believes about the client's address (fastify's `trustProxy`), read from
// TRUST_PROXY: unset or 'false' trusts none (X-Forwarded-For is ignored, so it cannot dodge a rate limit);
// 'true' trusts every hop; otherwise a comma-separated list of addresses or CIDR ranges of the proxies in
// front (the safe choice behind a load balancer).
export type TrustProxy = boolean | string[];

export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}
