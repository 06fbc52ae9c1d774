// Derives an uploaded visit's behaviour again from what the edge still holds (its replay tracks, kept 7 days,
// and the cart's events) and says whether it matches the upload: the behaviour core is deterministic, so a
// difference means the tracks or the settings changed since. Pure.

import type { VisitUpload } from '../../shared/schemas/visit.ts';
import type { VisitBehaviour } from '../../shared/schemas/visit-behaviour.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import type { TrackPoint } from '../floor/visit-tracks.ts';
import { type BehaviourSettings, DEFAULT_BEHAVIOUR } from './behaviour-settings.ts';
import { LaneReach } from './lane-reach.ts';
import { deriveVisitBehaviour } from './visit-behaviour.ts';

export function replayBehaviour(
  upload: VisitUpload,
  points: readonly TrackPoint[],
  store: StoreIndex,
  settings: BehaviourSettings = DEFAULT_BEHAVIOUR,
): { again: VisitBehaviour; matches: boolean } | undefined {
  if (upload.behaviour === undefined) return undefined;
  const again = deriveVisitBehaviour(
    { enteredAt: upload.enteredAt, exitedAt: upload.exitedAt, points, events: upload.events },
    store,
    new LaneReach(store, settings.reachM),
    settings,
  );
  return { again, matches: JSON.stringify(again) === JSON.stringify(upload.behaviour) };
}
