// The shopper app's words for the cloud's error codes: the hold declined at the gate reads as advice to the
// shopper, never as an API path, and a code without words shows the cloud's message.
import { describe, expect, it } from 'vitest';

// A browser module (plain checked JS, no declaration file): loaded by path and typed here.
const MODULE = '../../../cloud/app/static/shopper-words.js';
const { wordsFor } = (await import(MODULE)) as { wordsFor: (code: string) => string | undefined };

describe('wordsFor', () => {
  it('words the payment-flow codes for the shopper', () => {
    expect(wordsFor('entry_hold_declined')).toBe(
      'Your card was declined for the entry hold — try another card.',
    );
    for (const code of ['entry_hold_declined', 'payment_provider_unavailable']) {
      expect(wordsFor(code)).not.toMatch(/\/v1\/|POST|GET|_/);
    }
  });

  it('leaves other codes to the cloud message (and ignores inherited names)', () => {
    expect(wordsFor('store_not_found')).toBeUndefined();
    expect(wordsFor('toString')).toBeUndefined();
  });
});
