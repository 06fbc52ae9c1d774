// Pure: the exit says who a track carried at the end; its swap doubts, followed back in time from there, say
// which tracks that person may have been on before. Met with the tracks the session's person may have been on
// going forward from their own, they can leave one track: then the session's person was on it all through a
// past event, however many doubts the track gathered after it (#13). A doubt is a possible swap between two
// named tracks over their encounter; persons are exchanged, never created, so the person who walked out was,
// before an encounter, on this track or on the other one — nowhere else. Both ways read the doubts the
// tracker still holds now (one its looks settled since was no swap), from every track's latest report.
import type { TrackMessage } from '../../shared/schemas/track.ts';
import { linksOf } from './alibi.ts';

/**
 * By track id: the latest moment the person who walked out on `trackId` may have been on that track, for
 * every track they may have been on at or after `fromTs` (the track itself: +∞). Undefined when a doubt that
 * names nobody (a relink) or a track no longer reported could have brought them since `fromTs`.
 */
export function mayHaveBeenOn(
  trackId: string,
  fromTs: number,
  latest: readonly TrackMessage[],
): Map<string, number> | undefined {
  const last = new Map<string, number>([[trackId, Number.POSITIVE_INFINITY]]);
  const reached = follow(
    latest,
    [trackId],
    (link, on) => {
      // the encounter began after the person had left this track (going back in time: before they came)
      if (link.since > on) return undefined;
      const until = Math.min(on, link.until);
      return until < fromTs ? undefined : until;
    },
    last,
    (a, b) => a > b,
  );
  return reached ? last : undefined;
}

/**
 * By track id: the earliest moment the session's person may have been on that track, for every track they may
 * have been on up to `toTs`: their own tracks (not tentative) from when each was first reported (`firstSeen`),
 * and on through the doubts. Undefined when the session has no such track, one's binding at the gate is in
 * doubt, one was given the session after a swap its looks showed, or a relink or a track no longer reported
 * could have taken them by `toTs`.
 */
export function mayHaveGoneTo(
  sessionId: string,
  toTs: number,
  latest: readonly TrackMessage[],
  firstSeen: ReadonlyMap<string, number>,
): Map<string, number> | undefined {
  const own = latest.filter((t) => t.sessionId === sessionId && t.state !== 'tentative');
  if (own.length === 0 || own.some((t) => (t.identityCeiling ?? 1) < 1)) return undefined;
  // a track given the session when its looks showed a swap carried another session's person before it: the
  // session's person was not on it from its first report
  if (own.some((t) => t.identityDoubts?.some((d) => d.swapped === true))) return undefined;
  const arrival = new Map(own.map((t) => [t.id, firstSeen.get(t.id) ?? Number.NEGATIVE_INFINITY]));
  const reached = follow(
    latest,
    own.map((t) => t.id),
    (link, at) => {
      // the encounter was over before the person could have been on this track
      if (link.until < at) return undefined;
      const from = Math.max(at, link.since);
      return from > toTs ? undefined : from;
    },
    arrival,
    (a, b) => a < b,
  );
  return reached ? arrival : undefined;
}

/**
 * True when the session's person was on `trackId` from `fromTs` to `toTs`, given that `trackId` walked out as
 * the session's person: no other track is one they may have gone to by some moment of the span and one the
 * leaver may have been on then — and every track the leaver may have been on then was already followed (one
 * born later leaves unknown where its person was before). `latest`: every track's latest report, gone or not;
 * `firstSeen`: by track id, when it was first reported.
 */
export function carriedThroughout(
  sessionId: string,
  trackId: string,
  span: { fromTs: number; toTs: number },
  latest: readonly TrackMessage[],
  firstSeen: ReadonlyMap<string, number>,
): boolean {
  const back = mayHaveBeenOn(trackId, span.fromTs, latest);
  const forward = mayHaveGoneTo(sessionId, span.toTs, latest, firstSeen);
  if (back === undefined || forward === undefined) return false;
  if ((forward.get(trackId) ?? Number.POSITIVE_INFINITY) > span.fromTs) return false;
  for (const [id, lastOn] of back) {
    if (id === trackId || lastOn < span.fromTs) continue;
    if ((firstSeen.get(id) ?? Number.POSITIVE_INFINITY) > span.fromTs) return false;
    const arrived = forward.get(id);
    // on it by a moment of the span when the leaver may still have been on it
    if (arrived !== undefined && arrived <= Math.min(lastOn, span.toTs)) return false;
  }
  return true;
}

/**
 * Follows the doubts from `start` over `latest`: `step(link, at)` gives the moment the person may be on the
 * link's other track (undefined: the link does not carry them), kept in `moments` when `better` than what is
 * there. False when a link that carries them names nobody, or a track with no report.
 */
function follow(
  latest: readonly TrackMessage[],
  start: readonly string[],
  step: (link: { since: number; until: number }, at: number) => number | undefined,
  moments: Map<string, number>,
  better: (a: number, b: number) => boolean,
): boolean {
  const byId = new Map(latest.map((t) => [t.id, t]));
  const queue = [...start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const track = byId.get(id);
    if (track === undefined) return false;
    // an older edge names only the latest doubt's moment, not with whom
    if (track.identityDoubts === undefined && track.identityDoubtTs !== undefined) return false;
    const at = moments.get(id) as number;
    for (const link of linksOf(track, latest)) {
      const moment = step(link, at);
      if (moment === undefined) continue;
      if (link.other === undefined) return false;
      const known = moments.get(link.other);
      if (known !== undefined && !better(moment, known)) continue;
      moments.set(link.other, moment);
      queue.push(link.other);
    }
  }
  return true;
}
