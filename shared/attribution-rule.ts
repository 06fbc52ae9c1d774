// The rule that decided whose cart a shelf event went to: one base rule (the attributor's verdict) and the
// modifiers later steps added (the cart, the exit). On the wire and in stored evidence it is one string,
// `base+modifier+…`, checked at the boundary against these lists; in code it is read only through here.

/** The attributor gave the event to a session. */
export const DECIDING_RULES = ['sole-session', 'reach', 'stood-at-lane'] as const;

/** The attributor refused to guess (staff decide, or a later step settles it). */
export const REFUSING_RULES = [
  'nobody-inside',
  'stranger-at-lane',
  'no-vision',
  'nobody-seen',
  'nobody-at-lane',
  'close-call',
  'several-units-several-people',
  'unbound-at-lane',
  'shopper-unseen',
  'identity-doubtful',
] as const;

/** What a later step added to the attributor's verdict. */
export const RULE_MODIFIERS = [
  /** The person at the lane was on no session and the one shopper not seen elsewhere. */
  'unbound-track',
  /** The track's identity was in doubt but every other shopper was seen elsewhere. */
  'others-elsewhere',
  /** The product was told from the shopper's cart (a put-back of something they held). */
  'cart',
  /** A put-back of something another shopper held went to that shopper. */
  'returned-for-other',
  /** A put-back went to the only shopper inside who held the product. */
  'held-only-by',
  /**
   * A put-back no open cart could take went to the one shopper who left holding the product, their receipt
   * already issued (handed over, put back later by the one they gave it to): the cloud refunds it.
   */
  'returned-after-receipt',
  /** A refused event was settled by matching the shopper's walk-out at the exit. */
  'matched-at-exit',
  /**
   * A refused event decided again once a shopper's walk-out showed where they had been during it, far from the
   * lane (their track followed without doubt from before the event to the exit): the rest of the evidence
   * then billed it.
   */
  'elsewhere-at-exit',
  /**
   * A refusal for the identity of the one track at the lane, settled later in the visit when that track's
   * doubts were: its uncrowded looks were again those of the person before them.
   */
  'identity-settled',
  /**
   * A refusal decided again after the tracker's looks showed two tracks had swapped people in an encounter
   * before it and gave each the other's session back: the evidence gathered again from the same steps, each
   * swapped track carrying its session from the encounter's end, billed it.
   */
  'swap-undone',
  /**
   * Several units left the lane at once with as many shoppers' hands in it, each surely its owner's: one unit
   * each (the event is billed in parts, `<eventId>/<k>`).
   */
  'one-each',
] as const;

export type DecidingRule = (typeof DECIDING_RULES)[number];
export type RefusingRule = (typeof REFUSING_RULES)[number];
export type BaseRule = DecidingRule | RefusingRule;
export type RuleModifier = (typeof RULE_MODIFIERS)[number];

export interface AttributionRule {
  base: BaseRule;
  modifiers: readonly RuleModifier[];
}

const BASES: ReadonlySet<string> = new Set([...DECIDING_RULES, ...REFUSING_RULES]);
const MODIFIERS: ReadonlySet<string> = new Set(RULE_MODIFIERS);

/** A regular expression source matching every well-formed rule string (for the evidence schema). */
export const RULE_PATTERN = `^(${[...BASES].join('|')})(\\+(${RULE_MODIFIERS.join('|')}))*$`;

/** `base+modifier+…`, as stored and sent. */
export function formatRule(rule: AttributionRule): string {
  return [rule.base, ...rule.modifiers].join('+');
}

/** The rule a stored string names; undefined when it is not one (the schema keeps such strings out). */
export function parseRule(text: string): AttributionRule | undefined {
  const [base, ...rest] = text.split('+');
  if (base === undefined || !BASES.has(base)) return undefined;
  const modifiers: RuleModifier[] = [];
  for (const m of rest) {
    if (!MODIFIERS.has(m)) return undefined;
    modifiers.push(m as RuleModifier);
  }
  return { base: base as BaseRule, modifiers };
}

/** The stored rule with one more modifier (a well-formed rule stays well-formed). */
export function withModifier(text: string, modifier: RuleModifier): string {
  return `${text}+${modifier}`;
}

/** Whether a stored rule's last step was this modifier (what a replay of that step must explain). */
export function lastModifierIs(text: string, modifier: RuleModifier): boolean {
  return parseRule(text)?.modifiers.at(-1) === modifier;
}

/** Whether a stored rule's base verdict is one of these. */
export function baseRuleIs(text: string, ...bases: readonly BaseRule[]): boolean {
  const base = parseRule(text)?.base;
  return base !== undefined && bases.includes(base);
}
