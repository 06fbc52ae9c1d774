import { describe, expect, it } from 'vitest';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { VisitTracks } from '../../../../edge/floor/visit-tracks.ts';
import type { TrackMessage } from '../../../../shared/schemas/track.ts';
import { trackMessage } from '../../../support/track-message.ts';

const track = (
  id: string,
  sessionId: string | null,
  x: number,
  state: TrackMessage['state'] = 'confirmed',
): TrackMessage => trackMessage(id, sessionId, x, 1, { state });

describe('VisitTracks', () => {
  it('stores session-bound tracks at most 4 times a second per track, and prunes by time', () => {
    const db = openEdgeDatabase(':memory:');
    const tracks = new VisitTracks(db, 250);
    for (let ts = 0; ts <= 1000; ts += 100) {
      tracks.record({
        v: 1,
        ts,
        droppedFrames: 0,
        tracks: [
          track('T1', 's1', ts / 100),
          track('T2', 's1', 0),
          track('T3', null, 0),
          track('T4', 's2', 0, 'tentative'),
        ],
      });
    }
    const points = tracks.of('s1');
    expect(points.filter((p) => p.trackId === 'T1').map((p) => [p.ts, p.x])).toEqual([
      [0, 0],
      [300, 3],
      [600, 6],
      [900, 9],
    ]);
    expect(points.filter((p) => p.trackId === 'T2')).toHaveLength(4);
    expect(tracks.of('s2')).toEqual([]);
    expect(tracks.prune(500)).toBe(4);
    expect(tracks.of('s1').map((p) => p.ts)).toEqual([600, 600, 900, 900]);
  });
});
