// A pick made while the picker's track was in a close encounter with another track the pick names is decided
// by neither the settled identity nor the exit match: the looks that settle the encounter say whom the track
// follows after it, not whom it followed while the weight changed.
import { describe, expect, it } from 'vitest';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { steppedFusion } from '../../../support/fusion-stage.ts';
import { trackMessage } from '../../../support/track-message.ts';

const track = (id: string, identityDoubts: TrackMessage['identityDoubts']): TrackMessage =>
  trackMessage(id, id === 'T1' ? 'eva' : 'cleo', 6.25, 3.3, { identityDoubts });

const candidate = (sessionId: string, tracks: { handTrack?: string; bodyTrack?: string }) => ({
  sessionId,
  handM: 0.1,
  bodyM: 0.5,
  identity: 0.5,
  ...tracks,
});

/** A pick from 11.8 to 12.0 s naming eva on T1 and cleo on `cleoTrack`. */
const pick = (cleoTrack: { handTrack?: string; bodyTrack?: string }) =>
  ({
    startTs: 11_800,
    endTs: 12_000,
    evidence: {
      vision: true,
      laneSeen: true,
      candidates: [candidate('eva', { handTrack: 'T1', bodyTrack: 'T1' }), candidate('cleo', cleoTrack)],
      rule: 'identity-doubtful',
    },
  }) as unknown as Pick<ShelfEvent, 'startTs' | 'endTs' | 'evidence'>;

function stageWithEncounter(withTrack: string) {
  const { fusion } = steppedFusion(20_000);
  // T1 in an encounter with `withTrack` from 8.2 s, reported until 12.8 s, then settled by looks
  fusion.history.record({
    ts: 8300,
    cameras: [],
    tracks: [track('T1', [{ ts: 8200, since: 8200, with: withTrack }]), track('T2', [])],
  });
  fusion.history.record({
    ts: 12_900,
    cameras: [],
    tracks: [track('T1', [{ ts: 12_800, since: 8200, with: withTrack }]), track('T2', [])],
  });
  fusion.history.record({ ts: 14_700, cameras: [], tracks: [track('T1', []), track('T2', [])] });
  return fusion;
}

describe('FusionStage.encounteredDuring', () => {
  it('is true for an encounter, settled since, spanning the pick, with a track the pick names', () => {
    const fusion = stageWithEncounter('T2');
    expect(fusion.encounteredDuring('T1', pick({ handTrack: 'T2' }))).toBe(true);
    // named by the body only: still someone who could have been swapped with the picker
    expect(fusion.encounteredDuring('T1', pick({ bodyTrack: 'T2' }))).toBe(true);
  });

  it('is false when the other track is none the pick names (passing behind, across the aisle)', () => {
    const fusion = stageWithEncounter('T9');
    expect(fusion.encounteredDuring('T1', pick({ handTrack: 'T2' }))).toBe(false);
    // the pick names no other track at all
    expect(fusion.encounteredDuring('T1', pick({}))).toBe(false);
  });

  it('is false for an encounter over before the weight changed or begun after it', () => {
    const fusion = stageWithEncounter('T2');
    const before = { ...pick({ handTrack: 'T2' }), startTs: 13_500, endTs: 13_700 };
    expect(fusion.encounteredDuring('T1', before)).toBe(false);
    const earlier = { ...pick({ handTrack: 'T2' }), startTs: 7000, endTs: 7500 };
    expect(fusion.encounteredDuring('T1', earlier)).toBe(false);
  });
});
