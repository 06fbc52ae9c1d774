// How sure the tracker is that a track still follows the person it was given (and so carries the right
// session): 1 until something happens that could have swapped two people, then capped, and raised again
// only by evidence — the person's look matching the look the track had learned before the doubt. A binding
// at the gate that could have gone the other way is no swap a look can undo: it stays capped. Pure.
import { cosine } from './camera-fusion.ts';

export interface IdentityTuning {
  /** Two tracks this close (m) while either is unseen or merged with the other may have swapped. */
  encounterM: number;
  /** Cap after such a close encounter. */
  encounterCap: number;
  /**
   * Two look-alikes both seen this close are in doubt only in a step whose assignment could have gone the other
   * way: when giving each the other's detection would cost less than this much more distance (m, summed over
   * the two) than the detections they were given, judged from where each was a step before and from where its
   * motion put it. Two shoppers standing 0.5 m apart keep their places by ~1 m; two passing each other come
   * down to nothing, and two passing shoulder to shoulder (0.3 m apart) to ~0.4 m. 0.6 m is about twice what
   * the detector's placement (~8 cm a detection, four distances) can move the sum by.
   */
  clearAssignmentM: number;
  /**
   * ...but only if the two could have changed places in the time either went unseen: people move at most
   * this fast (m/s)... A neighbour at a shelf hidden for a frame or two cannot have swapped with the one
   * beside them.
   */
  swapSpeedMps: number;
  /** ...give or take where the detector places a person (m). */
  swapSlackM: number;
  /** Cap after the track was lost (or unseen long) and found again by appearance. */
  relinkCap: number;
  /** Cap after binding at the entry gate while another newcomer of another session was near (for good). */
  gateCap: number;
  /** Newcomers this close (m) at binding could have been bound the other way round... */
  gateNearM: number;
  /** ...counting as newcomers for this long after coming in (ms)... */
  newcomerMs: number;
  /**
   * ...and first seen within this long of each other (ms). People pass an entry gate one at a time, in the
   * order they were let in: two first seen further apart than this came through in the order the binder gave
   * them their scans (by when each scan's next person was due); only two appearing together (side by side,
   * or one hidden behind the other) could be the other way round.
   */
  gateOrderMs: number;
  /** An uncrowded look at least this alike the learned appearance is evidence for the identity... */
  recoverCosine: number;
  /** ...one less alike than this is evidence against it. */
  contradictCosine: number;
  /** Confidence gained (or lost) per second of such evidence. */
  evidencePerS: number;
  /** Longest gap between two looks that still counts as continuous evidence (ms). */
  maxEvidenceStepMs: number;
  /** Uncrowded looks alike the person before a possible swap, for this long, settle that it was none (ms). */
  settleDoubtMs: number;
  /**
   * A crowded look (someone close enough to share the crop) counts as evidence only when decisive — alike the
   * reference (`recoverCosine`) while nobody beside looks like the reference person (each neighbour's look
   * below `contradictCosine`) — and then at this share of an uncrowded look's weight. Never against: a crop
   * a neighbour bled into says nothing about who this is. Chosen from the looks in crowd-at-shelf scenes of
   * four to six people shoulder to shoulder (#13): a track's crowded crops matched its own look at 0.78–0.98
   * when the crop held its person and at 0.07–0.26 when a neighbour filled it (never in between for long);
   * half weight makes 3 s of decisive crowded looks settle a doubt, twice the uncrowded 1.5 s.
   */
  crowdedEvidenceShare: number;
}

/** A look with someone else this close (m) may hold them too: crowded, and no look to learn a reference from. */
export const CROWDED_LOOK_M = 0.9;

export const DEFAULT_IDENTITY: IdentityTuning = {
  encounterM: 0.8,
  encounterCap: 0.5,
  clearAssignmentM: 0.6,
  swapSpeedMps: 1.5,
  swapSlackM: 0.1,
  relinkCap: 0.4,
  gateCap: 0.5,
  gateNearM: 1.0,
  newcomerMs: 12_000,
  gateOrderMs: 500,
  // The look tests' cosines belong to the embedder: each is where it lets through the target share of other
  // people's looks (OTHERS_PASS_TARGET, evaluation/vision-eval/look-check.ts: 0.4 % to recover, 3.3 % to
  // contradict), measured on fresh renders by models:build and written on the embedder's card. For the
  // shipped embedder (93.9 % rank-1) six draws of 1000–2000 frames put it at 0.70–0.78 (0.77 keeps the target
  // on five) and at 0.50; the first embedder (84.6 %) was tuned at 0.85 and 0.6, the same shares.
  recoverCosine: 0.77,
  contradictCosine: 0.5,
  // from a cap of 0.5 back to 1 takes 3 s of clear matching
  evidencePerS: 1 / 6,
  maxEvidenceStepMs: 250,
  settleDoubtMs: 1500,
  crowdedEvidenceShare: 0.5,
};

/**
 * Looks of the other people close enough to share a look's crop (undefined: a person with no look yet);
 * empty for an uncrowded look.
 */
export type NeighbourLooks = readonly (Float32Array | undefined)[];

/**
 * Of one moment's views of a person in a crowd, the one most like `reference`: a neighbour bleeding into one
 * camera's crop makes it less like the person, not more (unless the neighbour looks like them, which
 * `decisiveCrowdedLook` refuses), so the clearest view is the one to judge by. Undefined without views.
 */
export function clearestLook(
  reference: Float32Array | undefined,
  looks: readonly Float32Array[],
): Float32Array | undefined {
  if (reference === undefined) return undefined;
  let best: Float32Array | undefined;
  let bestCos = Number.NEGATIVE_INFINITY;
  for (const look of looks) {
    const c = cosine(reference, look);
    if (c > bestCos) {
      bestCos = c;
      best = look;
    }
  }
  return best;
}

/**
 * A crowded look that still tells who this is: clearly the reference person's, and nobody beside looks like
 * them (then a swap with a neighbour would look the same, and a neighbour's colours in the crop could be
 * theirs). A neighbour whose look is unknown leaves it undecided.
 */
function decisiveCrowdedLook(
  reference: Float32Array,
  embedding: Float32Array,
  neighbours: NeighbourLooks,
  tuning: IdentityTuning,
): boolean {
  return (
    cosine(reference, embedding) >= tuning.recoverCosine &&
    neighbours.every((n) => n !== undefined && cosine(reference, n) < tuning.contradictCosine)
  );
}

/**
 * Moments a track may have changed person, from `since` to `ts`. With `with` (the other track of a close
 * encounter) it covers the whole encounter — however often the two came close between; without, relinks
 * (or encounters folded past the bound).
 */
export interface SwapDoubt {
  ts: number;
  with?: string;
  /** First of those moments (ms). */
  since: number;
  /** What the other one looked like when the encounter began: a look alike it settles nothing. */
  otherLook?: Float32Array;
  /**
   * Looks like the person before the oldest doubt since this doubt's latest moment (ms): `settleDoubtMs` of
   * them settle it. A look that showed the person after this doubt showed them after every older one too,
   * so a newer doubt starts its own count and leaves the older ones theirs.
   */
  evidenceMs?: number;
  /**
   * Looks that were clearly the other's person from before and not this track's own, since this doubt's latest
   * moment (ms): on both tracks, `settleDoubtMs` of them show the two swapped (swap-reversal.ts).
   */
  swapShownMs?: number;
}

/** An encounter whose looks showed a swap: the track carries the other one's session since (`shownTs`). */
export interface SwapShown {
  /** The other track of the encounter. */
  with: string;
  /** First and latest moment of the encounter (ms): the person on the track is the session's from `ts` on. */
  since: number;
  ts: number;
  /** When the looks showed it and the sessions were exchanged (ms). */
  shownTs: number;
}

/**
 * An encounter seen again within this of its latest moment goes on (the tracker's steps, 100 ms apart at
 * 10 fps, with a frame or two missed): it is the same doubt, whatever looks came between (ms).
 */
const ENCOUNTER_GOES_ON_MS = 300;

/**
 * Doubts kept per track (about one per other track). A doubt pushed out of the list is kept as moments the
 * track may have changed to anyone's person: only its span still counts.
 */
const MAX_SWAP_DOUBTS = 32;

export interface Identity {
  /** 0–1. */
  identityConfidence: number;
  /** The appearance learned before the first unresolved doubt: what the evidence is compared with. */
  identityReference: Float32Array | undefined;
  /** Highest confidence evidence can restore (below 1 after an ambiguous binding at the gate). */
  identityCeiling: number;
  /**
   * Moments the track may have changed person — a close encounter while unseen, a relink — not yet settled
   * by its looks, oldest first. A binding doubt at the gate is no such moment: the person is the same, only
   * their session is unsure.
   */
  swapDoubts: SwapDoubt[];
  /** What the person looked like before the oldest unsettled swap doubt. */
  doubtReference: Float32Array | undefined;
  /**
   * Whether the track has ever been in doubt of its person (a swap doubt, settled since or not): one never in
   * doubt since its binding at the gate is its session's person as surely as the tracker can say.
   */
  everInDoubt: boolean;
  /**
   * Encounters whose looks showed the two tracks had swapped people, newest last: the track took the other's
   * session then (swap-reversal.ts). Kept for the track's life (bounded), as moments it did change person.
   */
  swapsShown: readonly SwapShown[];
}

export const CERTAIN_IDENTITY: Identity = {
  identityConfidence: 1,
  identityReference: undefined,
  identityCeiling: 1,
  swapDoubts: [],
  doubtReference: undefined,
  everInDoubt: false,
  swapsShown: [],
};

/**
 * Something happened that could have swapped this track's person (at `ts`, or from `since` to `ts`; `with_`
 * the other track of a close encounter): cap the confidence and remember what the person looked like before
 * (`learned`, the track's appearance, or the one it takes over on a relink).
 */
export function doubtIdentity(
  id: Identity,
  cap: number,
  learned: Float32Array | undefined,
  ts: number,
  with_?: string,
  otherLook?: Float32Array,
  since = ts,
): void {
  doubtPerson(id, learned, ts, with_, otherLook, since);
  if (id.identityReference === undefined && learned !== undefined) {
    id.identityReference = Float32Array.from(learned);
  }
  id.identityConfidence = Math.min(id.identityConfidence, cap);
}

/**
 * The track may have changed person at `ts` (`learned`: what it looked like before; `with_`: the other), or
 * at any moment from `since` (an encounter another track had first, now this one's) to `ts`.
 */
export function doubtPerson(
  id: Identity,
  learned: Float32Array | undefined,
  ts: number,
  with_?: string,
  otherLook?: Float32Array,
  since = ts,
): void {
  // one doubt per other track, spanning every time the two came close, and one for moments with nobody named
  // (relinks) — unless the two were apart and looks of the person came between: then they came close again
  // after a doubt the looks had begun to settle, and that doubt keeps its count while this one starts its
  // own (it must not wait for the new one: a pick between the two depends only on the first)
  const latest = id.swapDoubts.filter((d) => d.with === with_).at(-1);
  const again = latest !== undefined && ts - latest.ts > ENCOUNTER_GOES_ON_MS && (latest.evidenceMs ?? 0) > 0;
  const earlier = again ? undefined : latest;
  const from = Math.min(since, earlier?.since ?? since);
  const doubt: SwapDoubt =
    with_ === undefined
      ? { ts, since: from }
      : {
          ts,
          with: with_,
          since: from,
          ...(latest?.otherLook !== undefined
            ? { otherLook: latest.otherLook }
            : otherLook === undefined
              ? {}
              : { otherLook: Float32Array.from(otherLook) }),
        };
  const rest = id.swapDoubts.filter((d) => d !== earlier);
  id.swapDoubts = boundDoubts([...rest, doubt]);
  id.everInDoubt = true;
  if (id.doubtReference === undefined && learned !== undefined)
    id.doubtReference = Float32Array.from(learned);
}

/**
 * Keeps the newest MAX_SWAP_DOUBTS encounters; older ones fold into the one doubt with nobody named, spanning
 * them all (from the first moment of the oldest, with the evidence the newest of them has had).
 */
function boundDoubts(doubts: SwapDoubt[]): SwapDoubt[] {
  if (doubts.length <= MAX_SWAP_DOUBTS) return doubts;
  const dropped = doubts.slice(0, doubts.length - MAX_SWAP_DOUBTS + 1);
  const kept = doubts.slice(doubts.length - MAX_SWAP_DOUBTS + 1).filter((d) => d.with !== undefined);
  const folded = [...dropped, ...doubts.filter((d) => d.with === undefined)];
  const evidenceMs = Math.min(...folded.map((d) => d.evidenceMs ?? 0));
  const anyone: SwapDoubt = {
    ts: Math.max(...folded.map((d) => d.ts)),
    since: Math.min(...folded.map((d) => d.since)),
    ...(evidenceMs > 0 ? { evidenceMs } : {}),
  };
  return [...kept, anyone].sort((a, b) => a.ts - b.ts);
}

/**
 * The last moment the track may have changed person, not settled since, or did (a swap its looks showed);
 * undefined: none.
 */
export function lastSwapDoubtTs(id: Identity): number | undefined {
  const moments = [...id.swapDoubts, ...id.swapsShown].map((d) => d.ts);
  return moments.length === 0 ? undefined : Math.max(...moments);
}

/**
 * The other track of an encounter settled that there was no swap up to `ts` (the encounter's latest moment
 * it had): no moment with it until then is a doubt for this one.
 */
export function forgetSwapDoubt(id: Identity, with_: string, ts: number): void {
  id.swapDoubts = id.swapDoubts.filter((d) => d.with !== with_ || d.ts > ts);
  if (id.swapDoubts.length === 0) id.doubtReference = undefined;
}

/** The session bound at the gate may be another newcomer's: capped for the rest of the visit. */
export function doubtBinding(id: Identity, cap: number): void {
  id.identityCeiling = Math.min(id.identityCeiling, cap);
  id.identityConfidence = Math.min(id.identityConfidence, cap);
}

/**
 * One look at the track's person, `sinceLastMs` after the previous one, with the looks of whoever stood close
 * enough to share its crop (`neighbours`). An uncrowded look counts either way; a crowded one only for the
 * identity, when decisive, at `crowdedEvidenceShare` of the weight. Returns the change in confidence.
 */
export function observeIdentity(
  id: Identity,
  embedding: Float32Array | undefined,
  neighbours: NeighbourLooks,
  sinceLastMs: number,
  tuning: IdentityTuning = DEFAULT_IDENTITY,
): number {
  const reference = id.identityReference;
  if (reference === undefined || embedding === undefined) return 0;
  const crowded = neighbours.length > 0;
  if (crowded && !decisiveCrowdedLook(reference, embedding, neighbours, tuning)) return 0;
  const share = crowded ? tuning.crowdedEvidenceShare : 1;
  const step = (Math.min(sinceLastMs, tuning.maxEvidenceStepMs) / 1000) * tuning.evidencePerS * share;
  const similarity = cosine(reference, embedding);
  const before = id.identityConfidence;
  if (similarity >= tuning.recoverCosine) {
    // as like someone it may have been swapped with: says nothing of which of the two the track follows
    if (alikeSwapPartner(id, embedding, tuning.recoverCosine)) return 0;
    id.identityConfidence = Math.min(id.identityCeiling, before + step);
    // doubt resolved: the next one compares with what is learned by then
    if (id.identityConfidence >= id.identityCeiling) id.identityReference = undefined;
  } else if (similarity < tuning.contradictCosine) id.identityConfidence = Math.max(0, before - step);
  return id.identityConfidence - before;
}

/**
 * One look at the track's person: looks like the person before its possible swaps, for long enough after a
 * doubt, settle that it was none — uncrowded looks at full weight; crowded ones only when decisive (and unlike
 * everyone it may have been swapped with by the stricter `contradictCosine`), at `crowdedEvidenceShare`, and
 * an undecided crowded look neither adds nor starts the counts again. Each doubt counts the looks since its
 * own latest moment, so a new encounter leaves the older doubts the evidence they have had. Returns the
 * doubts settled now (the other track of each is settled too).
 */
export function settleSwapDoubts(
  id: Identity,
  embedding: Float32Array | undefined,
  neighbours: NeighbourLooks,
  sinceLastMs: number,
  tuning: IdentityTuning = DEFAULT_IDENTITY,
): SwapDoubt[] {
  const reference = id.doubtReference;
  if (reference === undefined || embedding === undefined) return [];
  const crowded = neighbours.length > 0;
  // a look like the person before, and unlike everyone they may have been swapped with
  const alikeOther = alikeSwapPartner(
    id,
    embedding,
    crowded ? tuning.contradictCosine : tuning.recoverCosine,
  );
  if (crowded) {
    if (alikeOther || !decisiveCrowdedLook(reference, embedding, neighbours, tuning)) return [];
  } else if (alikeOther || cosine(reference, embedding) < tuning.recoverCosine) {
    for (const d of id.swapDoubts) d.evidenceMs = 0;
    return [];
  }
  const share = crowded ? tuning.crowdedEvidenceShare : 1;
  const step = Math.min(sinceLastMs, tuning.maxEvidenceStepMs) * share;
  for (const d of id.swapDoubts) d.evidenceMs = (d.evidenceMs ?? 0) + step;
  const settled = id.swapDoubts.filter((d) => (d.evidenceMs ?? 0) >= tuning.settleDoubtMs);
  if (settled.length === 0) return [];
  id.swapDoubts = id.swapDoubts.filter((d) => !settled.includes(d));
  if (id.swapDoubts.length === 0) id.doubtReference = undefined;
  return settled.map(({ evidenceMs: _, ...d }) => d);
}

/**
 * Whether a look is at least `alikeAt` like the look of someone the track may have been swapped with (an open
 * encounter's other one): then it cannot tell which of the two the track follows now.
 */
function alikeSwapPartner(id: Identity, embedding: Float32Array, alikeAt: number): boolean {
  return id.swapDoubts.some((d) => d.otherLook !== undefined && cosine(d.otherLook, embedding) >= alikeAt);
}
