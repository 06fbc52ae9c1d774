// Fusion stage (I/O shell): shelf events in, attributed events out. With cameras it waits (bounded) until the
// tracks have caught up with the event, measures who reached into the lane, decides, and lets the shopper's
// cart settle look-alike put-backs. Without cameras the decision is immediate (sole session or staff).
import { withModifier } from '../../shared/attribution-rule.ts';
import type { Clock } from '../../shared/clock.ts';
import { laneCoverage } from '../../shared/lane-coverage.ts';
import { round3 } from '../../shared/round.ts';
import type { CandidateEvidence } from '../../shared/schemas/attribution-evidence.ts';
import type { DetectedShelfEvent, ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { StoreIndex } from '../../shared/store-config.ts';
import { type FloorPoint, laneReachPoint, shelfAxes } from '../../shared/store-geometry.ts';
import { type CancelTimer, systemTimers, type Timers } from '../../shared/timers.ts';
import { trackAlibiM } from './alibi.ts';
import {
  type Attribution,
  attributeEvent,
  type SessionSpan,
  sessionsDecidedAmong,
  sessionsPresent,
} from './attributor.ts';
import {
  type ClosedCart,
  resolvePutBack,
  returnedAfterReceipt,
  returnedByOnlyHolder,
} from './cart-evidence.ts';
import { type AtScanner, doubtNow, peopleAtScanner } from './exit-scanner.ts';
import {
  type ExitScan,
  lastForeignDoubtTs,
  matchExits,
  nobodyElseCanLeave,
  peopleLetOut,
  trackExits,
} from './exit-sequence.ts';
import { DEFAULT_FUSION, type FusionSettings } from './fusion-settings.ts';
import { latestOpenDoubtSince } from './identity-settle.ts';
import { oneEach, shareOut } from './one-each.ts';
import { type EvidenceQuery, gatherEvidence, gatherTrackEvidence } from './reach-evidence.ts';
import { walkedOffAfterScan } from './scanner-departure.ts';
import { otherScansPeople, type ScannerSighting, tellByElimination } from './scanner-elimination.ts';
import { type CarriedSession, withSessionsCarried } from './swap-redecide.ts';
import { TrackHistory, type TrackSnapshot } from './track-history.ts';
import { carriedThroughout } from './walked-back.ts';

export interface FusionStageOptions {
  store: StoreIndex;
  clock: Clock;
  /** Default: wall-clock timers. */
  timers?: Timers;
  sessions: () => SessionSpan[];
  /** Units per SKU in a session's cart now. */
  holds: (sessionId: string) => ReadonlyMap<string, number>;
  /**
   * Sessions whose receipt can still change: inside, or scanned out with the cart not yet final. What comes
   * back to a shelf may be the item of a shopper who just left (handed to the one who put it back).
   * Default: the sessions inside during the event.
   */
  openCarts?: () => readonly string[];
  /**
   * Sessions whose receipt was issued, exited at or after `since` (ms) billed for one of `skus`, with what they
   * were billed for less what came back since: a put-back no open cart can take may be one of their items
   * (#13). Default: none (such a put-back stays with whoever fusion gave it to).
   */
  closedCarts?: (since: number, skus: readonly string[]) => readonly ClosedCart[];
  /** After `decided`: a put-back was given to a session whose receipt was issued; the cloud refunds it. */
  returnedAfterReceipt?: (event: ShelfEvent) => void;
  /** Whether a pick that may have been this product still waits for a decision (staff, the exit). */
  undecidedPickOf?: (sku: string) => boolean;
  /** An event decided: `candidates` are the sessions that could have done it, most likely first. */
  decided: (event: ShelfEvent, candidates: string[]) => void;
  /**
   * A track was this session's person (`ExitMatch`). True back when that settled all a match of this person
   * can: no exception was left because of a doubt about whom the track followed (which a later match, with
   * more of the others seen leaving, may clear) — another match of the same track would change nothing.
   */
  exitMatched?: (match: ExitMatch) => boolean;
  /** Every tracker step, after fusion has taken it (the identity-settle watch looks at it). */
  stepped?: (step: TrackSnapshot) => void;
  /** Whether the session has doubtful picks the cameras followed (worth watching its exit for). */
  hasDoubtsWithEvidence?: (sessionId: string) => boolean;
  /** Default: DEFAULT_FUSION. */
  settings?: FusionSettings;
}

/** How the exit told whose a track was: it stood at the scanner during the scan, or walked out after it. */
export type ExitEvidence = 'at-scanner' | 'walked-out';

/**
 * A track was this session's person — since `doubtTs` at least (the last moment it may have changed to another
 * session's person; undefined: never): it alone stood at the exit scanner when the session scanned out
 * (exit-scanner.ts), or it left through the exit and could only have left on this session's scan
 * (exit-sequence.ts, `doubtTs` from lastForeignDoubtTs).
 */
export interface ExitMatch {
  sessionId: string;
  trackId: string;
  doubtTs: number | undefined;
  how: ExitEvidence;
  /** People the session let in: with more than one, the track is one of them, not the only one. */
  party: number;
}

interface Pending {
  detected: DetectedShelfEvent;
  since: number;
}

interface PendingExit extends ExitScan {
  since: number;
  /** Who stood at the scanner was looked at (exit-scanner.ts): once, as soon as the tracks show the scan. */
  scannerSeen: boolean;
  /** The session has nothing the exit could settle: its scan is looked at only for who else scanned. */
  scannerOnly: boolean;
  /**
   * Who stood at the scanner (a party of one) settled all a match of theirs can (`exitMatched`): the
   * receipt need not wait for them to be seen walking out; the watch still runs for the others it may tell.
   */
  settledAtScanner: boolean;
}

/** An own event on the lane is named in the evidence when it ended at most this long before (ms). */
const OWN_LANE_EVENT_KEPT_MS = 5000;

/** Exit scans remembered for matching leavers (the track history's span is what they are matched against). */
const EXIT_SCANS_KEPT = 1000;

export class FusionStage {
  readonly history = new TrackHistory();
  /** oldest first */
  private readonly pending: Pending[] = [];
  private readonly pendingExits: PendingExit[] = [];
  /** who stood at the exit scanner at each recent scan (exit-scanner.ts), oldest first */
  private readonly scannerSightings: ScannerSighting[] = [];
  /** Who was told at the exit scanner with a swap doubt open, oldest first (`retellSettled`). */
  private readonly toldInDoubt: Array<{ scan: ExitScan; person: AtScanner }> = [];
  /** Every exit scan of the last minutes, oldest first: who else may have walked out then. */
  private readonly exitScans: ExitScan[] = [];
  /** Edge-clock time the last step arrived. */
  private lastStepAt: number | undefined;
  /** By lane: the latest event the cameras gave a session there, and when its weight change ended. */
  private readonly lastOnLane = new Map<string, { sessionId: string; endTs: number }>();
  private cancelFlush: CancelTimer | undefined;
  /** by lane id */
  private readonly laneCameras = new Map<string, Set<string>>();
  /** by lane id */
  private readonly reachPoints = new Map<string, FloorPoint>();
  /** by lane id: half the distance to the nearest other lane's reach point */
  private readonly laneHalfWidths = new Map<string, number>();
  /** Each lane's shelf direction (the unit vector along which its lanes sit side by side). */
  private readonly laneAlong = new Map<string, FloorPoint>();
  /** Where the store's entry gates are. */
  private readonly entryGates: readonly FloorPoint[];
  private readonly settings: FusionSettings;

  constructor(private readonly options: FusionStageOptions) {
    this.settings = options.settings ?? DEFAULT_FUSION;
    this.entryGates = options.store.config.gates.filter((g) => g.kind === 'entry').map((g) => g.position);
    for (const shelf of options.store.config.shelves) {
      const { along } = shelfAxes(shelf);
      for (const lane of shelf.lanes) {
        this.reachPoints.set(lane.id, laneReachPoint(shelf, lane));
        this.laneAlong.set(lane.id, along);
      }
    }
    for (const [lane, at] of this.reachPoints) {
      let nearest = Number.POSITIVE_INFINITY;
      for (const [other, p] of this.reachPoints)
        if (other !== lane) nearest = Math.min(nearest, Math.hypot(p.x - at.x, p.y - at.y));
      if (Number.isFinite(nearest)) this.laneHalfWidths.set(lane, nearest / 2);
    }
    // the cameras that see the aisle in front of each lane: stated in the store config, else computed
    for (const c of laneCoverage(options.store.config)) this.laneCameras.set(c.lane, new Set(c.cameras));
  }

  start(): void {
    this.cancelFlush ??= (this.options.timers ?? systemTimers).every(this.settings.flushEveryMs, () =>
      this.flush(),
    );
  }

  stop(): void {
    this.cancelFlush?.();
    this.cancelFlush = undefined;
    this.flush(true);
  }

  /** One vision step. */
  observe(step: TrackSnapshot): void {
    this.history.record(step);
    this.lastStepAt = this.options.clock.now();
    this.flush();
    this.tellQueued();
    this.retellSettled();
    this.options.stepped?.(step);
  }

  /** A shelf event from the shelf stage. */
  onShelfEvent(detected: DetectedShelfEvent): void {
    this.pending.push({ detected, since: this.options.clock.now() });
    this.flush();
  }

  /**
   * A session (of `party` people) scanned out. Every scan is remembered — it may explain who else walked out
   * then, or who else stood at the scanner — and when some picks the session may have made wait for staff with
   * the cameras' evidence, fusion watches who walks out on this scan: they are this shopper, whatever session
   * their track carried.
   */
  sessionExited(sessionId: string, gate: string, scanTs: number, party = 1): void {
    if (this.history.latestTs === undefined) return;
    const scan: ExitScan = { sessionId, gate, ts: scanTs, party };
    this.exitScans.push(scan);
    const horizon = scanTs - this.history.keepMs;
    while (
      this.exitScans.length > EXIT_SCANS_KEPT ||
      (this.exitScans[0]?.ts ?? Number.POSITIVE_INFINITY) < horizon
    )
      this.exitScans.shift();
    const scannerOnly = this.options.hasDoubtsWithEvidence?.(sessionId) !== true;
    this.pendingExits.push({
      ...scan,
      since: this.options.clock.now(),
      scannerSeen: false,
      scannerOnly,
      settledAtScanner: false,
    });
  }

  /**
   * True while the exit of this session is still being watched for a doubtful pick it may settle: once none is
   * left (decided since the scan — the shopper's identity settled on the way out), nothing is to wait for.
   */
  isAwaitingExit(sessionId: string): boolean {
    return (
      this.pendingExits.some((p) => p.sessionId === sessionId && !p.settledAtScanner) &&
      this.options.hasDoubtsWithEvidence?.(sessionId) === true
    );
  }

  /**
   * True when no event that began at or before `ts` is still waiting for the tracks; with `leadMs`, on each
   * shelf at or before that long before `ts` (shelf-monitor.ts › isSettledThrough).
   */
  isSettledThrough(ts: number, leadMs?: (shelfId: string) => number): boolean {
    return !this.pending.some((p) => p.detected.startTs <= ts - (leadMs?.(p.detected.shelf) ?? 0));
  }

  private flush(force = false): void {
    const now = this.options.clock.now();
    const { lookAheadMs: lookAhead, maxWaitMs: maxWait, staleTracksMs } = this.settings;
    const tracksLive = this.lastStepAt !== undefined && now - this.lastStepAt < staleTracksMs;
    while (this.pending.length > 0) {
      const next = this.pending[0] as Pending;
      const caughtUp = (this.history.latestTs ?? Number.NEGATIVE_INFINITY) >= next.detected.endTs + lookAhead;
      if (!force && tracksLive && !caughtUp && now - next.since < maxWait) return;
      this.pending.shift();
      this.decide(next.detected);
    }
    for (let i = 0; i < this.pendingExits.length; i++) {
      const exit = this.pendingExits[i] as PendingExit;
      if (!exit.scannerSeen) {
        const { scanLagMs } = this.settings.exit;
        const shown = (this.history.latestTs ?? Number.NEGATIVE_INFINITY) >= exit.ts + scanLagMs;
        if (shown || force || !tracksLive || now - exit.since >= scanLagMs + maxWait) {
          exit.scannerSeen = true;
          if (shown) this.matchAtScanner(exit);
        }
      }
      if (exit.scannerOnly) {
        if (exit.scannerSeen) this.pendingExits.splice(i--, 1);
        continue;
      }
      // everyone who could have left on this scan, and on the scans just after it that compete for them
      const until = this.matchingHorizon(exit);
      const seenAll = (this.history.latestTs ?? Number.NEGATIVE_INFINITY) >= until;
      const final = seenAll || this.nobodyElseCanLeave(exit, until);
      if (!force && tracksLive && !final && now - exit.since < until - exit.ts + maxWait) continue;
      this.pendingExits.splice(i--, 1);
      for (const leaver of this.leaversOn(exit))
        this.options.exitMatched?.({
          sessionId: exit.sessionId,
          trackId: leaver.trackId,
          doubtTs: leaver.foreignDoubtTs,
          how: 'walked-out',
          party: exit.party,
        });
    }
  }

  /**
   * Tells who stood at the exit scanner during the scan, when the cameras leave no one else possible — at once,
   * or once the others standing there turn out to be other scans' people (scanner-elimination.ts).
   */
  private matchAtScanner({ sessionId, gate: gateId, ts, party }: ExitScan): void {
    const gate = this.options.store.config.gates.find((g) => g.id === gateId);
    if (gate === undefined) return;
    const scan: ExitScan = { sessionId, gate: gateId, ts, party };
    const { windowMs, scanLagMs } = this.settings.exit;
    const snapshots = this.history.between(ts - 2 * windowMs, ts + scanLagMs);
    const sightings = this.scannerSightings;
    const others = otherScansPeople(sightings, scan, windowMs, (trackId) => {
      const latest = this.history.ofTrack(trackId)?.track;
      return latest === undefined ? undefined : latestOpenDoubtSince(latest);
    });
    const standing = peopleAtScanner(snapshots, gate.position, scan, this.settings.exit, others);
    if (standing === undefined) return;
    while (
      (sightings[0]?.scan.ts ?? Number.POSITIVE_INFINITY) < ts - windowMs ||
      sightings.length > EXIT_SCANS_KEPT
    )
      sightings.shift();
    const sighting = { scan, standing, told: standing.length <= peopleLetOut(scan) };
    sightings.push(sighting);
    if (sighting.told) for (const person of standing) this.tellAtScanner(scan, person);
    this.tellQueued();
  }

  /**
   * Tells the scans a queue at the scanner left open once the others standing there turn out to be other scans'
   * people (scanner-elimination.ts), each track with its doubt as it stands now: one its looks have settled since
   * the sighting no longer keeps it from accounting for who stood there (`doubtNow`). Run at each scan and each
   * tracker step while a scan is still untold.
   */
  private tellQueued(): void {
    const sightings = this.scannerSightings;
    if (sightings.every((s) => s.told)) return;
    for (const s of sightings)
      s.standing = s.standing.map((p) => {
        const doubtTs = doubtNow(p, this.history.ofTrack(p.trackId)?.track);
        return doubtTs === p.doubtTs ? p : { ...p, doubtTs };
      });
    for (const { scan: by, standing: people } of tellByElimination(sightings, this.settings.exit.windowMs))
      for (const person of people) this.tellAtScanner(by, person);
    // a queue the others have not told: who walked off through the gate the scan opened
    let walkedOff = false;
    for (const s of sightings) {
      if (s.told) continue;
      const walked = this.walkedOff(s);
      if (walked === undefined) continue;
      s.standing = walked;
      s.told = true;
      walkedOff = true;
      for (const person of walked) this.tellAtScanner(s.scan, person);
    }
    if (walkedOff)
      for (const { scan: by, standing: people } of tellByElimination(sightings, this.settings.exit.windowMs))
        for (const person of people) this.tellAtScanner(by, person);
  }

  /** Who of a queue at the scanner walked off after the scan (scanner-departure.ts), or undefined. */
  private walkedOff({ scan, standing }: ScannerSighting): AtScanner[] | undefined {
    const gate = this.options.store.config.gates.find((g) => g.id === scan.gate);
    const latest = this.history.latestTs;
    if (gate === undefined || latest === undefined) return undefined;
    const { seenAtScanMs, windowMs } = this.settings.exit;
    // another scan at the gate since, or shortly before (its people may be walking out on it now)
    const otherScan = this.exitScans.some(
      (o) => o.gate === scan.gate && o.sessionId !== scan.sessionId && o.ts > scan.ts - windowMs,
    );
    // (nothing after the exit window tells: an untold scan is looked at on every step until it is dropped)
    const snapshots = this.history.between(scan.ts - seenAtScanMs, Math.min(latest, scan.ts + windowMs));
    return walkedOffAfterScan(standing, snapshots, gate.position, scan, otherScan, this.settings.exit);
  }

  /**
   * Someone stood at the scanner for this scan: the match goes to fusion with their doubt as it stands now. One
   * that could not settle everything for a doubt its looks may still settle (`doubtNow`) is told again when they
   * do, while the scan's exit is still watched (`retellSettled`).
   */
  private tellAtScanner(by: ExitScan, person: AtScanner): void {
    const doubtTs = doubtNow(person, this.history.ofTrack(person.trackId)?.track);
    const settled = this.options.exitMatched?.({
      sessionId: by.sessionId,
      trackId: person.trackId,
      doubtTs,
      how: 'at-scanner',
      party: by.party,
    });
    if (settled === true && peopleLetOut(by) === 1)
      for (const p of this.pendingExits) if (p.sessionId === by.sessionId) p.settledAtScanner = true;
    if (settled === false && doubtTs !== undefined) {
      this.toldInDoubt.push({ scan: by, person: { ...person, doubtTs } });
      if (this.toldInDoubt.length > EXIT_SCANS_KEPT) this.toldInDoubt.shift();
    }
  }

  /**
   * People told at the scanner while a swap doubt of theirs was open, told again once their looks have settled
   * it; forgotten once their scan's exit is no longer watched (its receipt is not waiting for them).
   */
  private retellSettled(): void {
    for (let i = 0; i < this.toldInDoubt.length; i++) {
      const { scan, person } = this.toldInDoubt[i] as { scan: ExitScan; person: AtScanner };
      const watched = this.pendingExits.some((p) => p.sessionId === scan.sessionId);
      const doubtTs = doubtNow(person, this.history.ofTrack(person.trackId)?.track);
      if (watched && doubtTs !== undefined) continue;
      this.toldInDoubt.splice(i--, 1);
      if (watched) this.tellAtScanner(scan, { ...person, doubtTs });
    }
  }

  /**
   * The nearest (m) a track came to the lanes of an event over the window its evidence was gathered on
   * (alibi.ts › trackAlibiM); undefined when the history no longer covers that window or did not follow the
   * track through all of it.
   */
  trackAlibiM(trackId: string, event: Pick<ShelfEvent, 'lanes' | 'startTs' | 'endTs'>): number | undefined {
    const window = this.keptWindow(event);
    if (window === undefined) return undefined;
    const targets = event.lanes.flatMap((l) => this.reachPoints.get(l) ?? []);
    return trackAlibiM(
      trackId,
      this.history.between(window.fromTs, window.toTs),
      targets,
      this.settings.reach,
    );
  }

  /** The window an event's evidence is gathered over (`lookBehindMs` before it to `lookAheadMs` after). */
  private evidenceWindow(event: Pick<ShelfEvent, 'startTs' | 'endTs'>): { fromTs: number; toTs: number } {
    const { settings } = this;
    return { fromTs: event.startTs - settings.lookBehindMs, toTs: event.endTs + settings.lookAheadMs };
  }

  /** That window, while the history still reaches back to its start; undefined once it no longer does. */
  private keptWindow(
    event: Pick<ShelfEvent, 'startTs' | 'endTs'>,
  ): { fromTs: number; toTs: number } | undefined {
    const window = this.evidenceWindow(event);
    return (this.history.oldestTs ?? Number.POSITIVE_INFINITY) > window.fromTs ? undefined : window;
  }

  /**
   * Whether the session's person was on the track through the window an event's evidence was gathered on,
   * given that the track walked out as theirs, whatever doubts it gathered since (walked-back.ts); false when
   * the history no longer covers that window.
   */
  carriedThroughout(
    sessionId: string,
    trackId: string,
    event: Pick<ShelfEvent, 'startTs' | 'endTs'>,
  ): boolean {
    const { history } = this;
    const window = this.keptWindow(event);
    if (window === undefined) return false;
    return carriedThroughout(sessionId, trackId, window, history.latestTracks(), history.firstSeen());
  }

  /**
   * Whether the track was in a close encounter with another track the pick names (a swap doubt with a track
   * that is one of the event's candidates, by hand or body; settled by looks since or not) while the event's
   * weight changed. Looks that settle a doubt say the track follows the person from before the encounter again,
   * not whom it followed during it: two people side by side can be swapped and swapped back within one
   * encounter (same-lane-03 of the generated seed 5151: swapped at 9.6 s and back at 12.9 s, one doubt from 8.2
   * to 12.8 s, the pick at 11.9 s billed to the wrong one by the settled identity and again by the exit). An
   * encounter with someone the pick does not name (passing behind, across the aisle) cannot have swapped the
   * picker with a candidate, so it does not count.
   */
  encounteredDuring(trackId: string, event: Pick<ShelfEvent, 'startTs' | 'endTs' | 'evidence'>): boolean {
    const named = new Set<string>();
    for (const c of event.evidence?.candidates ?? []) {
      if (c.handTrack !== undefined) named.add(c.handTrack);
      if (c.bodyTrack !== undefined) named.add(c.bodyTrack);
    }
    named.delete(trackId);
    if (named.size === 0) return false;
    return this.history
      .encounterSpans(trackId, event.startTs)
      .some((d) => named.has(d.with) && d.since <= event.endTs && d.ts >= event.startTs);
  }

  /**
   * Capture time by which everyone who could have left on this scan has been seen leaving, and everyone who
   * could have left on a later scan competing for the same people (one within the window).
   */
  private matchingHorizon(exit: ExitScan): number {
    const { windowMs, earliestMs } = this.settings.exit;
    let until = exit.ts + windowMs;
    for (const s of this.exitScans)
      if (s.ts > exit.ts && s.ts <= exit.ts + windowMs - earliestMs) until = Math.max(until, s.ts + windowMs);
    return until;
  }

  /**
   * Whether who walked out on this scan is already final: nobody still inside could reach its gate before the
   * matching horizon (exit-sequence.ts › nobodyElseCanLeave), counting everyone followed since the earliest scan
   * that competes with it.
   */
  private nobodyElseCanLeave(exit: ExitScan, until: number): boolean {
    const gate = this.options.store.config.gates.find((g) => g.id === exit.gate);
    if (gate === undefined) return false;
    const since = exit.ts - 2 * this.settings.exit.windowMs;
    const latest = this.history.latestTs ?? Number.NEGATIVE_INFINITY;
    return nobodyElseCanLeave(this.history.between(since, latest), gate.position, until, this.settings.exit);
  }

  /**
   * Tracks that could only have walked out on this scan, given everyone who scanned out around it, each with
   * the last moment it may have changed to another session's person.
   */
  private leaversOn(exit: ExitScan): Array<{ trackId: string; foreignDoubtTs: number | undefined }> {
    const window = this.settings.exit.windowMs;
    // the people who left around this scan, and every scan any of them could have left on
    const exits = trackExits(this.history.between(exit.ts - window, this.matchingHorizon(exit)));
    const scans = this.exitScans.filter((s) => s.ts >= exit.ts - 2 * window && s.ts <= exit.ts + window);
    const matched = matchExits(scans, exits, this.settings.exit);
    return exits
      .filter((e) => matched.get(e.trackId) === exit.sessionId)
      .map((e) => ({ trackId: e.trackId, foreignDoubtTs: lastForeignDoubtTs(e.trackId, matched, exits) }));
  }

  private decide(detected: DetectedShelfEvent): void {
    const { options, settings } = this;
    const spans = options.sessions();
    const present = sessionsPresent(detected.startTs, detected.endTs, spans);
    const decided = this.attribute(detected, present, spans);
    this.rememberOnLanes(detected, decided.sessionId);
    let event: ShelfEvent = {
      ...detected,
      sessionId: decided.sessionId,
      attribution: decided.attribution,
      confidence: decided.confidence,
      evidence: decided.evidence,
    };
    // several units taken at once by as many surely seen hands: one each, billed in parts
    const shares =
      event.kind === 'pick' && decided.sessionId === null && !event.ambiguous
        ? oneEach(decided.evidence, settings.attribution)
        : undefined;
    const parts = shares === undefined ? [] : shareOut(event, shares);
    if (parts.length > 0) {
      for (const part of parts) options.decided(part, [part.sessionId as string]);
      return;
    }
    // without the exception queue's answer, assume a pick may be waiting (the cart then decides nothing)
    const undecidedPickOf = (sku: string) => options.undecidedPickOf?.(sku) ?? true;
    // who may hold what came back: everyone inside, and whoever left with the receipt not yet final
    const holders = [...new Set([...present, ...(options.openCarts?.() ?? [])])];
    const onlyHolder = returnedByOnlyHolder(event, holders, options.holds, undecidedPickOf);
    if (onlyHolder !== undefined) {
      event = {
        ...event,
        sessionId: onlyHolder.sessionId,
        attribution: 'vision',
        confidence: settings.onlyHolderConfidence,
        hypotheses: onlyHolder.hypotheses,
        ambiguous: onlyHolder.ambiguous,
        evidence: { ...decided.evidence, rule: withModifier(decided.evidence.rule, onlyHolder.rule) },
      };
      options.decided(event, [onlyHolder.sessionId]);
      return;
    }
    const byCart = resolvePutBack(event, holders, options.holds, undecidedPickOf);
    const afterReceipt =
      byCart === undefined && options.closedCarts !== undefined
        ? returnedAfterReceipt(
            event,
            holders,
            options.holds,
            undecidedPickOf,
            options.closedCarts,
            settings.returnAfterReceiptMs,
          )
        : undefined;
    if (afterReceipt !== undefined) {
      // nobody inside could take it back: the one who left holding it is refunded (the rule says why)
      event = {
        ...event,
        sessionId: afterReceipt.sessionId,
        attribution: event.attribution === 'unattributed' ? 'vision' : event.attribution,
        confidence: settings.onlyHolderConfidence,
        hypotheses: afterReceipt.hypotheses,
        ambiguous: afterReceipt.ambiguous,
        evidence: { ...decided.evidence, rule: withModifier(decided.evidence.rule, afterReceipt.rule) },
      };
      options.decided(event, [afterReceipt.sessionId]);
      options.returnedAfterReceipt?.(event);
      return;
    }
    if (byCart !== undefined) {
      event = {
        ...event,
        sessionId: byCart.sessionId,
        hypotheses: byCart.hypotheses,
        ambiguous: byCart.ambiguous,
        evidence: { ...decided.evidence, rule: withModifier(decided.evidence.rule, byCart.rule) },
      };
    }
    options.decided(event, decided.candidates);
  }

  /** The cameras gave this event to a session: a hand of theirs in its lanes just after may be still from it. */
  private rememberOnLanes(detected: DetectedShelfEvent, sessionId: string | null): void {
    if (sessionId === null) return;
    for (const lane of detected.lanes) this.lastOnLane.set(lane, { sessionId, endTs: detected.endTs });
  }

  /**
   * Marks the candidate whose own event on one of these lanes ended just before this one began
   * (`ownLaneEventBeforeMs`): a hand of theirs there before the change may still be from it.
   */
  private addOwnLaneEvents(candidates: CandidateEvidence[], detected: DetectedShelfEvent): void {
    for (const lane of detected.lanes) {
      const last = this.lastOnLane.get(lane);
      if (last === undefined) continue;
      const beforeMs = detected.startTs - last.endTs;
      if (beforeMs < 0 || beforeMs > OWN_LANE_EVENT_KEPT_MS) continue;
      const c = candidates.find((x) => x.sessionId === last.sessionId);
      if (c !== undefined && (c.ownLaneEventBeforeMs === undefined || beforeMs < c.ownLaneEventBeforeMs))
        c.ownLaneEventBeforeMs = Math.round(beforeMs);
    }
  }

  /** When each of the sessions scanned in, and where the store's entry gates are (a shopper's alibi). */
  private entries(
    sessionIds: readonly string[],
    spans: readonly SessionSpan[],
  ): NonNullable<EvidenceQuery['entries']> {
    const wanted = new Set(sessionIds);
    const enteredAt = new Map<string, number>();
    for (const s of spans) if (wanted.has(s.sessionId)) enteredAt.set(s.sessionId, s.enteredAt);
    return { enteredAt, gates: this.entryGates };
  }

  /**
   * What the cameras saw of one track around an event, measured as for a track bound to the session (the exit
   * told whose it was); undefined unless the cameras saw the track at every step of the event's window (a
   * person out of sight for a moment may have reached in then).
   */
  trackEvidence(
    trackId: string,
    sessionId: string,
    event: DetectedShelfEvent,
  ): CandidateEvidence | undefined {
    // the history must reach back to the window, and have the track seen at each of its steps
    if (this.keptWindow(event) === undefined) return undefined;
    const query = this.evidenceQuery(event, [sessionId]);
    if (query.snapshots.length === 0) return undefined;
    const { seenWithinMs } = this.settings.reach;
    const seenThroughout = query.snapshots.every((s) =>
      s.tracks.some((t) => t.id === trackId && s.ts - t.lastSeenTs <= seenWithinMs),
    );
    if (!seenThroughout) return undefined;
    return gatherTrackEvidence(query, trackId, sessionId, this.settings.reach);
  }

  /**
   * An event sent to staff decided again with the sessions the tracker knows now: each track a swap its looks
   * showed gave a session back carries it from the swap's end (swap-redecide.ts). Undefined once the history
   * no longer reaches back to the event's window.
   */
  decideWithSessionsCarried(
    event: ShelfEvent,
    carried: ReadonlyMap<string, CarriedSession>,
  ): Attribution | undefined {
    if (this.keptWindow(event) === undefined) return undefined;
    const present = event.evidence === undefined ? [] : sessionsDecidedAmong(event.evidence);
    return this.attribute(event, present, this.options.sessions(), (step) =>
      withSessionsCarried(step, carried),
    );
  }

  /** What the reach evidence of an event is gathered from: the tracks around it, against its lanes. */
  private evidenceQuery(
    detected: DetectedShelfEvent,
    sessions: readonly string[],
    asKnownNow: (step: TrackSnapshot) => TrackSnapshot = (step) => step,
  ): EvidenceQuery {
    const { settings } = this;
    const window = this.evidenceWindow(detected);
    const halfWidthM = this.laneHalfWidthM(detected);
    const along = this.laneAlong.get(detected.lanes[0] ?? '');
    return {
      sessions,
      targets: detected.lanes.flatMap((l) => this.reachPoints.get(l) ?? []),
      ...(halfWidthM === undefined ? {} : { laneHalfWidthM: halfWidthM }),
      ...(along === undefined ? {} : { along }),
      snapshots: this.history.between(window.fromTs, window.toTs).map(asKnownNow),
      laneCameras: new Set(detected.lanes.flatMap((l) => [...(this.laneCameras.get(l) ?? [])])),
      change: {
        fromTs: detected.startTs - settings.changeSlackMs,
        toTs: detected.endTs + settings.changeSlackMs,
      },
      reports: this.history,
      units: detected.hypotheses[0]?.count ?? 1,
    };
  }

  /** The attributor's verdict: the cameras' evidence of who reached into the lane, or none without cameras. */
  private attribute(
    detected: DetectedShelfEvent,
    present: string[],
    spans: readonly SessionSpan[],
    asKnownNow?: (step: TrackSnapshot) => TrackSnapshot,
  ) {
    const { settings } = this;
    const vision = this.history.latestTs !== undefined;
    const units = detected.hypotheses[0]?.count ?? 1;
    const seen = vision
      ? gatherEvidence(
          { ...this.evidenceQuery(detected, present, asKnownNow), entries: this.entries(present, spans) },
          settings.reach,
        )
      : undefined;
    if (seen !== undefined) this.addOwnLaneEvents(seen.candidates, detected);
    // the evidence carries the lane's half width from its query
    return attributeEvent(present, seen === undefined ? undefined : { ...seen, units }, settings.attribution);
  }

  /** Half the width of the event's narrowest lane (m); undefined when the store gives none. */
  private laneHalfWidthM(detected: Pick<DetectedShelfEvent, 'lanes'>): number | undefined {
    const halfWidth = Math.min(
      ...detected.lanes.map((l) => this.laneHalfWidths.get(l) ?? Number.POSITIVE_INFINITY),
    );
    return Number.isFinite(halfWidth) ? round3(halfWidth) : undefined;
  }
}
