import { describe, expect, it } from 'vitest';
import { DEFAULT_ATTRIBUTION } from '../../../../edge/fusion/attributor.ts';
import { replayDecisions } from '../../../../evaluation/store-eval/decision-replay.ts';
import type { AttributionEvidence } from '../../../../shared/schemas/attribution-evidence.ts';

// two shoppers at a shelf: s-ada's hand squarely in the lane, surely hers; s-ben standing a step off
const evidence = (rule: string): AttributionEvidence => ({
  rule,
  vision: true,
  laneSeen: true,
  laneHalfWidthM: 0.25,
  candidates: [
    { sessionId: 's-ada', handM: 0.05, bodyM: 0.45, identity: 1, handOwner: 1 },
    { sessionId: 's-ben', handM: null, bodyM: 0.7, identity: 1 },
  ],
});
const decision = (over: Record<string, unknown>) => ({
  scenario: 'crowd-01',
  family: 'crowd',
  seed: 7,
  atS: 12.3,
  kind: 'pick',
  lane: 'S01-L02',
  sku: 'SKU-1',
  count: 1,
  truthShopper: 'ada',
  billedTo: null,
  attribution: 'unattributed',
  confidence: 0,
  correct: null,
  rule: 'close-call',
  candidates: ['ada', 'ben'],
  evidence: evidence('close-call'),
  ...over,
});

describe('replayDecisions', () => {
  it('reports a pick that went to staff and is now billed right, by shopper name', () => {
    const { summary, changed } = replayDecisions([decision({})]);
    expect(summary).toMatchObject({ decisions: 1, replayed: 1, changed: 1, gained: 1, newlyWrong: 0 });
    expect(changed[0]).toMatchObject({ before: null, after: 'ada', afterRule: 'reach', outcome: 'gained' });
  });

  it('calls a pick billed to someone who did not take it newly wrong', () => {
    const { summary, changed } = replayDecisions([decision({ truthShopper: 'ben' })]);
    expect(summary.newlyWrong).toBe(1);
    expect(changed[0]?.outcome).toBe('newly-wrong');
  });

  it('reports a billed pick the attributor now refuses, and leaves unchanged ones out', () => {
    const strict = { ...DEFAULT_ATTRIBUTION, minConfidence: 0.999 };
    const billed = decision({ billedTo: 'ada', rule: 'reach', evidence: evidence('reach') });
    expect(replayDecisions([billed]).changed).toEqual([]);
    const { summary, changed } = replayDecisions([billed], strict);
    expect(summary.toStaff).toBe(1);
    expect(changed[0]).toMatchObject({ before: 'ada', after: null, afterRule: 'close-call' });
  });

  it('counts what a later step decided as the attributor refusing', () => {
    // settled at the exit: the attributor had refused it, so billing it now is a change
    const exit = decision({ billedTo: 'ada', rule: 'close-call+matched-at-exit' });
    expect(replayDecisions([exit]).summary.gained).toBe(1);
  });

  it('skips put-backs and picks without evidence, and counts records that are not stored decisions', () => {
    const { summary } = replayDecisions([
      decision({ kind: 'put-back' }),
      decision({ evidence: null }),
      { scenario: 'x' },
      'not a decision',
      decision({ evidence: { ...evidence('reach'), rule: 'made-up-rule' } }),
    ]);
    expect(summary).toMatchObject({ decisions: 5, replayed: 0, changed: 0, rejected: 3 });
    expect(summary.rejections).toHaveLength(3);
  });
});
