import { describe, expect, it } from 'vitest';
import { decideAtExit, decideAtExitAmongOthers } from '../../../../edge/fusion/exit-decision.ts';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import type { CandidateEvidence } from '../../../../shared/schemas/attribution-evidence.ts';
import { refusedPick } from '../../../support/shelf-event.ts';

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
  const event = refusedPick([alice, bob]);

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
    const both = refusedPick([alice, { ...bob, handM: 0.02, atChange: { handM: 0.02, handOwner: 1 } }]);
    expect(both.evidence?.rule).toBe('close-call');
    expect(decideAtExitAmongOthers(both, 'alice', 'T1', exit, attribution)).toBeUndefined();
  });

  it('says nothing while another shopper inside was seen nowhere during the pick', () => {
    const unseen: CandidateEvidence = { sessionId: 'cleo', handM: null, bodyM: null, identity: 1 };
    const withUnseen = refusedPick([alice, bob, unseen]);
    expect(withUnseen.evidence?.rule).toBe('identity-doubtful');
    expect(decideAtExitAmongOthers(withUnseen, 'alice', 'T1', exit, attribution)).toBeUndefined();
  });
});
