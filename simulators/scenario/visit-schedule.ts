// Times the scripts of generated scenarios: each visit is an ordered list of steps at lanes; the schedule
// gives every step an `at` the person can really make at the slowest walking pace (so the motion plan never
// has to hurry anyone or shift an action), and makes steps that share a sync group happen together.
import {
  COMPANION_LAG_MS,
  GATE_WALK_MS,
  LEAVE_AFTER_MS,
  PACE_MPS,
  REACH_AFTER_MS,
  REACH_BEFORE_MS,
  SCAN_WAIT_MS,
  SETTLE_MS,
} from '../vision/motion-plan.ts';
import type { ScenarioFile } from './scenario-schema.ts';
import type { SiteLane, SiteSpot, StoreSites } from './store-sites.ts';

/** Steps sharing a group happen at one time T (the earliest all of them can make) plus their own offset. */
export interface Sync {
  group: string;
  /** Seconds after T; a multiple of 0.1. */
  offsetS: number;
}

export type Step =
  | { do: 'pick'; lane: SiteLane; count?: number; standAt?: SiteSpot; member?: number; sync?: Sync }
  | {
      do: 'put-back';
      lane: SiteLane;
      count?: number;
      sku?: string;
      standAt?: SiteSpot;
      member?: number;
      sync?: Sync;
    }
  | { do: 'linger'; lane: SiteLane; forS: number; member?: number; sync?: Sync }
  | { do: 'hand-over'; to: string; sku: string; count?: number; sync?: Sync };

export interface VisitDraft {
  id: string;
  party?: number;
  looksLike?: string;
  steps: Step[];
  /** Extra wait before this visit's entry scan, after the previous one's, seconds. */
  enterDelayS?: number;
}

export interface TimedVisit {
  draft: VisitDraft;
  enterAt: number;
  /** By step index. */
  stepAt: number[];
  exitAt: number;
}

export const VISIT_TIMING = {
  /** Walking pace, m/s: the motion plan's slowest walker, so nobody has to hurry. */
  paceMps: PACE_MPS.min,
  /**
   * Extra walking per leg, metres, for what the timing leaves out: the motion plan keeps right at corners
   * (0.25 m per corner) and spreads people waiting at a gate up to 0.6 m sideways. Even with no margin,
   * 540 generated scenarios (seeds 1–20) played without a shifted action (rounding up to 0.1 s and walkers
   * faster than the slowest cover it); 0.3 m keeps some room at little cost in length. The unit test
   * checks that every generated scenario plays as written.
   */
  legMarginM: 0.3,
  /** More per pair of companions: they stand 0.6 m × ceil(rank / 2) aside of whoever of them acts. */
  companionMarginM: 0.3,
  /** First entry scan, seconds from scenario start. */
  firstEnterS: 0.5,
  /** Seconds between two scans at one gate, as the hand-written suite spaces them. */
  scanGapS: 1.5,
  /** A hand-over at least this long after the giver's previous step. */
  handOverAfterS: 1.0,
} as const;

const reachBeforeS = (REACH_BEFORE_MS + SETTLE_MS) / 1000;
const busyAfterS = (REACH_AFTER_MS + LEAVE_AFTER_MS) / 1000;
const lobbyAfterS = (SCAN_WAIT_MS + GATE_WALK_MS) / 1000;
const exitSettleS = SETTLE_MS / 1000;

/** Rounds up to 0.1 s (scripts are written in tenths). */
const ceilTenth = (s: number) => Math.ceil(s * 10 - 1e-6) / 10;
const tenth = (s: number) => Math.round(s * 10) / 10;

/** Times every visit: entries in draft order one scan gap apart, exits in order of readiness. */
export function scheduleVisits(sites: StoreSites, drafts: VisitDraft[], timing = VISIT_TIMING): TimedVisit[] {
  const enters: number[] = [];
  for (const [i, d] of drafts.entries()) {
    const previous = enters[i - 1];
    const at = previous === undefined ? timing.firstEnterS : previous + timing.scanGapS;
    enters.push(tenth(at + (d.enterDelayS ?? 0)));
  }
  /** by sync group: its time T */
  let groups = new Map<string, number>();
  for (let round = 0; round < 100; round++) {
    const needed = new Map<string, number>();
    const timed = drafts.map((d, i) => timeVisit(sites, d, enters[i] ?? 0, groups, needed, timing));
    const settled = [...needed].every(([g, t]) => (groups.get(g) ?? Number.NEGATIVE_INFINITY) >= t);
    if (settled) return spaceExits(timed, timing.scanGapS);
    groups = new Map([...needed].map(([g, t]) => [g, ceilTenth(Math.max(t, groups.get(g) ?? t))]));
  }
  throw new Error('sync groups do not settle: two visits meet their groups in opposite orders');
}

function timeVisit(
  sites: StoreSites,
  draft: VisitDraft,
  enterAt: number,
  groups: Map<string, number>,
  needed: Map<string, number>,
  timing: typeof VISIT_TIMING,
): { draft: VisitDraft; enterAt: number; stepAt: number[]; readyToExit: number } {
  const party = draft.party ?? 1;
  const margin = timing.legMarginM + timing.companionMarginM * Math.ceil((party - 1) / 2);
  const legS = (walkS: number) => walkS + margin / timing.paceMps;
  // companions pass the gate a step behind each other and then keep up with the leader
  let free = enterAt + lobbyAfterS + ((party - 1) * COMPANION_LAG_MS) / 1000;
  let where: SiteSpot | undefined;
  let previous = enterAt;
  const stepAt: number[] = [];
  for (const step of draft.steps) {
    let earliest: number;
    if (step.do === 'hand-over') earliest = previous + timing.handOverAfterS;
    else {
      // even at the lane they stand at, people step back from the shelf and in again between actions
      const walk = legS(sites.walkS(where ?? sites.entryLobby, spotOf(step)));
      earliest = free + walk + reachBeforeS;
    }
    earliest = Math.max(earliest, previous);
    let at = ceilTenth(earliest);
    if (step.sync !== undefined) {
      const { group, offsetS } = step.sync;
      needed.set(group, Math.max(needed.get(group) ?? Number.NEGATIVE_INFINITY, earliest - offsetS));
      const t = groups.get(group);
      if (t !== undefined) at = Math.max(at, tenth(t + offsetS));
    }
    stepAt.push(at);
    previous = at;
    if (step.do !== 'hand-over') {
      free = at + busyAfterS + (step.do === 'linger' ? step.forS : 0);
      where = spotOf(step);
    }
  }
  const toExit = legS(sites.walkS(where ?? sites.entryLobby, sites.exitLobby));
  return { draft, enterAt, stepAt, readyToExit: Math.max(previous, free + toExit + exitSettleS) };
}

/** The lane a person stands at for a step. */
function spotOf(step: Exclude<Step, { do: 'hand-over' }>): SiteSpot {
  return step.do === 'linger' ? step.lane : (step.standAt ?? step.lane);
}

function spaceExits(timed: ReturnType<typeof timeVisit>[], gapS: number): TimedVisit[] {
  const order = [...timed].sort((a, b) => a.readyToExit - b.readyToExit);
  const exits = new Map<ReturnType<typeof timeVisit>, number>();
  let last = Number.NEGATIVE_INFINITY;
  for (const t of order) {
    last = Math.max(ceilTenth(t.readyToExit), tenth(last + gapS));
    exits.set(t, last);
  }
  return timed.map((t) => ({
    draft: t.draft,
    enterAt: t.enterAt,
    stepAt: t.stepAt,
    exitAt: exits.get(t) ?? 0,
  }));
}

/** The time of the last action of all visits (an exit scan), seconds. */
export function endOf(timed: TimedVisit[]): number {
  return Math.max(...timed.map((t) => t.exitAt));
}

/** A timed visit as a shopper of the scenario file format (every shopper pays with the sandbox visa card). */
export function shopperFile(visit: TimedVisit): ScenarioFile['shoppers'][number] {
  const { draft } = visit;
  const script: ScenarioFile['shoppers'][number]['script'] = [{ at: visit.enterAt, do: 'enter' }];
  draft.steps.forEach((step, i) => {
    const at = visit.stepAt[i] ?? 0;
    const count = 'count' in step && step.count !== undefined && step.count > 1 ? { count: step.count } : {};
    const member =
      'member' in step && step.member !== undefined && step.member > 0 ? { member: step.member } : {};
    if (step.do === 'hand-over') script.push({ at, do: step.do, to: step.to, sku: step.sku, ...count });
    else if (step.do === 'linger')
      script.push({ at, do: step.do, lane: step.lane.id, forS: step.forS, ...member });
    else
      script.push({
        at,
        do: step.do,
        lane: step.lane.id,
        ...count,
        ...(step.do === 'put-back' && step.sku !== undefined ? { sku: step.sku } : {}),
        ...(step.standAt !== undefined && step.standAt !== step.lane ? { standAt: step.standAt.id } : {}),
        ...member,
      });
  });
  script.push({ at: visit.exitAt, do: 'exit' });
  return {
    id: draft.id,
    card: 'tok_visa',
    ...(draft.party !== undefined && draft.party > 1 ? { party: draft.party } : {}),
    ...(draft.looksLike === undefined ? {} : { looksLike: draft.looksLike }),
    script,
  };
}
