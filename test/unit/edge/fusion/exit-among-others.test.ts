import { describe, expect, it } from 'vitest';
import { attributeEvent } from '../../../../edge/fusion/attributor.ts';
import { decideAtExit, decideAtExitAmongOthers } from '../../../../edge/fusion/exit-decision.ts';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import type { CandidateEvidence } from '../../../../shared/schemas/attribution-evidence.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';

/** A pick the attributor itself refused, from what the cameras measured. */
function refused(candidates: CandidateEvidence[]): ShelfEvent {
  const present = candidates.flatMap((c) => (c.sessionId === null ? [] : [c.sessionId]));
  const decided = attributeEvent(present, { laneSeen: true, candidates, units: 1 });
  return {
    eventId: 'e1',
    kind: 'pick',
    shelfId: 'S1',
    lane: 'S1-L2',
    lanes: ['S1-L2'],
    startTs: 1000,
    endTs: 1400,
    peakTs: 1200,
    deltaG: -400,
    hypotheses: [{ sku: 'SKU-1', count: 1, likelihood: 1 }],
    ambiguous: false,
    sessionId: null,
    attribution: 'unattributed',
    confidence: 0,
    evidence: decided.evidence,
  } as unknown as ShelfEvent;
}

// alice's hand, surely hers, in the lane; bob beside her with a hand 0.38 m off (on its way to his own lane):
// both tracks in doubt after they passed close
const alice: CandidateEvidence = {
  sessionId: 'alice',
  handM: 0.01,
  bodyM: 0.43,
  identity: 0.5,
  handOwner: 1,
  atChange: { handM: 0.017, handOwner: 1 },
  tracks: ['T1'],
  handTrack: 'T1',
  bodyTrack: 'T1',
};
const bob: CandidateEvidence = {
  sessionId: 'bob',
  handM: 0.38,
  bodyM: 0.68,
  identity: 0.5,
  atChange: { handM: 0.41 },
  tracks: ['T3'],
  handTrack: 'T3',
  bodyTrack: 'T3',
};
const { exit, attribution } = DEFAULT_FUSION;

describe('a pick refused for identity, decided at the exit among others near the lane', () => {
  const event = refused([alice, bob]);

  it('is refused for identity, and the exit match that asks the lane to be hers alone says nothing', () => {
    expect(event.evidence?.rule).toBe('identity-doubtful');
    expect(decideAtExit(event, 'alice', 'T1', exit, attribution.elsewhereM)).toBeUndefined();
  });

  it('bills her once her exit shows her track was hers: the evidence decided again with her identity', () => {
    const decision = decideAtExitAmongOthers(event, 'alice', 'T1', exit, attribution);
    expect(decision?.choice).toEqual({ sessionId: 'alice', sku: 'SKU-1', count: 1 });
    const billed = decision?.restate({ ...event, attribution: 'staff', sessionId: 'alice' });
    expect(billed?.attribution).toBe('vision');
    expect(billed?.evidence?.rule).toBe('identity-doubtful+matched-at-exit');
    expect(billed?.confidence).toBeLessThanOrEqual(exit.confidence);
    expect(billed?.confidence).toBeGreaterThanOrEqual(attribution.minConfidence);
  });

  it('says nothing for a track the evidence did not point at, or another session', () => {
    expect(decideAtExitAmongOthers(event, 'bob', 'T3', exit, attribution)).toBeUndefined();
    expect(decideAtExitAmongOthers(event, 'alice', 'T3', exit, attribution)).toBeUndefined();
  });

  it('says nothing of a close call, whoever walked out', () => {
    const both = refused([alice, { ...bob, handM: 0.02, atChange: { handM: 0.02, handOwner: 1 } }]);
    expect(both.evidence?.rule).toBe('close-call');
    expect(decideAtExitAmongOthers(both, 'alice', 'T1', exit, attribution)).toBeUndefined();
  });

  it('says nothing while another shopper inside was seen nowhere during the pick', () => {
    const unseen: CandidateEvidence = { sessionId: 'cleo', handM: null, bodyM: null, identity: 1 };
    const withUnseen = refused([alice, bob, unseen]);
    expect(withUnseen.evidence?.rule).toBe('identity-doubtful');
    expect(decideAtExitAmongOthers(withUnseen, 'alice', 'T1', exit, attribution)).toBeUndefined();
  });
});
