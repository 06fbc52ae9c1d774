import { describe, expect, it } from 'vitest';
import {
  baseRuleIs,
  formatRule,
  lastModifierIs,
  parseRule,
  withModifier,
} from '../../../shared/attribution-rule.ts';
import { AttributionEvidenceSchema } from '../../../shared/schemas/attribution-evidence.ts';
import { compileValidator } from '../../../shared/validator.ts';

const evidence = compileValidator(AttributionEvidenceSchema);
const accepts = (value: unknown) => evidence.check(value).ok;
const withRule = (rule: string) => ({ vision: true, laneSeen: true, candidates: [], rule });

describe('attribution rule', () => {
  it('reads a stored rule back as its base and modifiers, in order', () => {
    expect(parseRule('identity-doubtful+matched-at-exit')).toEqual({
      base: 'identity-doubtful',
      modifiers: ['matched-at-exit'],
    });
    expect(parseRule('reach+unbound-track+cart')).toEqual({
      base: 'reach',
      modifiers: ['unbound-track', 'cart'],
    });
    expect(formatRule({ base: 'close-call', modifiers: [] })).toBe('close-call');
  });

  it('refuses what is not a rule', () => {
    expect(parseRule('reachy')).toBeUndefined();
    expect(parseRule('reach+whatever')).toBeUndefined();
    expect(parseRule('')).toBeUndefined();
    expect(parseRule('cart')).toBeUndefined();
  });

  it('answers questions by meaning, not by prefix', () => {
    // 'identity-doubtful' must not match a rule that merely starts with the same letters
    expect(baseRuleIs('identity-doubtful+matched-at-exit', 'identity-doubtful')).toBe(true);
    expect(baseRuleIs('reach+others-elsewhere', 'identity-doubtful', 'unbound-at-lane')).toBe(false);
    expect(lastModifierIs('reach+returned-for-other', 'returned-for-other')).toBe(true);
    expect(lastModifierIs('reach+returned-for-other+matched-at-exit', 'returned-for-other')).toBe(false);
    expect(withModifier('reach', 'cart')).toBe('reach+cart');
  });

  it('the evidence schema accepts every well-formed rule and rejects anything else at the boundary', () => {
    expect(accepts(withRule('sole-session'))).toBe(true);
    expect(accepts(withRule('stood-at-lane+held-only-by'))).toBe(true);
    expect(accepts(withRule('several-units-several-people+matched-at-exit'))).toBe(true);
    expect(accepts(withRule('reach+'))).toBe(false);
    expect(accepts(withRule('<script>'))).toBe(false);
    expect(accepts(withRule('Reach'))).toBe(false);
  });
});
