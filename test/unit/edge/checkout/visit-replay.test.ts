import { describe, expect, it } from 'vitest';
import { replayVisit } from '../../../../edge/checkout/visit-replay.ts';
import type {
  AttributionEvidence,
  CandidateEvidence,
} from '../../../../shared/schemas/attribution-evidence.ts';
import { shelfEvent } from '../../../support/shelf-event.ts';

const handIn = (sessionId: string, track: string, handM: number): CandidateEvidence => ({
  sessionId,
  handM,
  bodyM: 0.5,
  identity: 1,
  handOwner: 1,
  atChange: { handM, handOwner: 1 },
  handTrack: track,
});

/** Two units lifted from one lane while jo's and kim's owned hands were both in it. */
const twoHands = (rule: string): AttributionEvidence => ({
  vision: true,
  laneSeen: true,
  units: 2,
  laneHalfWidthM: 0.25,
  candidates: [handIn('jo', 'T1', 0.08), handIn('kim', 'T2', 0.1)],
  rule,
});

describe('replayVisit', () => {
  it('replays a part of an event shared out one each as the same decision', () => {
    const part = shelfEvent({
      eventId: 'S01-LC03@1/2',
      sessionId: 'kim',
      evidence: twoHands('close-call+one-each'),
    });
    const replay = replayVisit('kim', [part], undefined);
    expect(replay.events[0]?.sameDecision).toBe(true);
  });

  it('flags a shared part billed to someone the hands do not give a unit', () => {
    const part = shelfEvent({
      eventId: 'S01-LC03@1/2',
      sessionId: 'ann',
      evidence: twoHands('close-call+one-each'),
    });
    expect(replayVisit('ann', [part], undefined).events[0]?.sameDecision).toBe(false);
  });
});
