import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_RETRY, nextRetryMs, retryAfterMs } from '../../../../edge/outbox/retry-policy.ts';

const settings = { baseMs: 250, maxBackoffMs: 60_000, maxRetryAfterMs: 600_000 };
const NOW = Date.parse('2026-12-01T10:00:00Z');

describe('backoff with jitter', () => {
  it('doubles from the base, half fixed and half drawn', () => {
    expect(backoffMs(1, 0, settings)).toBe(125);
    expect(backoffMs(1, 0.999999, settings)).toBe(250);
    expect(backoffMs(2, 0, settings)).toBe(250);
    expect(backoffMs(3, 0.5, settings)).toBe(750);
  });

  it('is capped, however many attempts failed', () => {
    expect(backoffMs(9, 0.999999, settings)).toBe(60_000);
    expect(backoffMs(1_000, 0, settings)).toBe(30_000);
  });

  it('is never below half its step nor above the cap (any attempt count, any draw)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, r) => {
        const step = Math.min(settings.maxBackoffMs, settings.baseMs * 2 ** Math.min(n - 1, 30));
        const wait = backoffMs(n, r, settings);
        return wait >= Math.floor(step / 2) && wait <= settings.maxBackoffMs;
      }),
    );
  });

  it('spreads edges that failed together: 100 draws give many different waits', () => {
    const waits = new Set(Array.from({ length: 100 }, (_, i) => backoffMs(6, i / 100, settings)));
    expect(waits.size).toBeGreaterThan(50);
  });
});

describe('Retry-After', () => {
  it('reads delay-seconds', () => {
    expect(retryAfterMs('120', NOW, settings)).toBe(120_000);
    expect(retryAfterMs(' 0 ', NOW, settings)).toBe(0);
  });

  it('reads an HTTP-date (IMF-fixdate, RFC 850 and asctime forms); a past date means now', () => {
    expect(retryAfterMs('Tue, 01 Dec 2026 10:02:00 GMT', NOW, settings)).toBe(120_000);
    expect(retryAfterMs('Tuesday, 01-Dec-26 10:00:30 GMT', NOW, settings)).toBe(30_000);
    expect(
      retryAfterMs('Tue Dec  1 10:00:05 2026', NOW + new Date(NOW).getTimezoneOffset() * 60_000, settings),
    ).toBe(5_000);
    expect(retryAfterMs('Mon, 30 Nov 2026 10:00:00 GMT', NOW, settings)).toBe(0);
  });

  it('caps what it is asked to wait', () => {
    expect(retryAfterMs('86400', NOW, settings)).toBe(600_000);
    expect(retryAfterMs('Fri, 01 Jan 2027 00:00:00 GMT', NOW, settings)).toBe(600_000);
  });

  it('ignores what is not a Retry-After', () => {
    for (const value of [undefined, null, '', '-1', '1.5', 'soon', '+5', 'Tue, 99 Foo 2026 GMT'])
      expect(retryAfterMs(value, NOW, settings)).toBeUndefined();
  });

  it('is honoured: the next attempt is never sooner than asked, and at most 1 s later', () => {
    expect(nextRetryMs(1, 0, 30_000, DEFAULT_RETRY)).toBe(30_000);
    expect(nextRetryMs(1, 0.999, 30_000, DEFAULT_RETRY)).toBe(30_999);
    expect(nextRetryMs(12, 0.5, 2_000, DEFAULT_RETRY)).toBe(2_100);
    expect(nextRetryMs(3, 0.5, undefined, settings)).toBe(backoffMs(3, 0.5, settings));
  });
});
