// Fusion end to end for two people taking from one lane at once (#13): the tracks' hands are measured around
// the shelf's change of two units, and the event is billed one each, in parts — or, with one hand not surely
// its owner's, sent to staff whole.
import { describe, expect, it } from 'vitest';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { sampleLane, steppedFusion } from '../../../support/fusion-stage.ts';
import { detectedPick, T0 } from '../../../support/shelf-event.ts';
import { trackMessage } from '../../../support/track-message.ts';

const { shelf, lane, reach, cameras } = sampleLane();

/** Jo and Kim stand either side of the lane, each with a hand in it; Kim's owned `kimOwner` sure. */
function twoAtOneLane(kimOwner: number): ShelfEvent[] {
  const { fusion, time, decided } = steppedFusion(T0, {
    sessions: () => [
      { sessionId: 'jo', enteredAt: T0 - 60_000, exitedAt: undefined },
      { sessionId: 'kim', enteredAt: T0 - 60_000, exitedAt: undefined },
    ],
  });
  for (let ts = T0; ts <= T0 + 3000; ts += 100) {
    time.advanceTo(ts);
    const seen = { lastSeenTs: ts };
    fusion.observe({
      ts,
      cameras,
      tracks: [
        trackMessage('T1', 'jo', reach.x - 0.3, reach.y + 0.4, {
          ...seen,
          hands: [{ x: reach.x - 0.05, y: reach.y, ownerConfidence: 1 }],
        }),
        trackMessage('T2', 'kim', reach.x + 0.3, reach.y + 0.4, {
          ...seen,
          hands: [{ x: reach.x + 0.05, y: reach.y, ownerConfidence: kimOwner }],
        }),
      ],
    });
    if (ts === T0 + 1500) {
      const detected = detectedPick(shelf, lane, {
        eventId: `${lane.loadCell}@1`,
        startTs: T0 + 1000,
        endTs: T0 + 1400,
        peakTs: T0 + 1200,
        units: 2,
      });
      fusion.onShelfEvent(detected);
    }
  }
  return decided;
}

describe('fusion: two people taking from one lane at once', () => {
  it('bills one unit to each when both hands in the lane are surely their owners’', () => {
    const parts = twoAtOneLane(1);
    expect(parts.map((e) => [e.eventId, e.sessionId, e.hypotheses[0]?.count, e.evidence?.rule])).toEqual([
      [`${lane.loadCell}@1/1`, 'jo', 1, 'close-call+one-each'],
      [`${lane.loadCell}@1/2`, 'kim', 1, 'close-call+one-each'],
    ]);
  });

  it('sends the whole event to staff when one hand may be the other person’s', () => {
    const [whole, ...rest] = twoAtOneLane(0.3);
    expect(rest).toEqual([]);
    expect(whole).toMatchObject({ sessionId: null, attribution: 'unattributed', hypotheses: [{ count: 2 }] });
  });
});
