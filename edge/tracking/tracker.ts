// Multi-person tracker on the store floor: fused camera detections are assigned to tracks (Hungarian on
// distance plus appearance), tracks follow a constant-velocity Kalman filter, are held through blind spots and
// short occlusions, bound to sessions at the entry gate and closed at the exit gate. Pure: time comes in.

import { type CameraOutline, camerasSeeing } from '../../shared/camera-coverage.ts';
import {
  cosine,
  type FloorDetection,
  type FusedDetection,
  fuseDetections,
  normalise,
} from './camera-fusion.ts';
import type { GateBinder, GateBinding, Tailgating } from './gate-binder.ts';
import { assign } from './hungarian.ts';
import {
  CERTAIN_IDENTITY,
  CROWDED_LOOK_M,
  clearestLook,
  doubtBinding,
  doubtIdentity,
  forgetSwapDoubt,
  observeIdentity,
  settleSwapDoubts,
} from './identity-confidence.ts';
import { doubtCloseEncounters, doubtGateBinding, type StepMatch } from './identity-doubts.ts';
import { DEFAULT_MOTION, initAxis, predictAxis, updateAxis } from './motion-model.ts';
import { swapBackIfShown, watchForSwap } from './swap-reversal.ts';
import { DEFAULT_TRACKER, type Track, type TrackerTuning } from './track.ts';

export { DEFAULT_TRACKER, type Track, type TrackerTuning, type TrackState } from './track.ts';

/** A merged blob says where a hidden person roughly is: a loose measurement. */
const SHADOW_MOTION = { ...DEFAULT_MOTION, measureSd: 0.3 };

export class Tracker {
  /** by track id */
  private readonly tracks = new Map<string, Track>();
  /** by session id: when its track was dropped without walking out (someone the tracker no longer follows) */
  private readonly vanished = new Map<string, number>();
  private nextId = 1;
  private lastTs: number | undefined;
  /** People who came in through an entry gate without a scan admitting them, not yet taken. */
  private tailgating: Tailgating[] = [];

  constructor(
    private outlines: readonly CameraOutline[],
    private readonly binder: GateBinder,
    private readonly tuning: TrackerTuning = DEFAULT_TRACKER,
  ) {}

  /**
   * Advances to `ts` with the detections of the cameras that reported since the last update
   * (`observed`: their ids, including those that saw nobody). Returns tracks that ended (exited) now.
   */
  update(ts: number, detections: readonly FloorDetection[], observed: ReadonlySet<string>): Track[] {
    const dtS = this.lastTs === undefined ? 0 : Math.max(0, (ts - this.lastTs) / 1000);
    this.lastTs = ts;
    const live = [...this.tracks.values()];
    const before = new Map(live.map((t) => [t, { x: t.x.p, y: t.y.p }]));
    for (const t of live) {
      const unseenS = (ts - t.lastSeenTs) / 1000;
      t.x = predictAxis(t.x, dtS, DEFAULT_MOTION, unseenS);
      t.y = predictAxis(t.y, dtS, DEFAULT_MOTION, unseenS);
      t.lastTs = ts;
      t.hands = [];
    }
    const fused = fuseDetections(detections);
    const matchOf = this.match(live, fused, ts);
    const usedDetections = new Set<number>();
    /** What each track seen in this step was given, for telling whether two look-alikes could have swapped. */
    const stepMatches = new Map<Track, StepMatch>();
    /** Tracks a camera should have seen now (or that are in blind floor) but nothing was matched to. */
    const unseen = new Set<Track>();
    live.forEach((t, i) => {
      const j = matchOf[i] ?? -1;
      const d = j >= 0 ? fused[j] : undefined;
      if (d === undefined) {
        this.shadow(t, fused, matchOf);
        const cameras = camerasSeeing(this.outlines, t.x.p, t.y.p);
        const seen = cameras.some((c) => observed.has(c));
        if (seen) t.missedMs += dtS * 1000;
        if (t.missedMs > this.tuning.lostAfterMs) t.lost = true;
        if (seen || cameras.length === 0) unseen.add(t);
        return;
      }
      usedDetections.add(j);
      const was = before.get(t);
      if (was !== undefined)
        stepMatches.set(t, { before: was, predicted: { x: t.x.p, y: t.y.p }, detection: { x: d.x, y: d.y } });
      this.correct(t, d, fused, ts);
    });
    fused.forEach((d, j) => {
      // a second peak right next to someone matched (or seen more strongly) is part of them (a trolley)
      const duplicate = fused.some(
        (o, k) =>
          k !== j &&
          (usedDetections.has(k) || o.score > d.score) &&
          Math.hypot(o.x - d.x, o.y - d.y) < this.tuning.duplicateM,
      );
      if (!usedDetections.has(j) && !duplicate) this.birth(d, ts);
    });
    this.stepIn(ts);
    this.reclaimGhosts(unseen, ts);
    this.swapBack(ts);
    doubtCloseEncounters(this.tracks.values(), unseen, (t) => stepMatches.get(t), this.tuning.identity, ts);
    return this.prune(ts);
  }

  /**
   * Two tracks of different sessions whose people swapped in a close encounter, as both tracks' looks have
   * shown since (swap-reversal.ts): each takes the other's session back.
   */
  private swapBack(ts: number): void {
    for (const t of this.tracks.values()) {
      const other = t.swapDoubts.length === 1 ? t.swapDoubts[0]?.with : undefined;
      const o = other === undefined ? undefined : this.tracks.get(other);
      if (o === undefined || !isPerson(t) || !isPerson(o)) continue;
      swapBackIfShown(t, o, ts, this.tuning.identity);
    }
  }

  /** A camera was calibrated again: its floor outline from now on. */
  setOutline(outline: CameraOutline): void {
    this.outlines = [...this.outlines.filter((o) => o.camera !== outline.camera), outline];
  }

  /** Live tracks (tentative and lost ones included). */
  all(): Track[] {
    return [...this.tracks.values()];
  }

  /** People who came in through an entry gate on no scan (or more than it admitted) since the last call. */
  takeTailgating(): Tailgating[] {
    const taken = this.tailgating;
    this.tailgating = [];
    return taken;
  }

  /**
   * A confirmed track nothing was matched to, right by a detection another track took: the two people
   * merged into one blob. It moves with the blob (loosely) instead of coasting off on its old velocity, so
   * it is at hand when they part.
   */
  private shadow(t: Track, fused: readonly FusedDetection[], matchOf: readonly number[]): void {
    if (t.state !== 'confirmed') return;
    let best: FusedDetection | undefined;
    let bestD = this.tuning.shadowM;
    for (const j of matchOf) {
      const d = fused[j];
      if (d === undefined) continue;
      const dist = Math.hypot(d.x - t.x.p, d.y - t.y.p);
      if (dist < bestD) {
        bestD = dist;
        best = d;
      }
    }
    if (best === undefined) return;
    t.x = updateAxis(t.x, best.x, SHADOW_MOTION);
    t.y = updateAxis(t.y, best.y, SHADOW_MOTION);
  }

  /**
   * A second peak beside a shopper in a crowd (an arm, a bag, the gap between two people) can become a track
   * of its own on no session, and then take the shopper's detection while the shopper's track goes unseen
   * beside it — every neighbour then looks like a possible swap. A track on no session, born away from the
   * entry beside a shopper's track, that holds a detection closer to that unseen track than two people's
   * centres can be (`ghostM`) is that shopper: their track takes the detection back and the ghost is
   * dropped. No session changes hands (the ghost has none), and no doubt is lost (`inheritGhostDoubts`).
   */
  private reclaimGhosts(unseen: Set<Track>, ts: number): void {
    for (const ghost of [...this.tracks.values()]) {
      if (ghost.state !== 'confirmed' || ghost.sessionId !== null || ghost.lastSeenTs !== ts) continue;
      if (this.binder.nearEntry(ghost.bornX, ghost.bornY)) continue;
      let owner: Track | undefined;
      let nearest = this.tuning.ghostM;
      for (const id of ghost.bornBeside) {
        const o = this.tracks.get(id);
        if (o === undefined || o.state !== 'confirmed' || o.sessionId === null || !unseen.has(o)) continue;
        const d = Math.hypot(o.x.p - ghost.lastSeenX, o.y.p - ghost.lastSeenY);
        if (d <= nearest) {
          nearest = d;
          owner = o;
        }
      }
      if (owner === undefined) continue;
      owner.x = ghost.x;
      owner.y = ghost.y;
      owner.lastSeenTs = ts;
      owner.lastSeenX = ghost.lastSeenX;
      owner.lastSeenY = ghost.lastSeenY;
      owner.missedMs = 0;
      owner.lost = false;
      owner.hands = ghost.hands;
      this.inheritGhostDoubts(owner, ghost, ts);
      unseen.delete(owner);
      this.tracks.delete(ghost.id);
    }
  }

  /**
   * The ghost may have been someone else after all (a person found again before their track counted as
   * lost): whatever doubts it carried, the shopper's track carries now, and someone else who could have been
   * there makes its identity doubtful, as a relink would. Its encounters with the ghost stay doubts too.
   */
  private inheritGhostDoubts(owner: Track, ghost: Track, ts: number): void {
    const { identity } = this.tuning;
    for (const d of ghost.swapDoubts) {
      if (d.with === owner.id) continue;
      doubtIdentity(owner, identity.encounterCap, owner.embedding, d.ts, d.with, d.otherLook, d.since);
    }
    if (this.hasRival(owner, { x: ghost.lastSeenX, y: ghost.lastSeenY }, ts, this.tuning.ghostM))
      doubtIdentity(owner, identity.relinkCap, owner.embedding, ts);
  }

  /** Confirmed tracks whose position is known now (what the stage publishes). */
  reported(): Track[] {
    return this.all().filter((t) => t.state === 'confirmed' && !t.lost);
  }

  /**
   * Which detection each live track takes (index into `fused`, or -1). The assignment matches as many tracks
   * as it can, then the cheapest way. A phantom (a second peak of someone, nobody) matched that way may hold a
   * person's detection while the person's track is pushed onto another peak: when a camera came back seeing a
   * neighbour twice, a shopper's track went 0.86 m onto the neighbour's second peak (#13: dark-camera-03, both
   * identities in doubt, every pick after it to staff). So the tracks that were matched are matched again with
   * each phantom free to stay unmatched at `phantomMissM`: a person keeps a detection, perhaps a cheaper one, and
   * a phantom takes one another track wants only where the people pay less than that for it. A track left
   * unmatched stays so: the phantom's giving way must not pull an unseen track from afar onto someone else's
   * peak (busy hour: a track lost 2.8 m away took the peak a phantom held). A detection nobody took is still the
   * phantom's, cheapest first.
   */
  private match(live: readonly Track[], fused: readonly FusedDetection[], ts: number): number[] {
    const cost = live.map((t) => fused.map((d) => this.cost(t, d, ts)));
    const plain = assign(cost);
    const phantoms = live.flatMap((t, i) => (t.phantom ? [i] : []));
    if (phantoms.length === 0) return plain;
    const rows = live.flatMap((t, i) => (t.phantom || (plain[i] ?? -1) >= 0 ? [i] : []));
    const withMisses = rows.map((i) => [
      ...(cost[i] ?? []),
      ...phantoms.map((p) => (p === i ? this.tuning.phantomMissM : Number.POSITIVE_INFINITY)),
    ]);
    const matchOf = live.map(() => -1);
    assign(withMisses).forEach((j, r) => {
      if (j >= 0 && j < fused.length) matchOf[rows[r] as number] = j;
    });
    const taken = new Set(matchOf.filter((j) => j >= 0));
    const left = phantoms.flatMap((i) =>
      matchOf[i] === -1
        ? (cost[i] ?? []).flatMap((c, j) => (Number.isFinite(c) && !taken.has(j) ? [{ i, j, c }] : []))
        : [],
    );
    for (const { i, j } of left.sort((a, b) => a.c - b.c)) {
      if (matchOf[i] !== -1 || taken.has(j)) continue;
      matchOf[i] = j;
      taken.add(j);
    }
    return matchOf;
  }

  private cost(t: Track, d: FusedDetection, ts: number): number {
    const unseenS = Math.max(0, (ts - t.lastSeenTs) / 1000);
    // only a shopper's track is worth finding again far from where it was lost (`widensWhileUnseen`)
    const growth = widensWhileUnseen(t) ? this.tuning.gateGrowthMps : 0;
    const gate = Math.min(this.tuning.maxGateM, this.tuning.gateM + unseenS * growth);
    const dist = Math.hypot(t.x.p - d.x, t.y.p - d.y);
    if (dist > gate) return Number.POSITIVE_INFINITY;
    const app =
      t.embedding !== undefined && d.embedding !== undefined ? 1 - cosine(t.embedding, d.embedding) : 0.3;
    // a long-unseen track is matched mostly on appearance: its position is a guess
    const distWeight = 1 / (1 + unseenS);
    // a tentative track, or a phantom (a second peak of someone), gives way to a person's track on a shared detection
    const person = t.state === 'confirmed' && !t.phantom;
    return dist * distWeight + this.tuning.appearanceWeight * app + (person ? 0 : 0.3);
  }

  private correct(t: Track, d: FusedDetection, all: readonly FusedDetection[], ts: number): void {
    const sinceSeenMs = ts - t.lastSeenTs;
    // found again after being lost or long unseen: matched mostly on appearance, so maybe someone else
    const refound = t.state === 'confirmed' && (t.lost || sinceSeenMs > this.tuning.lostAfterMs);
    if (refound && this.hasRival(t, d, ts, this.tuning.relinkRadiusM))
      doubtIdentity(t, this.tuning.identity.relinkCap, t.embedding, ts);
    t.x = updateAxis(t.x, d.x, DEFAULT_MOTION);
    t.y = updateAxis(t.y, d.y, DEFAULT_MOTION);
    t.hits += 1;
    t.lastSeenTs = ts;
    t.lastSeenX = d.x;
    t.lastSeenY = d.y;
    t.missedMs = 0;
    t.lost = false;
    t.hands = d.hands;
    // learn appearance only when nobody else is close enough to bleed into the crop
    const neighbours = all
      .filter((o) => o !== d && Math.hypot(o.x - d.x, o.y - d.y) < CROWDED_LOOK_M)
      .map((o) => o.embedding);
    const crowded = neighbours.length > 0;
    // the look that found it again is what matched it: evidence comes from the looks after
    if (!refound) {
      // in a crowd, each view on its own: the one whose crop shows the person clearest
      const look = (reference: Float32Array | undefined) =>
        crowded ? (clearestLook(reference, d.looks) ?? d.embedding) : d.embedding;
      observeIdentity(t, look(t.identityReference), neighbours, sinceSeenMs, this.tuning.identity);
      // no swap at those moments after all: nor for the other track of each encounter
      const settledNow = settleSwapDoubts(
        t,
        look(t.doubtReference),
        neighbours,
        sinceSeenMs,
        this.tuning.identity,
      );
      for (const settled of settledNow) {
        const other = settled.with === undefined ? undefined : this.tracks.get(settled.with);
        if (other !== undefined) forgetSwapDoubt(other, t.id, settled.ts);
      }
      // or the other way: looks of the other one's person, as swapped people show (`swapBack`)
      watchForSwap(t, crowded ? undefined : d.embedding, sinceSeenMs, this.tuning.identity);
    }
    if (d.embedding !== undefined && !crowded) {
      if (t.embedding === undefined) t.embedding = Float32Array.from(d.embedding);
      else {
        const r = this.tuning.embeddingRate;
        for (let i = 0; i < t.embedding.length; i++) {
          t.embedding[i] = (1 - r) * (t.embedding[i] ?? 0) + r * (d.embedding[i] ?? 0);
        }
        normalise(t.embedding);
      }
    }
    if (t.state === 'tentative' && t.hits >= this.tuning.hitsToConfirm) this.confirm(t, ts);
  }

  /**
   * A new track is real: one coming in through an entry gate takes the next admission slot (or, with none
   * left, is found-again, a tailgater or a second peak of someone just in); one appearing elsewhere is someone
   * the tracker lost, found again — or nobody.
   */
  private confirm(t: Track, ts: number): void {
    t.state = 'confirmed';
    if (!this.binder.nearEntry(t.bornX, t.bornY)) {
      if (!this.relink(t, ts, this.tuning.relinkRadiusM, this.tuning.walkMps))
        t.phantom = !this.couldBeSomeone(t, ts);
      return;
    }
    const binding = this.binder.bindNewTrack(t.bornX, t.bornY, t.bornTs);
    if (binding === undefined) {
      // lost at the entrance a moment ago and found again there: not a newcomer
      if (this.relink(t, ts, 1, 0)) {
        this.doubtNewcomers(t, ts);
        return;
      }
      if (this.takeFalseStartsSlot(t, ts)) return;
      if (this.secondPeakBesideNewcomer(t, ts)) {
        t.phantom = true;
        return;
      }
      // seen on the gate before any scan let them in (queueing at it, in sight of its camera): they come in
      // when they step off it (`stepIn`), on the scan open then
      if (this.binder.onGate(t.bornX, t.bornY)) {
        t.waitingAtGate = true;
        return;
      }
    }
    this.comeIn(t, binding, ts);
  }

  /** A newcomer through an entry gate takes the scan it came in on (`binding`), or is reported as unadmitted. */
  private comeIn(t: Track, binding: GateBinding | undefined, ts: number): void {
    t.sessionId = binding?.sessionId ?? null;
    // came in unseen while another scan's person was also still to come: either may be the other
    if (binding?.contested === true) doubtBinding(t, this.tuning.identity.gateCap);
    // first seen off the gate itself (its camera dark) while someone lost nearby could have walked there: the
    // newcomer may be that person, and whoever is found again in their place the one who scanned — no look
    // tells who scanned, so both are in doubt for good (the exit settles who is who)
    if (t.sessionId !== null && this.binder.offGate(t.bornX, t.bornY)) {
      const rivals = this.lostRivals(t, { x: t.bornX, y: t.bornY }, t.bornTs, this.tuning.relinkRadiusM);
      for (const o of rivals.length > 0 ? [t, ...rivals] : []) doubtBinding(o, this.tuning.identity.gateCap);
    }
    // first seen right beside another scan's newcomer, one blob with it until they parted: that track may
    // have followed this person in and moved on to the other as they parted, whenever each was first seen
    // (family-03, third seed: a stranger one step behind a child through the gate; the child's track went on
    // with the stranger as they parted, and the child, seen again 1.1 s after its track began and 0.4 m from
    // it, took the stranger's scan)
    const merged = this.newcomersBornBeside(t);
    for (const o of merged.length > 0 ? [t, ...merged] : [])
      if (o.sessionId !== null) doubtBinding(o, this.tuning.identity.gateCap);
    if (t.sessionId === null) {
      const tailgating = this.binder.unadmitted(t.bornX, t.bornY, t.bornTs, t.id);
      if (tailgating !== undefined) this.tailgating.push(tailgating);
    }
    this.doubtNewcomers(t, ts);
  }

  /**
   * Newcomers through an entry gate (of another session) that `t` was first seen right beside: one merged
   * with it while both came in, whose track may have taken this person's place when they parted.
   */
  private newcomersBornBeside(t: Track): Track[] {
    return t.bornBeside.flatMap((id) => {
      const o = this.tracks.get(id);
      if (o === undefined || o === t || o.state !== 'confirmed' || o.sessionId === t.sessionId) return [];
      const newcomer =
        this.binder.nearEntry(o.bornX, o.bornY) && t.bornTs - o.bornTs <= this.tuning.identity.newcomerMs;
      return newcomer ? [o] : [];
    });
  }

  /**
   * Someone who waited on an entry gate before any scan (`waitingAtGate`) comes in once seen off it: from then on
   * they are a newcomer born at the gate now — bound to the scan open then, or unadmitted. Seen only: a track
   * coasting unseen may not have moved at all.
   */
  private stepIn(ts: number): void {
    for (const t of this.tracks.values()) {
      if (t.waitingAtGate !== true || t.lastSeenTs !== ts) continue;
      if (this.binder.onGate(t.x.p, t.y.p)) continue;
      t.waitingAtGate = false;
      t.bornTs = ts;
      this.comeIn(t, this.binder.bindNewTrack(t.bornX, t.bornY, ts), ts);
    }
  }

  /**
   * Someone steps onto an entry gate and finds no scan left to take, while a newcomer bound at that entry a
   * moment ago was seen for no longer than `falseStartMs` beside someone else coming in, and is lost now: that
   * newcomer was a second peak (a bag, an arm, the gap between two people) that took the slot before its person
   * reached the gate — it looks like neither (`relink` found no likeness). The slot is this person's: they take
   * the false start's scan and it is dropped, as a tentative track dropped gives its slot back. Had the false
   * start been the scan's person after all, lost in the blob of the one beside them, this one would be someone
   * following in on no scan: the binding stays in doubt (`gateCap`) until the exit settles it.
   */
  private takeFalseStartsSlot(t: Track, ts: number): boolean {
    if (!this.binder.onGate(t.bornX, t.bornY)) return false;
    let falseStart: Track | undefined;
    for (const o of this.tracks.values()) {
      if (o === t || o.state !== 'confirmed' || o.sessionId === null || o.bornBeside.length === 0) continue;
      if (!this.binder.nearEntry(o.bornX, o.bornY) || ts - o.lastSeenTs < 400) continue;
      if (o.lastSeenTs - o.bornTs > this.tuning.falseStartMs) continue;
      if (falseStart === undefined || o.bornTs > falseStart.bornTs) falseStart = o;
    }
    if (falseStart === undefined) return false;
    this.tracks.delete(falseStart.id);
    t.sessionId = falseStart.sessionId;
    doubtBinding(t, this.tuning.identity.gateCap);
    this.doubtNewcomers(t, ts);
    return true;
  }

  /** Newcomers right beside `t` at the gate, first seen about when it was, may be bound the other way round. */
  private doubtNewcomers(t: Track, ts: number): void {
    doubtGateBinding(
      t,
      this.tracks.values(),
      (o) => this.binder.nearEntry(o.bornX, o.bornY),
      ts,
      this.tuning.identity,
    );
  }

  /**
   * A person found again after the tracker lost them (occlusion, blind spot) appears as a new track away from
   * the entry gate: give it back the identity of the lost track that looks most like it and could have got
   * there, and drop the lost one.
   */
  private relink(t: Track, ts: number, radiusM: number, walkMps: number): boolean {
    let best: Track | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const o of this.tracks.values()) {
      if (o === t || o.state !== 'confirmed' || o.sessionId === null || ts - o.lastSeenTs < 400) continue;
      const dist = lostDistanceM(o, { x: t.x.p, y: t.y.p });
      if (dist > lostReachM(o, ts, radiusM, walkMps)) continue;
      const cos =
        o.embedding !== undefined && t.embedding !== undefined ? cosine(o.embedding, t.embedding) : 0.7;
      if (cos < this.tuning.relinkMinCosine) continue;
      const score = cos - 0.1 * dist;
      if (score > bestScore) {
        bestScore = score;
        best = o;
      }
    }
    if (best === undefined) return false;
    this.tracks.delete(best.id);
    this.tracks.delete(t.id);
    t.id = best.id;
    t.sessionId = best.sessionId;
    t.bornTs = best.bornTs;
    t.bornX = best.bornX;
    t.bornY = best.bornY;
    // the identity is the lost track's, as sure as it was, now only as sure as a look-alike can make it
    t.identityConfidence = best.identityConfidence;
    t.identityReference = best.identityReference;
    t.identityCeiling = best.identityCeiling;
    t.swapDoubts = best.swapDoubts;
    t.doubtReference = best.doubtReference;
    t.everInDoubt = best.everInDoubt;
    t.swapsShown = best.swapsShown;
    if (this.hasRival(t, { x: t.x.p, y: t.y.p }, ts, radiusM, walkMps))
      doubtIdentity(t, this.tuning.identity.relinkCap, best.embedding, ts);
    this.tracks.set(t.id, t);
    return true;
  }

  /**
   * Whether someone else could be the person found again at `at`: someone admitted at the gate and not seen
   * yet, or another confirmed track of another session (or of none), itself unseen for a while, that could
   * have got there since it was last seen. When the only
   * people lost nearby are the track's own (or its companions on the same scan), being found again by
   * appearance cannot have moved a pick to anyone else: no doubt. `counts` says which lost tracks count.
   */
  private hasRival(
    t: Track,
    at: { x: number; y: number },
    ts: number,
    radiusM: number,
    walkMps = this.tuning.walkMps,
    counts: (lost: Track) => boolean = () => true,
  ): boolean {
    // someone let in through the gate and not seen yet (a dark camera at the entrance) may be who this is
    if (this.binder.pendingCount() > 0) return true;
    return this.lostRivals(t, at, ts, radiusM, walkMps).some(counts);
  }

  /**
   * A track on no scan, first seen in the entry's reach but off the gate itself, beside someone already
   * tracked, while nobody could be its person (`couldBeSomeone`): a second peak of a shopper who just came in
   * (a bag, an arm), not someone who came in unadmitted — a person stepping in through a gate in sight is
   * first seen on it (`firstSeenM`), and with the gate's camera dark the scans they came in on are still
   * pending. Judged a phantom like one born anywhere else, it casts no doubt on the shopper it walks beside.
   */
  private secondPeakBesideNewcomer(t: Track, ts: number): boolean {
    if (!this.binder.offGate(t.bornX, t.bornY)) return false;
    const beside = t.bornBeside.some((id) => this.tracks.get(id)?.state === 'confirmed');
    return beside && !this.couldBeSomeone(t, ts);
  }

  /**
   * Whether a track born away from the entry (and given to no lost track) could be a person: someone admitted
   * and not seen yet, someone lost who could have got there (a track itself judged a phantom is no one), or a
   * shopper whose track vanished lately.
   */
  private couldBeSomeone(t: Track, ts: number): boolean {
    for (const [sessionId, at] of this.vanished)
      if (ts - at > this.tuning.vanishedMemoryMs) this.vanished.delete(sessionId);
    // a phantom lost from view was nobody: no one can be its person (counted, one lost second peak made every
    // second peak born within its ever-growing reach a person, each a rival for the next — busy hour, #13)
    const born = { x: t.bornX, y: t.bornY };
    const { relinkRadiusM, walkMps } = this.tuning;
    return this.vanished.size > 0 || this.hasRival(t, born, ts, relinkRadiusM, walkMps, (o) => !o.phantom);
  }

  /**
   * Confirmed tracks of another session (or of none), unseen for a while, that could have got to `at` since
   * they were last seen: any of them may be the person `t` is.
   */
  private lostRivals(
    t: Track,
    at: { x: number; y: number },
    ts: number,
    radiusM: number,
    walkMps = this.tuning.walkMps,
  ): Track[] {
    return [...this.tracks.values()].filter((o) => {
      if (o === t || o.id === t.id || o.state !== 'confirmed') return false;
      if (o.sessionId !== null && o.sessionId === t.sessionId) return false;
      if (ts - o.lastSeenTs < 400) return false;
      return lostDistanceM(o, at) <= lostReachM(o, ts, radiusM, walkMps);
    });
  }

  private birth(d: FusedDetection, ts: number): void {
    const id = `T${this.nextId++}`;
    this.tracks.set(id, {
      id,
      sessionId: null,
      state: 'tentative',
      x: initAxis(d.x),
      y: initAxis(d.y),
      embedding: d.embedding === undefined ? undefined : Float32Array.from(d.embedding),
      hands: d.hands,
      bornTs: ts,
      bornX: d.x,
      bornY: d.y,
      bornBeside: [...this.tracks.values()]
        .filter((o) => o.state === 'confirmed' && Math.hypot(o.x.p - d.x, o.y.p - d.y) <= this.tuning.shadowM)
        .map((o) => o.id),
      lastSeenTs: ts,
      lastSeenX: d.x,
      lastSeenY: d.y,
      lastTs: ts,
      hits: 1,
      missedMs: 0,
      lost: false,
      phantom: false,
      ...CERTAIN_IDENTITY,
    });
  }

  /** True when floor no camera sees lies within 0.8 m (a person there may have just walked out of view). */
  private nearBlind(x: number, y: number): boolean {
    for (let k = 0; k < 8; k++) {
      const a = (k * Math.PI) / 4;
      if (camerasSeeing(this.outlines, x + 0.8 * Math.cos(a), y + 0.8 * Math.sin(a)).length === 0)
        return true;
    }
    return false;
  }

  private prune(ts: number): Track[] {
    const ended: Track[] = [];
    for (const t of this.tracks.values()) {
      const visible = camerasSeeing(this.outlines, t.x.p, t.y.p).length > 0;
      const limit = t.state === 'tentative' ? this.tuning.dropTentativeMs : this.tuning.dropConfirmedMs;
      const blindTooLong = !visible && ts - t.lastSeenTs > this.tuning.holdBlindMs;
      // leaving through the exit gate: last seen near it, at the edge of what the cameras see, then gone. Where a
      // camera last saw them, not where the track coasted: a person lost mid-floor whose estimate drifted on a
      // stale velocity into the exit's radius did not walk out (busy hour, 2026-12-04: one lost 13 s at
      // (18.9, 3.2) and one lost 5 s at (3.6, 5.9) were reported through the exit).
      const exitGate = t.state === 'confirmed' ? this.binder.exitNear(t.lastSeenX, t.lastSeenY) : undefined;
      const leftThroughExit =
        exitGate !== undefined &&
        ts - t.lastSeenTs > 800 &&
        (!visible || this.nearBlind(t.lastSeenX, t.lastSeenY));
      if (!(t.missedMs > limit || blindTooLong || leftThroughExit)) continue;
      this.tracks.delete(t.id);
      if (!leftThroughExit && t.state === 'confirmed' && t.sessionId !== null)
        this.vanished.set(t.sessionId, ts);
      if (leftThroughExit) {
        t.state = 'exited';
        t.exitGate = exitGate;
        ended.push(t);
      }
    }
    return ended;
  }
}

/** A confirmed track that is a person (not a second peak of someone). */
function isPerson(t: Track): boolean {
  return t.state === 'confirmed' && !t.phantom;
}

/**
 * Whether a track's reach widens while it goes unseen (`gateGrowthMps`, up to `maxGateM`): only a shopper's.
 * A track on no session that widened it took whoever came by next once lost, matched mostly on looks — in a
 * busy hour a newcomer stepping in through the entry 2.3 m from where it was lost (whose scan then went
 * unused, and whose every pick went to staff as a pick on no session), or a shopper whose own track missed a
 * frame. Finding it again far off gains nothing (it bills nobody); its person, if it was one, appears again
 * as a new track, given back a lost shopper's session where one fits (`relink`). Close by — parting from a
 * blob it was merged into (`shadow`) — it is still found again.
 */
function widensWhileUnseen(t: Track): boolean {
  return t.sessionId !== null;
}

/**
 * How far a track unseen for a while is from `at`: from where it coasted to, or from where it was last seen,
 * whichever is nearer (coasting on a stale velocity can carry the estimate away from where the person went).
 */
function lostDistanceM(o: Track, at: { x: number; y: number }): number {
  return Math.min(Math.hypot(o.x.p - at.x, o.y.p - at.y), Math.hypot(o.lastSeenX - at.x, o.lastSeenY - at.y));
}

/** How far (m) a lost person may be from where `lostDistanceM` measures: `radiusM` plus what they walked since. */
function lostReachM(o: Track, ts: number, radiusM: number, walkMps: number): number {
  return radiusM + ((ts - o.lastSeenTs) / 1000) * walkMps;
}
