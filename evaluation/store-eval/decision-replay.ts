// Pure: decides the picks of an eval's stored decisions (`npm run eval -- --decisions out.json`) again with the
// attributor as it is now (`redecide` over each pick's stored evidence) and says, against the truth the eval
// scored them by, what would change: picks billed that went to staff (right, or newly wrong), billed picks
// sent to staff, picks billed to someone else. A quick check of a fusion rule over many runs' decisions before
// the full eval; what later steps decided (the exit, settled identities, carts) is not replayed.
import { type Static, Type } from 'typebox';
import { type AttributionSettings, DEFAULT_ATTRIBUTION, redecide } from '../../edge/fusion/attributor.ts';
import { baseRuleIs, DECIDING_RULES } from '../../shared/attribution-rule.ts';
import { AttributionEvidenceSchema } from '../../shared/schemas/attribution-evidence.ts';
import { compileValidator } from '../../shared/validator.ts';

/** The fields of a stored decision (`eval-report-types.ts › Decision`) the replay reads. */
export const StoredDecisionSchema = Type.Object({
  scenario: Type.String(),
  seed: Type.Number(),
  atS: Type.Number(),
  kind: Type.Union([Type.Literal('pick'), Type.Literal('put-back')]),
  lane: Type.String(),
  truthShopper: Type.Union([Type.String(), Type.Null()]),
  billedTo: Type.Union([Type.String(), Type.Null()]),
  rule: Type.Union([Type.String(), Type.Null()]),
  /** Shopper (or 'no session') of each evidence candidate, in the evidence's order. */
  candidates: Type.Array(Type.String()),
  evidence: Type.Union([AttributionEvidenceSchema, Type.Null()]),
});
export type StoredDecision = Static<typeof StoredDecisionSchema>;

const validator = compileValidator(StoredDecisionSchema);

/** What the replay found for one pick whose outcome changed. */
export interface ReplayedPick {
  scenario: string;
  seed: number;
  atS: number;
  lane: string;
  truthShopper: string | null;
  /** Who the attributor billed when the eval ran (null: it refused), and by what rule. */
  before: string | null;
  beforeRule: string | null;
  /** Who it bills now (null: it refuses), by what rule, how sure. */
  after: string | null;
  afterRule: string;
  afterConfidence: number;
  /**
   * `gained`: billed right, was refused; `newly-wrong`: billed to someone who did not take it; `to-staff`:
   * refused now; `moved`: billed right now, was billed to someone else.
   */
  outcome: 'gained' | 'newly-wrong' | 'to-staff' | 'moved';
}

export interface ReplaySummary {
  /** Records read, and those rejected as not a stored decision (with the first reasons). */
  decisions: number;
  rejected: number;
  rejections: string[];
  /** Picks with evidence decided again. */
  replayed: number;
  changed: number;
  gained: number;
  newlyWrong: number;
  toStaff: number;
  moved: number;
}

/** Replays every valid pick of `records` (untrusted: each is checked, a bad one counted and skipped). */
export function replayDecisions(
  records: readonly unknown[],
  settings: AttributionSettings = DEFAULT_ATTRIBUTION,
): { summary: ReplaySummary; changed: ReplayedPick[] } {
  const summary: ReplaySummary = {
    decisions: records.length,
    rejected: 0,
    rejections: [],
    replayed: 0,
    changed: 0,
    gained: 0,
    newlyWrong: 0,
    toStaff: 0,
    moved: 0,
  };
  const changed: ReplayedPick[] = [];
  records.forEach((record, i) => {
    const checked = validator.check(record);
    if (!checked.ok) {
      summary.rejected++;
      if (summary.rejections.length < 5) summary.rejections.push(`[${i}] ${checked.errors.join('; ')}`);
      return;
    }
    const replayed = replayPick(checked.value, settings);
    if (replayed === 'not-a-pick') return;
    summary.replayed++;
    if (replayed === undefined) return;
    summary.changed++;
    if (replayed.outcome === 'gained') summary.gained++;
    else if (replayed.outcome === 'newly-wrong') summary.newlyWrong++;
    else if (replayed.outcome === 'to-staff') summary.toStaff++;
    else summary.moved++;
    changed.push(replayed);
  });
  return { summary, changed };
}

/** One pick decided again: undefined when the attributor's verdict is the same person (or refusal). */
function replayPick(
  d: StoredDecision,
  settings: AttributionSettings,
): ReplayedPick | undefined | 'not-a-pick' {
  // put-backs are decided by the carts first; the attributor's part of a pick is what it can replay
  if (d.kind !== 'pick' || d.evidence === null) return 'not-a-pick';
  const shopperOf = new Map(d.evidence.candidates.map((c, i) => [c.sessionId, d.candidates[i] ?? null]));
  const billedByAttributor = d.rule !== null && baseRuleIs(d.rule, ...DECIDING_RULES);
  const before = billedByAttributor ? d.billedTo : null;
  const again = redecide(d.evidence, settings);
  const after = again.sessionId === null ? null : (shopperOf.get(again.sessionId) ?? again.sessionId);
  if (after === before) return undefined;
  const right = after !== null && after === d.truthShopper;
  const outcome = after === null ? 'to-staff' : !right ? 'newly-wrong' : before === null ? 'gained' : 'moved';
  return {
    scenario: d.scenario,
    seed: d.seed,
    atS: d.atS,
    lane: d.lane,
    truthShopper: d.truthShopper,
    before,
    beforeRule: d.rule,
    after,
    afterRule: again.evidence.rule,
    afterConfidence: again.confidence,
    outcome,
  };
}
