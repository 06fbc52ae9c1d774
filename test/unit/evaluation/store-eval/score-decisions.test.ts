import { describe, expect, it } from 'vitest';
import { scoreDecisions } from '../../../../evaluation/store-eval/score-decisions.ts';
import type { AttributionEvidence } from '../../../../shared/schemas/attribution-evidence.ts';
import type { GroundTruthEvent } from '../../../../simulators/scenario/ground-truth.ts';
import { shelfEvent, T0 } from '../../../support/shelf-event.ts';

const context = {
  scenario: 'two-at-one-lane',
  family: 'same-lane',
  seed: 1,
  startedAt: T0 - 10_000,
  shopperOfSession: { 's-jo': 'jo', 's-kim': 'kim' },
};
const took = (shopper: string, ts: number): GroundTruthEvent => ({
  ts,
  startTs: ts - 300,
  endTs: ts + 600,
  shopper,
  kind: 'pick',
  lane: 'S01-L03',
  sku: 'COLA-330',
  count: 1,
  grams: 400,
});
const evidence = (rule: string): AttributionEvidence => ({
  vision: true,
  laneSeen: true,
  units: 2,
  candidates: [],
  rule,
});

describe('scoreDecisions', () => {
  const truth = [took('jo', T0 + 300), took('kim', T0 + 400)];

  it('scores each part of an event shared out one each against its own shopper’s units', () => {
    const part = (k: number, sessionId: string) =>
      shelfEvent({
        eventId: `S01-LC03@1/${k}`,
        sessionId,
        evidence: evidence('close-call+one-each'),
      });
    const decisions = scoreDecisions([part(2, 's-kim'), part(1, 's-jo')], truth, context);
    expect(decisions.map((d) => [d.billedTo, d.truthShopper, d.correct])).toEqual([
      ['jo', 'jo', true],
      ['kim', 'kim', true],
    ]);
  });

  it('keeps one unshared event of two units taken by two people wrong when billed to one of them', () => {
    const whole = shelfEvent({
      sessionId: 's-jo',
      hypotheses: [{ sku: 'COLA-330', count: 2, likelihood: 1 }],
      evidence: evidence('reach'),
    });
    const [decision] = scoreDecisions([whole], truth, context);
    expect(decision).toMatchObject({ billedTo: 'jo', truthShopper: 'jo+kim', correct: false });
  });

  it('scores a part billed to someone who took nothing as wrong', () => {
    const wrong = shelfEvent({
      eventId: 'S01-LC03@1/1',
      sessionId: 's-kim',
      evidence: evidence('close-call+one-each'),
    });
    const [decision] = scoreDecisions([wrong], [took('jo', T0 + 300)], context);
    expect(decision).toMatchObject({ billedTo: 'kim', truthShopper: 'jo', correct: false });
  });
});
