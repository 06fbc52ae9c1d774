// TRUST_PROXY is validated at start: a typo must not silently trust (or distrust) the wrong hops.
import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from '../../../shared/trust-proxy.ts';

describe('parseTrustProxy', () => {
  it('reads off, every hop, and lists of addresses, CIDR ranges and range names', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy(' 10.0.0.0/8, 127.0.0.1 ,::1,fd00::/8,loopback')).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses anything else, naming it', () => {
    expect(() => parseTrustProxy('yes')).toThrow('yes is not an address');
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow('10.0.0.0/33 is not an address');
    expect(() => parseTrustProxy('127.0.0.1,haproxy')).toThrow('haproxy is not an address');
  });
});
