import { describe, expect, it } from 'vitest';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import {
  decideOnSettledIdentity,
  othersRuledOut,
  tracksAtLane,
} from '../../../../edge/fusion/identity-settle.ts';
import type { CandidateEvidence } from '../../../../shared/schemas/attribution-evidence.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { refusedPick } from '../../../support/shelf-event.ts';

const alice = (identity: number): CandidateEvidence => ({
  sessionId: 'alice',
  handM: 0.04,
  bodyM: 0.45,
  identity,
  handOwner: 1,
  tracks: ['T1'],
  handTrack: 'T1',
  bodyTrack: 'T1',
});
const bob: CandidateEvidence = { sessionId: 'bob', handM: null, bodyM: 1.1, identity: 0.5, tracks: ['T2'] };

const track = (over: Partial<TrackMessage> = {}): TrackMessage =>
  ({
    id: 'T1',
    sessionId: 'alice',
    state: 'confirmed',
    x: 3,
    y: 4,
    hands: [],
    confidence: 1,
    identityConfidence: 0.9,
    lastSeenTs: 9000,
    ...over,
  }) as TrackMessage;

describe('a pick refused for identity, decided when the identity settles', () => {
  const event = refusedPick([alice(0.5), bob]);

  it('the attributor refused it for identity, naming the one track at the lane', () => {
    expect(event.evidence?.rule).toBe('identity-doubtful');
    expect(tracksAtLane(event)).toContain('T1');
  });

  it('bills the session once the track has no doubt left and its identity is back', () => {
    const decision = decideOnSettledIdentity(event, track(), DEFAULT_FUSION, () => false);
    expect(decision?.choice).toEqual({ sessionId: 'alice', sku: 'SKU-1', count: 1 });
    const billed = decision?.restate({ ...event, attribution: 'staff', sessionId: 'alice' });
    expect(billed?.attribution).toBe('vision');
    expect(billed?.evidence?.rule).toBe('identity-doubtful+identity-settled');
    expect(billed?.confidence).toBeGreaterThanOrEqual(DEFAULT_FUSION.attribution.minConfidence);
  });

  it('says nothing while a swap doubt begun before the pick is open, or the binding at the gate is in doubt', () => {
    expect(
      decideOnSettledIdentity(event, track({ identityCeiling: 0.5 }), DEFAULT_FUSION, () => false),
    ).toBeUndefined();
    // an older edge names only its last doubt: any moment before it may have been one
    expect(
      decideOnSettledIdentity(event, track({ identityDoubtTs: 5000 }), DEFAULT_FUSION, () => false),
    ).toBeUndefined();
    expect(
      decideOnSettledIdentity(
        event,
        track({ identityDoubtTs: 5000, identityDoubts: [{ ts: 5000, with: 'T2', since: 900 }] }),
        DEFAULT_FUSION,
        () => false,
      ),
    ).toBeUndefined();
    // a doubt begun while the hand may still have been in the lane (up to the look-ahead after the change)
    expect(
      decideOnSettledIdentity(
        event,
        track({ identityDoubts: [{ ts: 1700, since: 1700 }] }),
        DEFAULT_FUSION,
        () => false,
      ),
    ).toBeUndefined();
  });

  it('decides it while doubts begun after the pick are open: they are about who the track follows since', () => {
    const later = track({
      identityConfidence: 0.5,
      identityDoubtTs: 6000,
      identityDoubts: [
        { ts: 5000, with: 'T2', since: 4000 },
        { ts: 6000, since: 2500 },
      ],
    });
    const decision = decideOnSettledIdentity(event, later, DEFAULT_FUSION, () => false);
    expect(decision?.choice).toEqual({ sessionId: 'alice', sku: 'SKU-1', count: 1 });
    expect(
      decision?.restate({ ...event, attribution: 'staff', sessionId: 'alice' }).confidence,
    ).toBeGreaterThanOrEqual(DEFAULT_FUSION.attribution.minConfidence);
  });

  it('says nothing while the track was in an encounter, settled since, during the pick', () => {
    // side by side, swapped and swapped back within one encounter: the looks that settled it tell who the
    // track follows after it, not who it followed while the weight changed
    expect(decideOnSettledIdentity(event, track(), DEFAULT_FUSION, () => true)).toBeUndefined();
    expect(decideOnSettledIdentity(event, track(), DEFAULT_FUSION, () => false)?.choice.sessionId).toBe(
      'alice',
    );
  });

  it('says nothing when the track now carries another session, or is another track', () => {
    expect(
      decideOnSettledIdentity(event, track({ sessionId: 'bob' }), DEFAULT_FUSION, () => false),
    ).toBeUndefined();
    expect(
      decideOnSettledIdentity(event, track({ sessionId: null }), DEFAULT_FUSION, () => false),
    ).toBeUndefined();
    expect(decideOnSettledIdentity(event, track({ id: 'T2' }), DEFAULT_FUSION, () => false)).toBeUndefined();
  });

  it('says nothing while another shopper inside was seen nowhere during the pick (they may be the one at the lane)', () => {
    const lost = refusedPick([alice(0.5), { ...bob, bodyM: null }]);
    expect(lost.evidence?.rule).toBe('identity-doubtful');
    expect(decideOnSettledIdentity(lost, track(), DEFAULT_FUSION, () => false)).toBeUndefined();
  });

  it('never settles a close call, nor a pick where another hand was in the lane', () => {
    const close = refusedPick([alice(1), { ...bob, handM: 0.12, handTrack: 'T2' }]);
    expect(close.evidence?.rule).toBe('close-call');
    expect(decideOnSettledIdentity(close, track(), DEFAULT_FUSION, () => false)).toBeUndefined();
    const twoUnits = refusedPick([alice(0.5), { ...bob, bodyM: 0.6 }], 2);
    expect(decideOnSettledIdentity(twoUnits, track(), DEFAULT_FUSION, () => false)).toBeUndefined();
  });
});

describe('a binding at the gate in doubt, settled when the exit rules out everyone else', () => {
  // alice's track at the lane is bound to her at 0.5: bob came in beside her and may be the one on it
  const event = refusedPick([alice(0.5), bob]);
  const inDoubt = track({ identityCeiling: 0.5 });

  it('rules the others out only when every other shopper the evidence named was cleared', () => {
    expect(othersRuledOut(event, ['alice', 'bob'], 'alice')).toBe(false);
    expect(othersRuledOut(event, ['alice'], 'alice')).toBe(true);
    expect(othersRuledOut(event, ['bob'], 'alice')).toBe(false);
    // an event that named nobody else: nothing was ruled out, its binding's other way round is unknown
    expect(othersRuledOut(refusedPick([alice(0.5)]), ['alice'], 'alice')).toBe(false);
  });

  it('bills the session with the binding counted sure once the others are ruled out, as for a settled identity', () => {
    expect(decideOnSettledIdentity(event, inDoubt, DEFAULT_FUSION, () => false)).toBeUndefined();
    const decision = decideOnSettledIdentity(event, inDoubt, DEFAULT_FUSION, () => false, true);
    expect(decision?.choice).toEqual({ sessionId: 'alice', sku: 'SKU-1', count: 1 });
    expect(decision?.restate({ ...event, sessionId: 'alice' }).evidence?.rule).toBe(
      'identity-doubtful+identity-settled',
    );
  });

  it('still says nothing while a swap doubt from before the pick is open, or the track was in an encounter', () => {
    const swapped = track({ identityCeiling: 0.5, identityDoubts: [{ ts: 900, since: 800, with: 'T2' }] });
    expect(decideOnSettledIdentity(event, swapped, DEFAULT_FUSION, () => false, true)).toBeUndefined();
    expect(decideOnSettledIdentity(event, inDoubt, DEFAULT_FUSION, () => true, true)).toBeUndefined();
  });
});
