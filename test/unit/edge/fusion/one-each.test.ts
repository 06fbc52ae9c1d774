import { describe, expect, it } from 'vitest';
import { DEFAULT_FUSION } from '../../../../edge/fusion/fusion-settings.ts';
import { oneEach, shareOut } from '../../../../edge/fusion/one-each.ts';
import type {
  AttributionEvidence,
  CandidateEvidence,
} from '../../../../shared/schemas/attribution-evidence.ts';
import { shelfEvent } from '../../../support/shelf-event.ts';

const settings = DEFAULT_FUSION.attribution;

/** A shopper whose hand `track` was `handM` off the lane's reach point while the weight changed. */
const hand = (
  sessionId: string | null,
  track: string,
  handM: number,
  handOwner: number,
  more: Partial<CandidateEvidence> = {},
): CandidateEvidence => ({
  sessionId,
  handM,
  bodyM: 0.5,
  identity: 1,
  handOwner,
  atChange: { handM, handOwner },
  handTrack: track,
  ...more,
});

const evidence = (units: number, ...candidates: CandidateEvidence[]): Omit<AttributionEvidence, 'rule'> => ({
  vision: true,
  laneSeen: true,
  units,
  laneHalfWidthM: 0.25,
  candidates,
});

describe('oneEach', () => {
  it('gives one unit to each of two shoppers whose owned hands were in the lane as two units left', () => {
    const shares = oneEach(evidence(2, hand('jo', 'T1', 0.08, 1), hand('kim', 'T2', 0.1, 0.85)), settings);
    expect(shares).toEqual([
      { sessionId: 'jo', count: 1, confidence: 1 },
      { sessionId: 'kim', count: 1, confidence: 0.85 },
    ]);
  });

  it('shares nothing when one hand is not surely its owner’s (it may be the other one’s second hand)', () => {
    expect(
      oneEach(
        evidence(2, hand('jo', 'T1', 0.08, 1), { ...hand('kim', 'T2', 0.1, 0.1), handOwner: 0.58 }),
        settings,
      ),
    ).toBe(undefined);
  });

  it('shares nothing when the hands do not match the units, or one unit left', () => {
    const two = [hand('jo', 'T1', 0.08, 1), hand('kim', 'T2', 0.1, 1)];
    expect(oneEach(evidence(3, ...two), settings)).toBe(undefined);
    expect(oneEach(evidence(1, ...two), settings)).toBe(undefined);
    expect(oneEach(evidence(2, two[0] as CandidateEvidence), settings)).toBe(undefined);
  });

  it('shares nothing when a hand was outside the lane, or the lane out of sight', () => {
    expect(oneEach(evidence(2, hand('jo', 'T1', 0.08, 1), hand('kim', 'T2', 0.3, 1)), settings)).toBe(
      undefined,
    );
    const unseen = { ...evidence(2, hand('jo', 'T1', 0.08, 1), hand('kim', 'T2', 0.1, 1)), laneSeen: false };
    expect(oneEach(unseen, settings)).toBe(undefined);
  });

  it('shares nothing when a third hand came near the lane, even a stranger’s', () => {
    const third = { sessionId: 'ann', handM: 0.3, bodyM: 0.7, identity: 1 };
    expect(oneEach(evidence(2, hand('jo', 'T1', 0.08, 1), hand('kim', 'T2', 0.1, 1), third), settings)).toBe(
      undefined,
    );
    const stranger = { sessionId: null, handM: 0.35, bodyM: 0.8, identity: 1 };
    expect(
      oneEach(evidence(2, hand('jo', 'T1', 0.08, 1), hand('kim', 'T2', 0.1, 1), stranger), settings),
    ).toBe(undefined);
    // someone standing by with their hand a lane or more off does not stop it
    const byStander = { sessionId: 'ann', handM: 0.55, bodyM: 0.7, identity: 1, atChange: { handM: 0.55 } };
    expect(
      oneEach(evidence(2, hand('jo', 'T1', 0.08, 1), hand('kim', 'T2', 0.1, 1), byStander), settings),
    ).toHaveLength(2);
  });

  it('shares nothing when both hands are on one track (one person, two hands)', () => {
    expect(oneEach(evidence(2, hand('jo', 'T1', 0.08, 1), hand('kim', 'T1', 0.1, 1)), settings)).toBe(
      undefined,
    );
  });

  it('gives each a unit while their identities are in doubt only when the doubts stay among these hands', () => {
    const swapped = (personOn?: string[]) =>
      evidence(
        2,
        hand('jo', 'T1', 0.08, 1, { identity: 0.5, ...(personOn === undefined ? {} : { personOn }) }),
        hand('kim', 'T2', 0.1, 1, { identity: 0.5, personOn: ['T2', 'T1'] }),
      );
    expect(oneEach(swapped(['T1', 'T2']), settings)).toHaveLength(2);
    // jo's person may be on T3, someone else's hand or nobody's: the units may not be jo's
    expect(oneEach(swapped(['T1', 'T3']), settings)).toBe(undefined);
    // nobody can say where jo's person was
    expect(oneEach(swapped(), settings)).toBe(undefined);
  });
});

describe('shareOut', () => {
  it('bills each share as its own part of the event, with its units and grams', () => {
    const event = shelfEvent({
      eventId: 'S01-LC03@7',
      deltaGrams: -800,
      hypotheses: [{ sku: 'COLA-330', count: 2, likelihood: 0.9 }],
      sessionId: null,
      attribution: 'unattributed',
      confidence: 0,
      evidence: { ...evidence(2), rule: 'close-call' },
    });
    const parts = shareOut(event, [
      { sessionId: 'jo', count: 1, confidence: 1 },
      { sessionId: 'kim', count: 1, confidence: 0.85 },
    ]);
    expect(parts.map((p) => [p.eventId, p.sessionId, p.hypotheses, p.deltaGrams, p.confidence])).toEqual([
      ['S01-LC03@7/1', 'jo', [{ sku: 'COLA-330', count: 1, likelihood: 0.9 }], -400, 1],
      ['S01-LC03@7/2', 'kim', [{ sku: 'COLA-330', count: 1, likelihood: 0.9 }], -400, 0.85],
    ]);
    expect(parts.every((p) => p.attribution === 'vision' && p.evidence?.rule === 'close-call+one-each')).toBe(
      true,
    );
  });
});

describe('oneEach surety', () => {
  it('takes a hand’s owner at its surest around the event, and bills the part with it', () => {
    const kim = { ...hand('kim', 'T2', 0.12, 0.5), handOwner: 0.9 };
    expect(oneEach(evidence(2, hand('jo', 'T1', 0.08, 1), kim), settings)?.map((s) => s.confidence)).toEqual([
      1, 0.9,
    ]);
  });
});
