// One person as the edge's tracker publishes it on `edge/tracks`, for tests that feed fusion, the floor view or
// behaviour by hand: standing at (x, y), confirmed, seen at `lastSeenTs` 0, fully sure; `over` changes any field.
import type { TrackMessage } from '../../shared/schemas/track.ts';

export function trackMessage(
  id: string,
  sessionId: string | null,
  x: number,
  y: number,
  over: Partial<TrackMessage> = {},
): TrackMessage {
  return {
    id,
    sessionId,
    state: 'confirmed',
    x,
    y,
    vx: 0,
    vy: 0,
    hands: [],
    confidence: 1,
    lastSeenTs: 0,
    ...over,
  };
}
