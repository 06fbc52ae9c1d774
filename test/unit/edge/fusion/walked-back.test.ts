// Who walked out, followed back (#13): the person a track carried through the exit was, before each of its
// swap doubts, on it or on the other track of the encounter — so a track that walked out as a session's person,
// with doubts only after a pick and none that the session's person could have come through, carried them at it.
import { describe, expect, it } from 'vitest';
import { carriedThroughout, mayHaveBeenOn, mayHaveGoneTo } from '../../../../edge/fusion/walked-back.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { trackMessage } from '../../../support/track-message.ts';

const doubt = (w: string | undefined, since: number, ts: number) => ({
  ...(w === undefined ? {} : { with: w }),
  since,
  ts,
});

// the pick's evidence window: 2000–2400. ada (T1) had passed bob (T2) at 1000–1200, before the pick; after
// it she passed cy (T3) at 3000–3500, and cy then walked beside dan (T4) at 3200–6000. Each track as last
// reported (the doubts the tracker still holds).
const span = { fromTs: 2000, toTs: 2400 };
const beforePick = doubt('T2', 1000, 1200);
const latest = (t1After: Array<ReturnType<typeof doubt>> = [doubt('T3', 3000, 3500)]): TrackMessage[] => [
  trackMessage('T1', 'ada', 0, 0, { state: 'exited', identityDoubts: [beforePick, ...t1After] }),
  trackMessage('T2', 'bob', 5, 5, { identityDoubts: [doubt('T1', 1000, 1200)] }),
  trackMessage('T3', 'cy', 5, 5, { identityDoubts: [doubt('T1', 3000, 3500), doubt('T4', 3200, 6000)] }),
  trackMessage('T4', 'dan', 5, 5, { identityDoubts: [doubt('T3', 3200, 6000)] }),
];
const firstSeen = new Map([
  ['T1', 0],
  ['T2', 500],
  ['T3', 700],
  ['T4', 900],
]);

describe('mayHaveBeenOn', () => {
  it('goes back through each encounter to the other track, up to when the encounter ended', () => {
    const back = mayHaveBeenOn('T1', 2000, latest());
    expect(Object.fromEntries(back ?? [])).toEqual({
      T1: Number.POSITIVE_INFINITY,
      T3: 3500,
      // cy's walk with dan began before ada's person could have left cy's track, going back
      T4: 3500,
    });
  });

  it('leaves out encounters over before the moment asked about, and cannot say past a relink', () => {
    expect(mayHaveBeenOn('T1', 2000, latest())?.has('T2')).toBe(false);
    expect(mayHaveBeenOn('T1', 500, latest())?.get('T2')).toBe(1200);
    expect(mayHaveBeenOn('T1', 2000, latest([doubt(undefined, 3000, 3000)]))).toBeUndefined();
    // a relink over before the moment asked about says nothing of it
    expect(mayHaveBeenOn('T1', 4000, latest([doubt(undefined, 3000, 3000)]))?.size).toBe(1);
  });
});

describe('mayHaveGoneTo', () => {
  it('goes forward from the session’s own tracks through the encounters up to the moment asked about', () => {
    expect(Object.fromEntries(mayHaveGoneTo('ada', 2400, latest(), firstSeen) ?? [])).toEqual({
      T1: 0,
      T2: 1000,
    });
    expect(mayHaveGoneTo('ada', 3000, latest(), firstSeen)?.get('T3')).toBe(3000);
  });

  it('cannot say with no track of the session, a binding at the gate in doubt, or a relink', () => {
    expect(mayHaveGoneTo('eve', 2400, latest(), firstSeen)).toBeUndefined();
    const doubtfulBinding = latest().map((t) => (t.id === 'T1' ? { ...t, identityCeiling: 0.5 } : t));
    expect(mayHaveGoneTo('ada', 2400, doubtfulBinding, firstSeen)).toBeUndefined();
    const relinked = latest().map((t) =>
      t.id === 'T1' ? { ...t, identityDoubts: [doubt(undefined, 1500, 1500)] } : t,
    );
    expect(mayHaveGoneTo('ada', 2400, relinked, firstSeen)).toBeUndefined();
  });
});

describe('carriedThroughout', () => {
  it('holds when going forward and going back share the track alone', () => {
    // forward from her own track ada may be on T1 or T2 (the encounter before the pick); back from the exit
    // on T1, T3 or T4 — only T1 is both
    expect(carriedThroughout('ada', 'T1', span, latest(), firstSeen)).toBe(true);
  });

  it('does not hold when the person may have come back through a track she may have been on', () => {
    // after the pick T1 met bob's T2 again: ada may have swapped to T2 before the pick and back after it
    expect(carriedThroughout('ada', 'T1', span, latest([doubt('T2', 3000, 3500)]), firstSeen)).toBe(false);
  });

  it('does not hold when a track going back was not followed yet, or a doubt names nobody', () => {
    const lateBorn = new Map([...firstSeen, ['T4', 2300]]);
    expect(carriedThroughout('ada', 'T1', span, latest(), lateBorn)).toBe(false);
    expect(carriedThroughout('ada', 'T1', span, latest([doubt(undefined, 3000, 3000)]), firstSeen)).toBe(
      false,
    );
  });

  it('does not hold when the track was not the session’s then', () => {
    expect(carriedThroughout('cy', 'T1', span, latest(), firstSeen)).toBe(false);
    // bound to ada only after the pick
    expect(carriedThroughout('ada', 'T1', span, latest(), new Map([...firstSeen, ['T1', 2200]]))).toBe(false);
  });
});
