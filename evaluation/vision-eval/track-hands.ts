// Whose hand as fusion sees it (#13): every true extended hand of a tick against the hands the tracker's
// tracks hold after all cameras were fused — is it on the track of the person it belongs to, on several, and
// was a wrong owner given it surely (what fusion would bill on). Pure; counts accumulate over ticks.
import { matchWithin } from './score-matching.ts';

export interface TrackHandCounts {
  /** True hands with a tracked hand within `matchM`. */
  found: number;
  /** Of those, held by the true owner's track. */
  right: number;
  /** Held by more than one track. */
  contested: number;
  /** Held by one track with owner confidence at least `sureAt`. */
  sure: number;
  /** Held surely (as above) by a track that is not the owner's. */
  sureWrong: number;
}

export const emptyTrackHands = (): TrackHandCounts => ({
  found: 0,
  right: 0,
  contested: 0,
  sure: 0,
  sureWrong: 0,
});

interface TruthWithHand {
  id: string;
  x: number;
  y: number;
  hand: { x: number; y: number } | undefined;
}

interface TrackWithHands {
  id: string;
  x: number;
  y: number;
  hands: ReadonlyArray<{ x: number; y: number; ownerConfidence?: number }>;
}

export interface TrackHandOptions {
  /** A tracked hand this close (m) to a true one is it. */
  matchM: number;
  /** A track this close (m) to a person is theirs (each track and person taken once, nearest pairs first). */
  personM: number;
  /** Owner confidence at which fusion treats a hand as its holder's (`ownedHandMin`). */
  sureAt: number;
}

export const TRACK_HAND_OPTIONS: TrackHandOptions = { matchM: 0.3, personM: 0.45, sureAt: 0.8 };

/** Adds one tick's hands to `counts`. */
export function scoreTrackHands(
  truth: readonly TruthWithHand[],
  tracks: readonly TrackWithHands[],
  counts: TrackHandCounts,
  options: TrackHandOptions = TRACK_HAND_OPTIONS,
): void {
  const trackOf = pairPeople(truth, tracks, options.personM);
  for (const person of truth) {
    const hand = person.hand;
    if (hand === undefined) continue;
    let best: { x: number; y: number; d: number } | undefined;
    for (const t of tracks) {
      for (const h of t.hands) {
        const d = Math.hypot(h.x - hand.x, h.y - hand.y);
        if (d <= options.matchM && (best === undefined || d < best.d)) best = { x: h.x, y: h.y, d };
      }
    }
    if (best === undefined) continue;
    const at = best;
    // a hand fusion gave to several tracks is a copy on each, at the same place
    const holders = tracks.filter((t) => t.hands.some((h) => Math.hypot(h.x - at.x, h.y - at.y) < 1e-6));
    counts.found++;
    const owner = trackOf.get(person.id);
    const right = owner !== undefined && holders.some((t) => t.id === owner);
    if (right) counts.right++;
    if (holders.length > 1) counts.contested++;
    const [only] = holders;
    const sure =
      holders.length === 1 &&
      only !== undefined &&
      only.hands.some(
        (h) => Math.hypot(h.x - at.x, h.y - at.y) < 1e-6 && (h.ownerConfidence ?? 0) >= options.sureAt,
      );
    if (sure) {
      counts.sure++;
      if (!right) counts.sureWrong++;
    }
  }
}

/** Each true person's track: the optimal pairing within `personM` (the evaluation's own matching). */
function pairPeople(
  truth: readonly TruthWithHand[],
  tracks: readonly TrackWithHands[],
  personM: number,
): Map<string, string> {
  const pick = matchWithin(
    truth.map((p) => tracks.map((t) => Math.hypot(p.x - t.x, p.y - t.y))),
    personM,
  );
  const out = new Map<string, string>();
  truth.forEach((p, i) => {
    const track = tracks[pick[i] ?? -1];
    if (track !== undefined) out.set(p.id, track.id);
  });
  return out;
}
