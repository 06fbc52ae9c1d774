// Pure: whose hand, judged over the hand's whole reach rather than frame by frame (#13). Every camera votes on
// whose a hand is in each tracker step (docs/vision.md, "Whose hand"), but one step alone is often unsure: as
// arms cross, the owner point of one frame lands on nobody and the hand goes to the nearest person with owner
// confidence 0, while the frames before and after gave it surely to the one whose arm it is. Fusion used to
// read each step apart, so that one unsure copy put a second hand in the lane. Here the sightings of one
// physical hand are linked from step to step — only where nothing else is near enough to be mistaken for it —
// and each holder's owner confidence is summed over the chain. A holder the chain's other holder outvotes
// clearly, who never held it surely, did not hold it: its sightings are disowned (the evidence skips them).

import type { TrackMessage } from '../../shared/schemas/track.ts';
import { DEFAULT_FUSION, type HandChainSettings } from './fusion-settings.ts';
import type { TrackSnapshot } from './track-history.ts';

/** One physical hand seen in one step, held by one track or (fusion could not tell) by several. */
interface Sighting {
  x: number;
  y: number;
  holders: Array<{ trackId: string; owner: number; key: string }>;
  chain: number;
}

/** Key of a track's k-th hand in the i-th snapshot, as `disownedHands` returns them. */
export const handKey = (snapshotIndex: number, trackId: string, handIndex: number): string =>
  `${snapshotIndex}:${trackId}:${handIndex}`;

/**
 * Keys (`handKey`) of the hands the snapshots' tracks hold that the hand's chain gives to someone else. Hands
 * without owner confidence (an older edge, a detector without the owner output) are never disowned.
 */
export function disownedHands(
  snapshots: readonly TrackSnapshot[],
  usable: (track: TrackMessage, ts: number) => boolean,
  settings: HandChainSettings = DEFAULT_FUSION.reach.handChains,
): Set<string> {
  const steps = snapshots.map((s, i) => sightingsOf(s, i, usable));
  const parent: number[] = [];
  for (const step of steps) for (const s of step) s.chain = parent.push(parent.length) - 1;
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] as number;
    return r;
  };
  // one step to the next; across one step where the hand was missed (the detector finds ~86 % of hands)
  const forward = new Set<Sighting>();
  const backward = new Set<Sighting>();
  const join = (a: Sighting, b: Sighting) => {
    parent[root(b.chain)] = root(a.chain);
    forward.add(a);
    backward.add(b);
  };
  for (let i = 1; i < steps.length; i++) {
    for (const [a, b] of links(steps[i - 1] ?? [], steps[i] ?? [], settings)) join(a, b);
    if (i < 2) continue;
    const open = (steps[i - 2] ?? []).filter((a) => !forward.has(a));
    const fresh = (steps[i] ?? []).filter((b) => !backward.has(b));
    for (const [a, b] of links(open, fresh, settings)) join(a, b);
  }
  const chains = new Map<number, Sighting[]>();
  for (const step of steps)
    for (const s of step) {
      const r = root(s.chain);
      chains.set(r, [...(chains.get(r) ?? []), s]);
    }
  const disowned = new Set<string>();
  for (const chain of chains.values()) if (chain.length >= 2) disownIn(chain, settings, disowned);
  return disowned;
}

/** A step's hands as physical sightings: one hand fusion gave to several tracks is one sighting. */
function sightingsOf(
  snapshot: TrackSnapshot,
  index: number,
  usable: (track: TrackMessage, ts: number) => boolean,
): Sighting[] {
  const out: Sighting[] = [];
  for (const track of snapshot.tracks) {
    if (!usable(track, snapshot.ts)) continue;
    track.hands.forEach((hand, k) => {
      if (hand.ownerConfidence === undefined) return;
      const holder = { trackId: track.id, owner: hand.ownerConfidence, key: handKey(index, track.id, k) };
      const same = out.find((s) => Math.abs(s.x - hand.x) < 1e-6 && Math.abs(s.y - hand.y) < 1e-6);
      if (same !== undefined) same.holders.push(holder);
      else out.push({ x: hand.x, y: hand.y, holders: [holder], chain: -1 });
    });
  }
  return out;
}

/** Pairs of sightings in consecutive steps that are one hand: near each other, nothing else near either. */
function links(
  before: readonly Sighting[],
  after: readonly Sighting[],
  settings: HandChainSettings,
): Array<[Sighting, Sighting]> {
  const dist = (a: Sighting, b: Sighting) => Math.hypot(a.x - b.x, a.y - b.y);
  const alone = (s: Sighting, among: readonly Sighting[]) =>
    among.filter((o) => dist(s, o) <= settings.aloneM).length <= 1;
  const out: Array<[Sighting, Sighting]> = [];
  for (const a of before) {
    const near = after.filter((b) => dist(a, b) <= settings.aloneM);
    const [b] = near;
    if (near.length !== 1 || b === undefined || dist(a, b) > settings.linkM) continue;
    // nothing else in either step could be taken for this hand
    if (alone(b, before) && alone(a, before) && alone(b, after)) out.push([a, b]);
  }
  return out;
}

/** Marks the sightings of holders the chain's owner clearly outvotes and who never held it surely. */
function disownIn(chain: readonly Sighting[], settings: HandChainSettings, into: Set<string>): void {
  const votes = new Map<string, { sum: number; max: number; keys: string[] }>();
  for (const s of chain)
    for (const h of s.holders) {
      const v = votes.get(h.trackId) ?? { sum: 0, max: 0, keys: [] };
      v.sum += h.owner;
      v.max = Math.max(v.max, h.owner);
      v.keys.push(h.key);
      votes.set(h.trackId, v);
    }
  if (votes.size < 2) return;
  const ranked = [...votes.values()].sort((a, b) => b.sum - a.sum);
  const owner = ranked[0];
  if (owner === undefined || owner.sum < settings.minVotes) return;
  for (const v of ranked.slice(1))
    if (v.sum <= settings.disownShare * owner.sum && v.max <= settings.disownMaxOwner)
      for (const key of v.keys) into.add(key);
}
