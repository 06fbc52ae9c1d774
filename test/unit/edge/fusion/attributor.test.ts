import { describe, expect, it } from 'vitest';
import { attributeEvent, sessionsPresent } from '../../../../edge/fusion/attributor.ts';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import type { CandidateEvidence } from '../../../../shared/schemas/attribution-evidence.ts';

const seen = (laneSeen: boolean, ...candidates: CandidateEvidence[]) => ({ laneSeen, candidates });
const c = (sessionId: string | null, handM: number | null, bodyM: number | null, identity = 1) => ({
  sessionId,
  handM,
  bodyM,
  identity,
});

describe('sessionsPresent', () => {
  const alice = { sessionId: 'alice', enteredAt: 1000, exitedAt: undefined };
  const bob = { sessionId: 'bob', enteredAt: 5000, exitedAt: 9000 };
  it('keeps the sessions inside for the whole event', () => {
    expect(sessionsPresent(2000, 2500, [alice, bob])).toEqual(['alice']);
    expect(sessionsPresent(6000, 6500, [alice, bob])).toEqual(['alice', 'bob']);
    expect(sessionsPresent(500, 700, [alice])).toEqual([]);
  });
});

describe('attributeEvent', () => {
  it('gives the event to the one session in the store', () => {
    expect(attributeEvent(['alice'], undefined)).toMatchObject({
      sessionId: 'alice',
      attribution: 'sole-session',
      confidence: 1,
      candidates: ['alice'],
      evidence: { rule: 'sole-session' },
    });
  });

  it('refuses to guess between two sessions without cameras', () => {
    expect(attributeEvent(['alice', 'bob'], undefined)).toMatchObject({
      sessionId: null,
      attribution: 'unattributed',
      evidence: { rule: 'no-vision' },
    });
  });

  it('leaves an event with nobody inside unattributed', () => {
    expect(attributeEvent([], undefined)).toMatchObject({ sessionId: null, candidates: [] });
  });

  it('gives it to the shopper whose hand was in the lane while the other stood nearby', () => {
    const a = attributeEvent(['alice', 'bob'], seen(true, c('alice', 0.05, 0.45), c('bob', null, 0.9)));
    expect(a).toMatchObject({ sessionId: 'alice', attribution: 'vision', candidates: ['alice', 'bob'] });
    expect(a.confidence).toBeGreaterThan(0.9);
    expect(a.evidence.rule).toBe('reach');
  });

  it('sends crossing hands (both in the lane) to staff, best guess first', () => {
    const a = attributeEvent(['alice', 'bob'], seen(true, c('alice', 0.12, 0.5), c('bob', 0.06, 0.5)));
    expect(a).toMatchObject({
      sessionId: null,
      candidates: ['bob', 'alice'],
      evidence: { rule: 'close-call' },
    });
  });

  it('attributes by standing at the lane when no hand was seen and the others were far', () => {
    const a = attributeEvent(['alice', 'bob'], seen(true, c('alice', null, 0.5), c('bob', null, 6)));
    expect(a).toMatchObject({
      sessionId: 'alice',
      attribution: 'vision',
      evidence: { rule: 'stood-at-lane' },
    });
  });

  it('does not bill a passer-by for standing at the lane while another shopper was seen nowhere', () => {
    // busy hour (unseen seed 4242): the tracker had lost the picker; a shopper walking past stood nearest
    const passing = c('bob', null, 0.88);
    const lost = c('carol', null, null);
    const a = attributeEvent(['bob', 'carol'], seen(true, passing, lost));
    expect(a).toMatchObject({ sessionId: null, evidence: { rule: 'shopper-unseen' } });
    expect(a.candidates).toEqual(['bob', 'carol']);
    // seen far away, or with an alibi, the lost one is accounted for; so is one who may be a person on no
    // session the cameras saw elsewhere (a lost binding)
    for (const accounted of [[c('carol', null, 6)], [{ ...lost, alibiM: 4 }], [lost, c(null, null, 7)]])
      expect(attributeEvent(['bob', 'carol'], seen(true, passing, ...accounted))).toMatchObject({
        sessionId: 'bob',
        evidence: { rule: 'stood-at-lane' },
      });
    // a hand in the lane is evidence of its own: as before
    expect(attributeEvent(['bob', 'carol'], seen(true, c('bob', 0.05, 0.4), lost)).evidence.rule).toBe(
      'reach',
    );
  });

  it('does not bill a hand the detector could not tie to its owner while another shopper was seen nowhere', () => {
    // dark-camera-02 of the generated seed 50505: both cameras on the shelf dark, eva reached into the lane
    // beside hugo; her hand was found there and, its owner seen by no camera, given to hugo at 0
    const hugo = (handOwner: number) => ({
      ...c('hugo', 0.033, 0.687),
      handOwner,
      atChange: { handM: 0.033, handOwner },
    });
    const unseen = (id: string) => ({ ...c(id, null, null), atChange: { handM: null } });
    const at = (handOwner: number, ...others: CandidateEvidence[]) =>
      attributeEvent(['hugo', 'gia', 'eva'], {
        ...seen(true, hugo(handOwner), ...others),
        laneHalfWidthM: 0.25,
      });
    expect(at(0, unseen('gia'), unseen('eva'))).toMatchObject({
      sessionId: null,
      evidence: { rule: 'shopper-unseen' },
    });
    // the hand surely his, or everyone else seen (far off): his
    for (const a of [at(0.9, unseen('gia'), unseen('eva')), at(0, c('gia', null, 3), c('eva', null, 3.5))])
      expect(a).toMatchObject({ sessionId: 'hugo', evidence: { rule: 'reach' } });
  });

  it('refuses when the lane was out of sight and another shopper was not seen anywhere', () => {
    const a = attributeEvent(['alice', 'bob'], seen(false, c('alice', null, 0.5)));
    expect(a).toMatchObject({ sessionId: null, evidence: { rule: 'shopper-unseen' } });
  });

  it('refuses when the winner may have swapped identity with someone', () => {
    const a = attributeEvent(['alice', 'bob'], seen(true, c('alice', 0.05, 0.4, 0.3), c('bob', null, 1.6)));
    expect(a).toMatchObject({ sessionId: null, evidence: { rule: 'identity-doubtful' } });
  });

  it('calls a close call one even when identities are in doubt (the exit settles identity refusals only)', () => {
    // crossing arms: two hands near the lane, both tracks unsure; the evidence itself does not decide
    const a = attributeEvent(
      ['ada', 'eva'],
      seen(true, c('ada', 0.44, 0.65, 0.5), c('eva', 0.53, 1.07, 0.5)),
    );
    expect(a).toMatchObject({ sessionId: null, evidence: { rule: 'close-call' } });
  });

  it('attributes a doubtful identity when every other shopper is surely elsewhere', () => {
    const a = attributeEvent(
      ['alice', 'bob', 'carol'],
      seen(true, c('alice', 0.05, 0.4, 0.4), c('bob', null, 6), c('carol', 3.1, 3)),
    );
    expect(a).toMatchObject({ sessionId: 'alice', evidence: { rule: 'reach+others-elsewhere' } });
    // bob's own identity is doubtful too: he may be the one at the lane
    const b = attributeEvent(
      ['alice', 'bob'],
      seen(true, c('alice', 0.05, 0.4, 0.4), c('bob', null, 6, 0.5)),
    );
    expect(b).toMatchObject({ sessionId: null, evidence: { rule: 'identity-doubtful' } });
  });

  it('counts a shopper in doubt as elsewhere when every track that may carry them was far (the alibi)', () => {
    const doubtful = (id: string, alibi: number | undefined) => ({
      ...c(id, null, 6, 0.5),
      ...(alibi === undefined ? {} : { alibiM: alibi }),
    });
    const a = attributeEvent(
      ['alice', 'bob', 'carol'],
      seen(true, c('alice', 0.05, 0.4, 0.4), doubtful('bob', 5.5), doubtful('carol', 3)),
    );
    expect(a).toMatchObject({ sessionId: 'alice', evidence: { rule: 'reach+others-elsewhere' } });
    // carol's doubt links her to a track that came near the lane: she may be the one at it
    const b = attributeEvent(
      ['alice', 'bob', 'carol'],
      seen(true, c('alice', 0.05, 0.4, 0.4), doubtful('bob', 5.5), doubtful('carol', 0.4)),
    );
    expect(b).toMatchObject({ sessionId: null, evidence: { rule: 'identity-doubtful' } });
    expect(b.candidates).toEqual(['alice', 'carol']);
    // no alibi (the cameras cannot say where carol was): as before
    const c2 = attributeEvent(
      ['alice', 'bob', 'carol'],
      seen(true, c('alice', 0.05, 0.4, 0.4), doubtful('bob', 5.5), doubtful('carol', undefined)),
    );
    expect(c2.candidates).toEqual(['alice', 'carol']);
  });

  it('refuses when a person on no session reached in while the one shopper inside was seen elsewhere', () => {
    const a = attributeEvent(['alice'], seen(true, c('alice', null, 6), c(null, 0.1, 0.5)));
    expect(a).toMatchObject({ sessionId: null, evidence: { rule: 'stranger-at-lane' } });
    // alice not seen elsewhere: the track on no session is most likely her, found again after a loss
    const b = attributeEvent(['alice'], seen(true, c('alice', null, null), c(null, 0.1, 0.5)));
    expect(b).toMatchObject({ sessionId: 'alice', attribution: 'sole-session' });
  });

  it('gives a hand on no session to the one shopper not seen elsewhere, and to staff otherwise', () => {
    const a = attributeEvent(
      ['alice', 'bob'],
      seen(true, c('alice', null, null), c('bob', null, 7), c(null, 0.05, 0.4)),
    );
    expect(a).toMatchObject({
      sessionId: 'alice',
      attribution: 'vision',
      evidence: { rule: 'reach+unbound-track' },
    });
    const b = attributeEvent(
      ['alice', 'bob'],
      seen(true, c('alice', null, null), c('bob', null, null), c(null, 0.05, 0.4)),
    );
    expect(b).toMatchObject({ sessionId: null, evidence: { rule: 'unbound-at-lane' } });
    const c3 = attributeEvent(
      ['alice', 'bob'],
      seen(true, c('alice', null, 5), c('bob', null, 7), c(null, 0.05, 0.4)),
    );
    expect(c3).toMatchObject({ sessionId: null, evidence: { rule: 'stranger-at-lane' } });
  });

  it('asks staff only about the shoppers the cameras did not see elsewhere', () => {
    const a = attributeEvent(
      ['alice', 'bob', 'carol', 'dan'],
      seen(true, c('alice', 0.1, 0.5), c('bob', 0.15, 0.6), c('carol', null, 8), c('dan', null, null)),
    );
    expect(a).toMatchObject({ sessionId: null, evidence: { rule: 'close-call' } });
    expect(a.candidates).toEqual(['alice', 'bob', 'dan']);
  });

  it('does not ask about shoppers out of reach while another hand was surely in the lane', () => {
    // alice's hand, surely hers, was in the lane but her identity is in doubt; bob and carol, in doubt too,
    // came no nearer than 1.5 m and 0.9 m whichever track they were on (`alibiM`, doubts followed)
    const hers = { ...c('alice', 0.05, 0.45, 0.5), atChange: { handM: 0.05, handOwner: 1 } };
    const bob = { ...c('bob', 1.5, 1.6, 0.5), alibiM: 1.5 };
    const carol = { ...c('carol', 0.9, 1.0, 0.5), alibiM: 0.9 };
    const a = attributeEvent(['alice', 'bob', 'carol'], {
      ...seen(true, hers, bob, carol),
      laneHalfWidthM: 0.25,
    });
    expect(a).toMatchObject({ sessionId: null, evidence: { rule: 'identity-doubtful' } });
    // carol could have reached it past alice (an arm along the shelf from within 1.2 m)
    expect(a.candidates).toEqual(['alice', 'carol']);
    // no hand surely in the lane: bob stays a candidate
    const unsure = { ...hers, atChange: { handM: 0.05, handOwner: 0.5 } };
    const b = attributeEvent(['alice', 'bob', 'carol'], {
      ...seen(true, unsure, bob, carol),
      laneHalfWidthM: 0.25,
    });
    expect(b.candidates).toEqual(['alice', 'carol', 'bob']);
  });

  it('keeps naming those not elsewhere when all of them were out of reach of a stranger’s hand in the lane', () => {
    // a person on no session reached in, surely their own hand; alice and bob stood 2.4 m off, carol 9 m
    const stranger = { ...c(null, 0.05, 0.45), atChange: { handM: 0.05, handOwner: 1 } };
    const a = attributeEvent(['alice', 'bob', 'carol'], {
      ...seen(
        true,
        stranger,
        { ...c('alice', 2.4, 2.4), alibiM: 2.4 },
        { ...c('bob', 2.4, 2.5), alibiM: 2.4 },
        { ...c('carol', 9, 9), alibiM: 9 },
      ),
      laneHalfWidthM: 0.25,
    });
    expect(a.sessionId).toBeNull();
    expect([...a.candidates].sort()).toEqual(['alice', 'bob']);
  });

  it('refuses several units at once when someone else stood at the lane too', () => {
    const two = { ...seen(true, c('alice', 0.05, 0.45), c('bob', null, 0.9)), units: 2 };
    expect(attributeEvent(['alice', 'bob'], two)).toMatchObject({
      sessionId: null,
      evidence: { rule: 'several-units-several-people' },
    });
    // a step farther off: only while none of their hands was seen (they may have reached in unseen)
    const handsElsewhere = { ...seen(true, c('alice', 0.05, 0.45), c('bob', 1.0, 1.1)), units: 2 };
    expect(attributeEvent(['alice', 'bob'], handsElsewhere)).toMatchObject({
      sessionId: 'alice',
      attribution: 'vision',
    });
    const handsUnseen = { ...seen(true, c('alice', 0.05, 0.45), c('bob', null, 1.1)), units: 2 };
    expect(attributeEvent(['alice', 'bob'], handsUnseen)).toMatchObject({
      sessionId: null,
      evidence: { rule: 'several-units-several-people' },
    });
    const handNear = { ...seen(true, c('alice', 0.05, 0.45), c('bob', 0.5, 1.1)), units: 2 };
    expect(attributeEvent(['alice', 'bob'], handNear)).toMatchObject({ sessionId: null });
    const alone = { ...seen(true, c('alice', 0.05, 0.45), c('bob', null, 5)), units: 2 };
    expect(attributeEvent(['alice', 'bob'], alone)).toMatchObject({
      sessionId: 'alice',
      attribution: 'vision',
    });
  });

  it('several units with a neighbour at the lane whose hands were seen only in another lane while it changed', () => {
    const withBob = (bobAtChange: number | null, bobHandM: number, bobBodyM = 0.65) => ({
      ...seen(
        true,
        { ...c('alice', 0.05, 0.6), handOwner: 1, atChange: { handM: 0.05, handOwner: 1 } },
        { ...c('bob', bobHandM, bobBodyM), atChange: { handM: bobAtChange } },
      ),
      units: 2,
    });
    // bob stood beside the lane, but his arm was in the next lane but one the whole time the weight changed
    expect(attributeEvent(['alice', 'bob'], withBob(0.75, 0.72))).toMatchObject({
      sessionId: 'alice',
      attribution: 'vision',
    });
    // his hand not seen during the change: he may have lifted one unseen
    expect(attributeEvent(['alice', 'bob'], withBob(null, 0.72)).evidence.rule).toBe(
      'several-units-several-people',
    );
    // his hand near the lane at some moment of the window: he may have taken one
    expect(attributeEvent(['alice', 'bob'], withBob(0.75, 0.5)).sessionId).toBeNull();
    // the lane out of sight: an arm in it would not have been seen
    expect(
      attributeEvent(['alice', 'bob'], { ...withBob(0.75, 0.72), laneSeen: false }).sessionId,
    ).toBeNull();
  });

  it('judges hands by where they were while the weight changed, when a hand was seen near the lane then', () => {
    const timed = (sessionId: string, handM: number, bodyM: number, atChange: number | null) => ({
      ...c(sessionId, handM, bodyM),
      handOwner: 1,
      atChange: atChange === null ? { handM: null } : { handM: atChange, handOwner: 1 },
    });
    // alice's hand left the lane before the weight began to change (her own pick a second earlier); bob's
    // was in it during the change
    const a = attributeEvent(
      ['alice', 'bob'],
      seen(true, timed('alice', 0.06, 0.45, null), timed('bob', 0.07, 0.5, 0.07)),
    );
    expect(a).toMatchObject({ sessionId: 'bob', attribution: 'vision' });
    expect(a.confidence).toBeGreaterThan(0.9);
    // both in the lane during the change: the close call it always was
    expect(
      attributeEvent(
        ['alice', 'bob'],
        seen(true, timed('alice', 0.06, 0.45, 0.06), timed('bob', 0.07, 0.5, 0.07)),
      ).evidence.rule,
    ).toBe('close-call');
    // no hand seen near the lane during the change (a frame gap): the whole window's hands decide, as before
    expect(
      attributeEvent(
        ['alice', 'bob'],
        seen(true, timed('alice', 0.06, 0.45, null), timed('bob', 0.07, 0.5, 0.9)),
      ).evidence.rule,
    ).toBe('close-call');
  });

  it('refuses when nobody was near the lane', () => {
    const a = attributeEvent(['alice', 'bob'], seen(true, c('alice', null, 4), c('bob', null, 7)));
    expect(a).toMatchObject({ sessionId: null, evidence: { rule: 'nobody-at-lane' } });
  });

  it('is a function of its evidence alone (replayable)', () => {
    const evidence = seen(true, c('alice', 0.3, 0.6), c('bob', 0.5, 0.7), c('carol', null, 2));
    expect(attributeEvent(['alice', 'bob', 'carol'], evidence)).toEqual(
      attributeEvent(['alice', 'bob', 'carol'], structuredClone(evidence)),
    );
  });
});

describe('attributeEvent with the detector naming whose hand it was', () => {
  const owned = (sessionId: string, handM: number, bodyM: number, handOwner: number) => ({
    ...c(sessionId, handM, bodyM),
    handOwner,
  });
  const fullWeight = { ...DEFAULT_FUSION.attribution, bodyBesideOwnedHand: 1 };

  it('a hand surely tied to its owner outweighs two neighbours standing as close without a hand in the lane', () => {
    const evidence = seen(true, owned('mia', 0.08, 0.5, 0.95), c('ada', null, 0.5), c('ben', null, 0.5));
    // standing by counts fully: the middle shopper of three is a close call
    expect(attributeEvent(['ada', 'mia', 'ben'], evidence, fullWeight).evidence.rule).toBe('close-call');
    const a = attributeEvent(['ada', 'mia', 'ben'], evidence);
    expect(a).toMatchObject({ sessionId: 'mia', attribution: 'vision', evidence: { rule: 'reach' } });
    expect(a.confidence).toBeGreaterThanOrEqual(0.9);
  });

  it('a contested hand, a hand beside the lane or an unseen lane leave standing by at full weight', () => {
    const three = (mia: CandidateEvidence, laneSeen = true) =>
      attributeEvent(['ada', 'mia', 'ben'], seen(laneSeen, mia, c('ada', null, 0.5), c('ben', null, 0.5)))
        .evidence.rule;
    expect(three(owned('mia', 0.08, 0.5, 0.2))).toBe('close-call');
    // a crossing arm's hand lands off the lane's centre, where the owner output errs most
    expect(three(owned('mia', 0.18, 0.5, 1))).toBe('close-call');
    expect(three(owned('mia', 0.4, 0.5, 1))).toBe('close-call');
    expect(three(c('mia', 0.12, 0.5))).toBe('close-call');
    expect(three(owned('mia', 0.12, 0.5, 1), false)).toBe('close-call');
  });

  it("an owned hand off the lane's centre is believed only inside the lane", () => {
    // a neighbour standing by whose hands were not seen reaching anywhere
    const at = (handM: number, laneHalfWidthM?: number) =>
      attributeEvent(['jay', 'hugo'], {
        ...seen(true, owned('jay', handM, 0.62, 1), c('hugo', null, 0.68)),
        ...(laneHalfWidthM === undefined ? {} : { laneHalfWidthM }),
      });
    // 0.5 m lanes: 0.14 m off is well inside
    expect(at(0.14, 0.25)).toMatchObject({
      sessionId: 'jay',
      evidence: { rule: 'reach', laneHalfWidthM: 0.25 },
    });
    // 0.4 m lanes: 0.14 m off is near the edge to the next lane, still in this one
    expect(at(0.14, 0.2).sessionId).toBe('jay');
    // past the edge: in the next lane
    expect(at(0.21, 0.2).evidence.rule).toBe('close-call');
    // evidence that does not say how wide the lane is: only squarely in it (`ownedHandInLaneM`)
    expect(at(0.17).sessionId).toBe('jay');
    expect(at(0.171).evidence.rule).toBe('close-call');
  });

  it("an owned hand near the lane's edge is believed when nobody else's hand was in the lane", () => {
    // the neighbour's hands seen only a lane or more off, or not at all: no other arm the hand could be
    const at = (handM: number, hugo: CandidateEvidence, laneHalfWidthM: number | null = 0.25) =>
      attributeEvent(['jay', 'hugo'], {
        ...seen(true, owned('jay', handM, 0.62, 1), hugo),
        ...(laneHalfWidthM === null ? {} : { laneHalfWidthM }),
      });
    const a = at(0.22, c('hugo', null, 0.68));
    expect(a).toMatchObject({ sessionId: 'jay', attribution: 'vision', evidence: { rule: 'reach' } });
    expect(a.confidence).toBeGreaterThanOrEqual(0.9);
    expect(at(0.22, c('hugo', 0.5, 0.68)).sessionId).toBe('jay');
    // past the lane's half width the hand is not in it
    expect(at(0.26, c('hugo', null, 0.68)).evidence.rule).toBe('close-call');
    // another hand within a lane's width of it: that may be the arm that reached in
    expect(at(0.22, c('hugo', 0.35, 0.68)).evidence.rule).toBe('close-call');
    // ...also when it was in the lane only around the change, missed by the frames while the weight changed
    const timedJay = { ...owned('jay', 0.22, 0.62, 1), atChange: { handM: 0.22, handOwner: 1 } };
    const hugoBefore = { ...c('hugo', 0.08, 0.68), atChange: { handM: null } };
    expect(
      attributeEvent(['jay', 'hugo'], { ...seen(true, timedJay, hugoBefore), laneHalfWidthM: 0.25 }).evidence
        .rule,
    ).toBe('close-call');
    // an unsure owner, or evidence that does not say how wide the lane is: squarely only
    expect(
      attributeEvent(['jay', 'hugo'], {
        ...seen(true, owned('jay', 0.22, 0.62, 0.5), c('hugo', null, 0.68)),
        laneHalfWidthM: 0.25,
      }).evidence.rule,
    ).toBe('close-call');
    expect(at(0.22, c('hugo', null, 0.68), null).evidence.rule).toBe('close-call');
    // someone reaching across toward the lane: nobody's hand in it is believed
    expect(at(0.22, c('hugo', 0.45, 1.1)).evidence.rule).toBe('close-call');
  });

  it("a neighbour's hand in the lane just before, from their own pick there, does not keep the owned hand from being believed", () => {
    // same-lane-02 of the suite: jay takes from S05-L03 at 12.1 s, eva reaches past him into it at 13.1 s; jay's
    // arm is still in the lane when eva's hand goes in, and out before her item comes off
    const eva = { ...owned('eva', 0.171, 0.64, 1), atChange: { handM: 0.171, handOwner: 1 } };
    const jay = (extra: Partial<CandidateEvidence>) => ({
      ...owned('jay', 0.062, 0.454, 1),
      atChange: { handM: null },
      afterChange: { handM: null },
      ownLaneEventBeforeMs: 750,
      ...extra,
    });
    const at = (j: CandidateEvidence) =>
      attributeEvent(['jay', 'eva'], { ...seen(true, eva, j), laneHalfWidthM: 0.25 });
    const billed = at(jay({}));
    expect(billed).toMatchObject({ sessionId: 'eva', attribution: 'vision', evidence: { rule: 'reach' } });
    expect(billed.confidence).toBeGreaterThanOrEqual(0.9);
    // his hand in the lane again after the change: that may be the arm that lifted it
    expect(at(jay({ afterChange: { handM: 0.1 } })).evidence.rule).toBe('close-call');
    // ...or while it changed
    expect(at(jay({ atChange: { handM: 0.1, handOwner: 1 } })).sessionId).toBeNull();
    // his own event there ended too long before to explain his hand, or he had none
    expect(at(jay({ ownLaneEventBeforeMs: 4000 })).evidence.rule).toBe('close-call');
    const { ownLaneEventBeforeMs: _, ...noOwnEvent } = jay({});
    expect(at(noOwnEvent).evidence.rule).toBe('close-call');
    // evidence of an older edge, which did not measure the hands after the change
    const { afterChange: __, ...older } = jay({});
    expect(at(older).evidence.rule).toBe('close-call');
  });

  it('a neighbour reaching across toward the lane (hand half a metre off, body far along) still counts in full', () => {
    // crossing arms: the one who reached in is seen with a hand ~0.45 m off, their hand in the lane given
    // to the neighbour — billing the neighbour would be a confident mistake
    const crossing = seen(
      true,
      owned('dev', 0.022, 0.486, 1),
      c('eva', 0.486, 0.684),
      c('ada', 0.473, 1.086),
    );
    expect(attributeEvent(['dev', 'eva', 'ada'], crossing).evidence.rule).toBe('close-call');
    // a narrower "away" would bill it
    const narrow = { ...DEFAULT_FUSION.attribution, otherHandAwayM: 0.3 };
    expect(attributeEvent(['dev', 'eva', 'ada'], crossing, narrow).sessionId).toBe('dev');
  });

  it("a hand just outside the lane, not surely its owner's, bills nobody while someone could have reached past", () => {
    // crossing-arms-03 of the generated seed 5151: hugo, two lanes along, reaches past leo into the lane; the
    // hand is found 0.28 m short of the lane's reach point, in front of leo, and given to him at 0.47
    const pastLeo = (leo: CandidateEvidence, hugoBodyM = 1.038) => ({
      ...seen(true, leo, c('hugo', 0.943, hugoBodyM)),
      laneHalfWidthM: 0.25,
    });
    const leo = (handM: number, handOwner: number) => ({
      ...owned('leo', handM, 0.636, handOwner),
      atChange: { handM, handOwner },
    });
    expect(attributeEvent(['leo', 'hugo'], pastLeo(leo(0.283, 0.47))).evidence.rule).toBe('close-call');
    // nobody else within a long arm's reach, the hand surely leo's, or the hand inside the lane: leo's pick
    for (const evidence of [
      pastLeo(leo(0.283, 0.47), 1.5),
      pastLeo(leo(0.283, 0.9)),
      pastLeo(leo(0.2, 0.47)),
    ]) {
      const a = attributeEvent(['leo', 'hugo'], evidence);
      expect(a).toMatchObject({ sessionId: 'leo', evidence: { rule: 'reach' } });
    }
  });

  it("a hand in the lane, not surely its owner's, bills nobody while someone within reach had no hand seen", () => {
    // crossing-arms-02 (suite), once the arm-tip model put a reach past finn where the arm ends: dev, 1.04 m
    // from the lane, reached past finn; the hand was found in the lane and given to finn at 0.31
    const pastFinn = (finnOwner: number, dev: CandidateEvidence) => ({
      ...seen(
        true,
        { ...owned('finn', 0.047, 0.655, finnOwner), atChange: { handM: 0.049, handOwner: finnOwner } },
        dev,
      ),
      laneHalfWidthM: 0.25,
    });
    const devUnseen = { ...c('dev', 0.827, 1.037), atChange: { handM: null } };
    expect(attributeEvent(['finn', 'dev'], pastFinn(0.308, devUnseen)).evidence.rule).toBe('close-call');
    // dev's own hand seen elsewhere while the weight changed (farther than `otherHandAwayM`), dev out of reach,
    // or the hand surely finn's: his
    const devHandElsewhere = { ...c('dev', 0.65, 1.037), atChange: { handM: 0.65 } };
    for (const evidence of [
      pastFinn(0.308, devHandElsewhere),
      pastFinn(0.308, { ...devUnseen, bodyM: 1.5 }),
      pastFinn(0.9, devUnseen),
    ]) {
      expect(attributeEvent(['finn', 'dev'], evidence)).toMatchObject({
        sessionId: 'finn',
        evidence: { rule: 'reach' },
      });
    }
  });

  it("a hand in the lane, not surely its owner's, bills nobody while someone within reach was reaching across", () => {
    // crossing-arms-03 of the generated seed 8383: ada, 1.04 m from the lane, reached past gia into it; her hand
    // was found 0.36 m short of the lane, on its way, and the hand in the lane given to gia at 0.22 — billed to
    // gia at 0.935 before this rule (a confident mistake)
    const pastGia = (giaOwner: number, ada: CandidateEvidence) => ({
      ...seen(
        true,
        { ...owned('gia', 0.091, 0.679, giaOwner), atChange: { handM: 0.091, handOwner: giaOwner } },
        ada,
      ),
      laneHalfWidthM: 0.25,
    });
    const adaReaching = { ...c('ada', 0.363, 1.035), atChange: { handM: 0.363 } };
    expect(attributeEvent(['gia', 'ada'], pastGia(0.219, adaReaching)).evidence.rule).toBe('close-call');
    // ada's hand straight in front of her (not across), ada out of reach, or the hand surely gia's: gia's
    const adaInFront = { ...c('ada', 0.363, 0.6), atChange: { handM: 0.363 } };
    for (const evidence of [
      pastGia(0.219, adaInFront),
      pastGia(0.219, { ...adaReaching, bodyM: 1.5 }),
      pastGia(0.9, adaReaching),
    ]) {
      expect(attributeEvent(['gia', 'ada'], evidence)).toMatchObject({
        sessionId: 'gia',
        evidence: { rule: 'reach' },
      });
    }
  });

  it('neighbours with a hand in the lane in front of them (a lane off) are not taken for the picker', () => {
    // four shoulder to shoulder, each reaching into their own lane: the neighbours' hands half a metre off,
    // straight ahead of their bodies
    const crowd = seen(
      true,
      owned('eva', 0.06, 0.46, 1),
      c('ada', 0.5, 0.68),
      c('leo', 0.5, 0.68),
      c('kira', 0.97, 1.14),
    );
    const a = attributeEvent(['eva', 'ada', 'leo', 'kira'], crowd);
    expect(a).toMatchObject({ sessionId: 'eva', attribution: 'vision', evidence: { rule: 'reach' } });
    expect(a.confidence).toBeGreaterThanOrEqual(0.9);
    // the same crowd with one of them reaching across from two lanes along: nobody's owned hand is believed
    const across = seen(
      true,
      owned('eva', 0.06, 0.46, 1),
      c('ada', 0.5, 0.68),
      c('leo', 0.5, 0.68),
      c('kira', 0.47, 1.09),
    );
    expect(attributeEvent(['eva', 'ada', 'leo', 'kira'], across).evidence.rule).toBe('close-call');
    // a hand nearer than a lane's width off keeps its owner in the running
    const near = seen(true, owned('eva', 0.06, 0.46, 1), c('ada', 0.3, 0.55), c('leo', 0.5, 0.68));
    expect(attributeEvent(['eva', 'ada', 'leo'], near).evidence.rule).toBe('close-call');
  });

  it('a neighbour standing by whose hands the cameras saw only in another lane counts at the reduced share', () => {
    // shoulder to shoulder, each taking from the lane beside them: the picker's owned hand is seen 0.2 m off
    // (past the lane's inner part), the neighbour stood as close with their arm in a lane 0.7 m away
    const evidence = (neighbour: CandidateEvidence, laneSeen = true) =>
      seen(laneSeen, owned('gia', 0.196, 0.62, 1), neighbour, c('finn', 1.25, 1.53));
    const a = attributeEvent(['gia', 'cleo', 'finn'], evidence(c('cleo', 0.71, 0.67)));
    expect(a).toMatchObject({ sessionId: 'gia', attribution: 'vision', evidence: { rule: 'reach' } });
    expect(a.confidence).toBeGreaterThanOrEqual(0.9);
    // the neighbour's hands never seen: their arm may have been in this lane unseen
    expect(attributeEvent(['gia', 'cleo', 'finn'], evidence(c('cleo', null, 0.67))).evidence.rule).toBe(
      'close-call',
    );
    // the lane out of sight: an arm in it would not have been seen either
    expect(
      attributeEvent(['gia', 'cleo', 'finn'], evidence(c('cleo', 0.71, 0.67), false)).sessionId,
    ).toBeNull();
    // someone reaching across toward the lane: hands are not where their owners' arms are
    const across = seen(true, owned('gia', 0.196, 0.62, 1), c('cleo', 0.71, 0.67), c('finn', 0.47, 1.09));
    expect(attributeEvent(['gia', 'cleo', 'finn'], across).sessionId).toBeNull();
  });

  it("a neighbour's hand just outside the lane, beside an owned hand squarely in it, counts as standing by", () => {
    // crossing-arms-03: the one reaching in from a lane over, surely theirs; the neighbour in front of the
    // next lane with a hand (unsure) 1 cm past this lane's edge
    const at = (neighbourHandM: number, laneHalfWidthM?: number) =>
      attributeEvent(['ada', 'leo'], {
        ...seen(true, owned('ada', 0.017, 0.62, 1), c('leo', neighbourHandM, 0.64)),
        ...(laneHalfWidthM === undefined ? {} : { laneHalfWidthM }),
      });
    const outside = at(0.262, 0.25);
    expect(outside).toMatchObject({ sessionId: 'ada', attribution: 'vision' });
    expect(outside.confidence).toBeGreaterThanOrEqual(0.9);
    // inside the lane, or a lane of unknown width: near enough to have lifted it
    expect(at(0.24, 0.25).evidence.rule).toBe('close-call');
    expect(at(0.262).evidence.rule).toBe('close-call');
  });

  it("a hand in the lane not surely its owner's, beside an owned hand squarely in it, counts by its owner confidence", () => {
    // crossing-arms-02 of the generated seed 20202: kira's hand surely hers 4 mm from the reach point; ben, who
    // reached past her into the next lane a moment later, had a hand 8 cm off given to him at 0.016
    const at = (benOwner: number | undefined) =>
      attributeEvent(['cleo', 'kira', 'ben'], {
        ...seen(
          true,
          { ...c('cleo', 0.371, 0.671), atChange: { handM: null } },
          { ...owned('kira', 0.004, 0.482, 0.947), atChange: { handM: 0.004, handOwner: 0.947 } },
          {
            ...c('ben', 0.05, 0.632),
            ...(benOwner === undefined ? {} : { handOwner: benOwner }),
            atChange: { handM: 0.077, ...(benOwner === undefined ? {} : { handOwner: benOwner }) },
          },
        ),
        laneHalfWidthM: 0.25,
      });
    const a = at(0.016);
    expect(a).toMatchObject({ sessionId: 'kira', attribution: 'vision', evidence: { rule: 'reach' } });
    expect(a.confidence).toBeGreaterThanOrEqual(0.9);
    // ben's hand half his (0.5), surely his too, or of unknown owner (a detector without the owner output):
    // it may be the hand that lifted it
    for (const benOwner of [0.5, 0.8, undefined]) expect(at(benOwner).evidence.rule).toBe('close-call');
  });

  it('neighbours whose only hand in the lane is an unsure copy of an owned hand count as standing by', () => {
    // crowd-at-shelf-02 of the generated seed 70707: nils's hand surely his 6 mm from the reach point; the
    // two standing either side each had a copy of it 8 cm off, given to them at owner confidence 0
    const copy = (sessionId: string, owner: number) => ({
      ...c(sessionId, 0.084, 0.66),
      handOwner: owner,
      atChange: { handM: 0.084, handOwner: owner },
    });
    const at = (owner: number) =>
      attributeEvent(['hugo', 'nils', 'jay', 'eva'], {
        ...seen(
          true,
          copy('hugo', owner),
          { ...owned('nils', 0.006, 0.458, 0.94), atChange: { handM: 0.006, handOwner: 0.94 } },
          copy('jay', owner),
          { ...c('eva', 0.998, 1.122), atChange: { handM: 0.998 } },
        ),
        laneHalfWidthM: 0.25,
      });
    const a = at(0);
    expect(a).toMatchObject({ sessionId: 'nils', attribution: 'vision', evidence: { rule: 'reach' } });
    expect(a.confidence).toBeGreaterThanOrEqual(0.9);
    // copies the detector half gave them: either may be the hand that lifted it
    expect(at(0.5).evidence.rule).toBe('close-call');
  });

  it("an owned hand still in the lane from its owner's own pick a moment before does not discount the other hand", () => {
    // two take from one lane 0.2 s apart: eva's hand, surely hers, is still in it from her own pick when leo's
    // hand, given to him at 0.02, lifts the second unit
    const at = (evaPickedBeforeMs: number | undefined) =>
      attributeEvent(['eva', 'leo'], {
        ...seen(
          true,
          {
            ...owned('eva', 0.048, 0.477, 1),
            atChange: { handM: 0.048, handOwner: 1 },
            ...(evaPickedBeforeMs === undefined ? {} : { ownLaneEventBeforeMs: evaPickedBeforeMs }),
          },
          { ...owned('leo', 0.009, 0.668, 0.02), atChange: { handM: 0.009, handOwner: 0.02 } },
        ),
        laneHalfWidthM: 0.25,
      }).evidence.rule;
    expect(at(200)).toBe('close-call');
    expect(at(undefined)).toBe('reach');
  });

  it('a neighbour whose own hand came near the lane still counts in full', () => {
    const a = attributeEvent(
      ['ada', 'mia'],
      seen(true, owned('mia', 0.1, 0.5, 1), owned('ada', 0.2, 0.5, 1)),
    );
    expect(a.evidence.rule).toBe('close-call');
  });
});
