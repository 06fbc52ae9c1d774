import { describe, expect, it } from 'vitest';
import { othersSeen, wasAtLane } from '../../../../edge/fusion/exit-match.ts';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import type { CandidateEvidence } from '../../../../shared/schemas/attribution-evidence.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';

describe('wasAtLane', () => {
  const event = (candidates: CandidateEvidence[]) =>
    ({
      evidence: { vision: true, laneSeen: true, candidates, rule: 'identity-doubtful' },
    }) as unknown as ShelfEvent;
  const c = (sessionId: string | null, handM: number | null, bodyM: number | null, tracks: string[]) => ({
    sessionId,
    handM,
    bodyM,
    identity: 0.5,
    tracks,
  });

  it('is true for the one hand in the lane', () => {
    expect(wasAtLane(event([c('alice', 0.05, 0.4, ['T1']), c('bob', null, 1.4, ['T2'])]), 'T1')).toBe(true);
    expect(wasAtLane(event([c('alice', 0.05, 0.4, ['T1']), c('bob', null, 1.4, ['T2'])]), 'T2')).toBe(false);
  });

  it('is false when someone else stood at the lane too, or the refusal was a close call', () => {
    expect(wasAtLane(event([c('alice', null, 0.45, ['T1']), c('bob', null, 0.63, ['T2'])]), 'T1')).toBe(
      false,
    );
    const closeCall = {
      evidence: {
        vision: true,
        laneSeen: true,
        candidates: [c('alice', 0.05, 0.4, ['T1'])],
        rule: 'close-call',
      },
    } as unknown as ShelfEvent;
    expect(wasAtLane(closeCall, 'T1')).toBe(false);
  });

  it('is false for several units with someone else beside the lane', () => {
    const twoUnits = {
      evidence: {
        vision: true,
        laneSeen: true,
        units: 2,
        candidates: [c('alice', 0.05, 0.3, ['T1']), c('bob', null, 0.6, ['T2'])],
        rule: 'identity-doubtful',
      },
    } as unknown as ShelfEvent;
    expect(wasAtLane(twoUnits, 'T1')).toBe(false);
  });

  it('is false when another hand was in the lane too, or the track was not there', () => {
    expect(wasAtLane(event([c('alice', 0.05, 0.4, ['T1']), c(null, 0.1, 0.5, ['T7'])]), 'T1')).toBe(false);
    expect(wasAtLane(event([c('alice', 0.05, 0.4, ['T1'])]), 'T3')).toBe(false);
  });

  it('is false for one of several people on no session measured together (whose hand it was is unknown)', () => {
    const e = event([c('alice', null, null, []), c(null, 0.06, 0.41, ['T1', 'T2'])]);
    (e.evidence as { rule: string }).rule = 'unbound-at-lane';
    expect(wasAtLane(e, 'T1')).toBe(false);
    const alone = event([c('alice', null, null, []), c(null, 0.06, 0.41, ['T1'])]);
    (alone.evidence as { rule: string }).rule = 'unbound-at-lane';
    expect(wasAtLane(alone, 'T1')).toBe(true);
  });

  it("with the reacher named, only that track's walk-out settles it — among companions or people on no session", () => {
    const named = (sessionId: string | null, handTrack?: string) => ({
      ...c(sessionId, 0.05, 0.4, ['T5', 'T6']),
      ...(handTrack === undefined ? {} : { handTrack }),
    });
    expect(wasAtLane(event([named(null, 'T5')]), 'T5')).toBe(true);
    expect(wasAtLane(event([named(null, 'T5')]), 'T6')).toBe(false);
    expect(wasAtLane(event([named('fam', 'T5')]), 'T6')).toBe(false);
    // older evidence names nobody: several on no session stay unknown, one session's people count together
    expect(wasAtLane(event([named(null)]), 'T5')).toBe(false);
    expect(wasAtLane(event([named('fam')]), 'T6')).toBe(true);
  });
});

describe('othersSeen', () => {
  const { elsewhereM } = DEFAULT_FUSION.attribution;
  const event = (candidates: Array<{ sessionId: string | null; bodyM: number | null; alibiM?: number }>) =>
    ({
      evidence: {
        vision: true,
        laneSeen: true,
        rule: 'identity-doubtful',
        candidates: candidates.map((c) => ({ ...c, handM: null, identity: 0.5 })),
      },
    }) as unknown as ShelfEvent;

  it('is false while another shopper inside was seen nowhere during the pick (their hand may be on this track)', () => {
    // look-alikes-03: mia unseen at the lane, her hand on leo's track; leo walks out on his own scan
    expect(
      othersSeen(
        event([
          { sessionId: 'mia', bodyM: null },
          { sessionId: 'leo', bodyM: 0.46 },
        ]),
        'leo',
        elsewhereM,
      ),
    ).toBe(false);
    expect(
      othersSeen(
        event([
          { sessionId: 'mia', bodyM: 1.1 },
          { sessionId: 'leo', bodyM: 0.46 },
        ]),
        'leo',
        elsewhereM,
      ),
    ).toBe(true);
  });

  it('does not count the session the track is settled for, nor shoppers the people on no session may be', () => {
    // alice's binding was lost: she is the unbound track at the lane, and the unseen alice of the evidence
    const one = event([
      { sessionId: 'alice', bodyM: null },
      { sessionId: null, bodyM: 0.41 },
    ]);
    expect(othersSeen(one, 'alice', elsewhereM)).toBe(true);
    // bob and carol unseen too, people on no session near the lane: as many as them, or fewer
    const three = event([
      { sessionId: 'alice', bodyM: null },
      { sessionId: 'bob', bodyM: null },
      { sessionId: 'carol', bodyM: null },
      { sessionId: null, bodyM: 0.41 },
    ]);
    const unbound = three.evidence?.candidates[3] as { tracks?: string[] };
    unbound.tracks = ['T1', 'T2'];
    expect(othersSeen(three, 'alice', elsewhereM)).toBe(true);
    unbound.tracks = ['T1'];
    expect(othersSeen(three, 'alice', elsewhereM)).toBe(false);
  });

  it('counts a shopper seen nowhere but far from the lane whatever track they are on, or just in, as seen', () => {
    const withAlibi = (alibiM: number) =>
      event([
        { sessionId: 'mia', bodyM: null, alibiM },
        { sessionId: 'leo', bodyM: 0.46 },
      ]);
    expect(othersSeen(withAlibi(6.2), 'leo', elsewhereM)).toBe(true);
    // near enough to have reached in unseen
    expect(othersSeen(withAlibi(1.2), 'leo', elsewhereM)).toBe(false);
    expect(othersSeen(withAlibi(1.2), 'leo', 1)).toBe(true);
  });
});
