import { describe, expect, it } from 'vitest';
import { TrackHistory } from '../../../../edge/fusion/track-history.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { trackMessage } from '../../../support/track-message.ts';

const track = (identityDoubts: TrackMessage['identityDoubts']): TrackMessage =>
  trackMessage('T1', 'eva', 6.25, 3.3, identityDoubts === undefined ? {} : { identityDoubts });

describe('TrackHistory.encounterSpans', () => {
  it('keeps each close encounter over its whole span as last reported, after its looks settled it too', () => {
    const history = new TrackHistory();
    // an encounter with T2 from 8.2 s, reported again as it goes on until 12.8 s, then settled by looks
    history.record({ ts: 8300, cameras: [], tracks: [track([{ ts: 8200, since: 8200, with: 'T2' }])] });
    history.record({ ts: 11_000, cameras: [], tracks: [track([{ ts: 11_000, since: 8200, with: 'T2' }])] });
    history.record({ ts: 12_900, cameras: [], tracks: [track([{ ts: 12_800, since: 8200, with: 'T2' }])] });
    history.record({ ts: 14_700, cameras: [], tracks: [track([])] });
    expect(history.encounterSpans('T1', 11_800)).toEqual([{ with: 'T2', since: 8200, ts: 12_800 }]);
    // reported only before `fromTs`: not an encounter going on then
    expect(history.encounterSpans('T1', 13_000)).toEqual([]);
    expect(history.encounterSpans('T2', 0)).toEqual([]);
    // a relink or a binding in doubt names no track: not an encounter
    history.record({ ts: 15_000, cameras: [], tracks: [track([{ ts: 15_000, since: 15_000 }])] });
    expect(history.encounterSpans('T1', 14_800)).toEqual([]);
  });
});
