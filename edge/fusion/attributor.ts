// Pure core: decides whose cart a shelf event goes to. With one session inside it is theirs. With several,
// the cameras decide: the session whose hand was in the lane (or who stood at it while everyone else was
// seen elsewhere) gets it when the evidence is clearly in its favour and its identity is sure; otherwise the
// edge refuses to guess and staff decide. Replayable: the decision depends only on the evidence it returns.

import {
  type BaseRule,
  formatRule,
  type RefusingRule,
  type RuleModifier,
} from '../../shared/attribution-rule.ts';
import { round3 } from '../../shared/round.ts';
import type { AttributionEvidence, CandidateEvidence } from '../../shared/schemas/attribution-evidence.ts';
import { type AttributionSettings, DEFAULT_FUSION } from './fusion-settings.ts';
import { shopperUnaccounted } from './unseen-shoppers.ts';

export interface SessionSpan {
  sessionId: string;
  enteredAt: number;
  /** Undefined while the shopper is still inside. */
  exitedAt: number | undefined;
}

export interface Attribution {
  sessionId: string | null;
  attribution: 'sole-session' | 'vision' | 'unattributed';
  /** 0–1, how sure the edge is of `sessionId` (0 when it refused). */
  confidence: number;
  /** Sessions that could have done it, most likely first. */
  candidates: string[];
  evidence: AttributionEvidence;
}

export type { AttributionSettings } from './fusion-settings.ts';

/** The attributor's settings as shipped (edge/fusion/fusion-settings.ts). */
export const DEFAULT_ATTRIBUTION: AttributionSettings = DEFAULT_FUSION.attribution;

/** Sessions inside for the whole event (entered before it began, not left before it ended). */
export function sessionsPresent(startTs: number, endTs: number, sessions: readonly SessionSpan[]): string[] {
  return sessions
    .filter((s) => s.enteredAt <= startTs && (s.exitedAt === undefined || s.exitedAt >= endTs))
    .map((s) => s.sessionId);
}

/** What the attributor decides on: the measured evidence, with every present session as a candidate. */
type Measured = Omit<AttributionEvidence, 'rule'>;

/** The decision's shared inputs: who was inside, what was measured, the settings. */
interface Context {
  present: readonly string[];
  measured: Measured;
  settings: AttributionSettings;
}

/**
 * `present`: sessions inside during the event; `seen`: what the cameras measured (undefined without
 * vision). Deterministic in its inputs: `redecide` gets the same answer back from the stored evidence.
 */
export function attributeEvent(
  present: readonly string[],
  seen: Omit<AttributionEvidence, 'rule' | 'vision'> | undefined,
  settings: AttributionSettings = DEFAULT_ATTRIBUTION,
): Attribution {
  const ctx: Context = { present, measured: measure(present, seen), settings };
  if (present.length === 0) return refuse(ctx, 'nobody-inside');
  if (present.length === 1) return soleSession(ctx, present[0] as string);
  if (seen === undefined) return refuse(ctx, 'no-vision');
  return byCameras(ctx);
}

function measure(
  present: readonly string[],
  seen: Omit<AttributionEvidence, 'rule' | 'vision'> | undefined,
): Measured {
  return {
    ...(seen?.units === undefined ? {} : { units: seen.units }),
    ...(seen?.laneHalfWidthM === undefined ? {} : { laneHalfWidthM: seen.laneHalfWidthM }),
    vision: seen !== undefined,
    laneSeen: seen?.laneSeen ?? false,
    candidates:
      seen?.candidates ?? present.map((sessionId) => ({ sessionId, handM: null, bodyM: null, identity: 1 })),
  };
}

const evidenceOf = (ctx: Context, id: string) => ctx.measured.candidates.find((e) => e.sessionId === id);

/**
 * A sure track far from the lane accounts for that shopper: they did not do it. So do tracks in doubt when
 * every track that may carry the person was far from it (the alibi).
 */
function elsewhere(ctx: Context, c: CandidateEvidence | undefined): boolean {
  const { settings } = ctx;
  if (c?.alibiM !== undefined && c.alibiM >= settings.elsewhereM) return true;
  return (
    c !== undefined &&
    c.identity >= settings.minIdentity &&
    c.bodyM !== null &&
    c.bodyM >= settings.elsewhereM &&
    (c.handM === null || c.handM >= settings.elsewhereM)
  );
}

/**
 * Whichever track the shopper may have been on (`alibiM`: doubts followed), they came no nearer the lane than an
 * arm along the shelf reaches (`reachPastBodyM`), body or hands, while someone else's hand, surely that one's
 * own, was in the lane as the weight changed: they did not do it, though nearer than `elsewhereM` — named as a
 * candidate, their receipt would wait for a decision that cannot be theirs.
 */
function outOfReach(ctx: Context, c: CandidateEvidence | undefined): boolean {
  if (c?.alibiM === undefined) return false;
  return outOfReachBeside(ctx.measured, c.alibiM, (o) => o !== c, ctx.settings);
}

/**
 * Someone who came no nearer the lane than `alibiM` (body or hands) was out of an arm's reach along the shelf
 * (`reachPastBodyM`) while a hand of one of the `whose` candidates, surely its own, was in the lane as the weight
 * changed.
 */
export function outOfReachBeside(
  measured: Pick<AttributionEvidence, 'candidates' | 'laneHalfWidthM'>,
  alibiM: number,
  whose: (c: CandidateEvidence) => boolean,
  settings: AttributionSettings,
): boolean {
  if (alibiM < settings.reachPastBodyM) return false;
  const inLaneM = measured.laneHalfWidthM ?? settings.ownedHandInLaneM;
  return ownedHandIn(measured.candidates, whose, inLaneM, settings);
}

/**
 * Squarely in the lane: within `ownedHandInLaneM`, and clear of the lane's edge to the next one by a margin —
 * to the millimetre, as distances are measured: 0.25 − 0.08 is 0.16999… in floating point, and a hand measured
 * at 0.17 m is within 0.17 m.
 */
export function squarelyInLaneM(laneHalfWidthM: number | undefined, settings: AttributionSettings): number {
  return round3(
    Math.min(
      settings.ownedHandInLaneM,
      (laneHalfWidthM ?? Number.POSITIVE_INFINITY) - settings.laneEdgeMarginM,
    ),
  );
}

/** A hand of one of the `whose` candidates, surely its track's own, within `limitM` of the lane as the weight changed. */
export function ownedHandIn(
  candidates: readonly CandidateEvidence[],
  whose: (c: CandidateEvidence) => boolean,
  limitM: number,
  settings: AttributionSettings,
): boolean {
  return candidates.some(
    (c) =>
      whose(c) &&
      c.atChange?.handM != null &&
      c.atChange.handM <= limitM &&
      (c.atChange.handOwner ?? 0) >= settings.ownedHandMin,
  );
}

/**
 * Staff are asked about the shoppers who could have done it, not everyone inside (whose receipts would all
 * wait for the decision); when the cameras account for everyone, all of them.
 */
function refuse(ctx: Context, rule: RefusingRule, ranked: readonly string[] = ctx.present): Attribution {
  const possible = ranked.filter((id) => !elsewhere(ctx, evidenceOf(ctx, id)));
  // (everyone out of reach: the hand in the lane was someone's on no session — those not elsewhere stay named)
  const reaching = possible.filter((id) => !outOfReach(ctx, evidenceOf(ctx, id)));
  const named = reaching.length > 0 ? reaching : possible;
  return {
    sessionId: null,
    attribution: 'unattributed',
    confidence: 0,
    candidates: named.length > 0 ? named : [...ranked],
    evidence: { ...ctx.measured, rule },
  };
}

/** One session inside: theirs, unless a stranger's hand was in the lane while they were seen elsewhere. */
function soleSession(ctx: Context, only: string): Attribution {
  const unbound = ctx.measured.candidates.find((c) => c.sessionId === null);
  const strangerHand =
    unbound !== undefined && unbound.handM !== null && unbound.handM <= ctx.settings.strangerHandM;
  if (strangerHand && elsewhere(ctx, evidenceOf(ctx, only))) return refuse(ctx, 'stranger-at-lane');
  return {
    sessionId: only,
    attribution: 'sole-session',
    confidence: 1,
    candidates: [only],
    evidence: { ...ctx.measured, rule: 'sole-session' },
  };
}

interface Scored {
  sessionId: string;
  c: CandidateEvidence | undefined;
  score: number;
}

/** Several sessions inside: the cameras decide, or staff. */
function byCameras(ctx: Context): Attribution {
  const { measured, settings, present } = ctx;
  // people on no session: a shopper whose track lost its binding, or someone who came in without a scan
  const unbound = measured.candidates.find((c) => c.sessionId === null);
  const unaccounted = present.filter((id) => !elsewhere(ctx, evidenceOf(ctx, id)));
  const timed = handsSeenAtChange(ctx);
  const ownedHandSeen = ownedHandInLane(ctx, timed);
  const handsTell = measured.laneSeen && !measured.candidates.some((c) => reachingAcross(c, settings));
  const scoreOf = (c: CandidateEvidence | undefined) =>
    score(
      c,
      measured.laneSeen,
      {
        ownedHandSeen,
        ownedHandNew: ownedHandSeen && !ownedHandStillFromOwnEvent(ctx, timed),
        handsTell,
        timed,
        laneHalfWidthM: measured.laneHalfWidthM,
      },
      settings,
    );
  const scored: Scored[] = present.map((sessionId) => {
    const c = evidenceOf(ctx, sessionId);
    return { sessionId, c, score: scoreOf(c) };
  });
  const unboundScore = unbound === undefined ? 0 : scoreOf(unbound);
  scored.sort((a, b) => b.score - a.score || a.sessionId.localeCompare(b.sessionId));
  const ranked = scored.map((s) => s.sessionId);
  const total = scored.reduce((s, e) => s + e.score, 0) + unboundScore;
  const best = scored[0];
  if (best === undefined || total <= 0) return refuse(ctx, 'nobody-seen', ranked);
  if (unbound !== undefined && unboundScore > best.score) {
    // the person at the lane is on no session: whoever they are, they are the one shopper not seen elsewhere
    const [owner] = unaccounted;
    if (unaccounted.length !== 1 || owner === undefined)
      return refuse(ctx, unaccounted.length === 0 ? 'stranger-at-lane' : 'unbound-at-lane', ranked);
    return decide(ctx, ranked, total, { sessionId: owner, c: unbound, score: unboundScore }, 'unbound-track');
  }
  // the likeliest is someone the cameras did not see while the lane was out of their sight
  if (best.c === undefined || (best.c.handM === null && best.c.bodyM === null))
    return refuse(ctx, scored.some((s) => s.c?.bodyM != null) ? 'shopper-unseen' : 'nobody-seen', ranked);
  // the evidence first: a close call stays one whatever the identities (the exit settles identity refusals
  // only, so one must mean the cameras clearly pointed at one track)
  const byEvidence = decide(ctx, ranked, total, best);
  if (byEvidence.sessionId === null || best.c.identity >= settings.minIdentity) return byEvidence;
  // the person at the lane may carry someone else's session — unless every other shopper is accounted
  // for elsewhere by a sure track, in which case whoever it is, it is this session
  if (unaccounted.length === 1 && unaccounted[0] === best.sessionId)
    return decide(ctx, ranked, total, best, 'others-elsewhere');
  return refuse(ctx, 'identity-doubtful', ranked);
}

/**
 * A hand the detector surely tied to its owner in the lane, with the lane in sight — and nobody else reaching
 * across toward the lane (then the hand in it may be theirs, given to whoever stands in front). Squarely in the
 * lane (`ownedHandInLaneM`) it says who reached in whatever other hands were near; nearer the lane's edge, where
 * a neighbour's arm reaching across lands, only while nobody else's hand came into the lane (every other hand
 * seen at least `ownLaneHandM` off): then there is no other arm it could be.
 */
function ownedHandInLane(ctx: Context, timed: boolean): boolean {
  const { measured, settings } = ctx;
  const squarelyM = squarelyInLaneM(measured.laneHalfWidthM, settings);
  const ownedWithin = (c: CandidateEvidence, limitM: number) => ownedHandWithin(c, limitM, timed, settings);
  const squarely = measured.candidates.filter((c) => ownedWithin(c, squarelyM));
  const halfWidthM = measured.laneHalfWidthM;
  const inLane =
    halfWidthM === undefined
      ? squarely
      : measured.candidates.filter((c) => ownedWithin(c, round3(halfWidthM)));
  const [only] = inLane;
  // nobody else's hand in the lane, while the weight changed nor at any moment around it (a hand in the lane
  // but missed by the frames of the change may be the one that lifted it)
  const away = (handM: number | null) => handM === null || handM >= settings.ownLaneHandM;
  // ...but a neighbour's hand in the lane only before the change, while their own event on it had just ended,
  // was still there from that event: the arm comes out about a second after the item came off
  const stillFromOwnEvent = (c: CandidateEvidence) =>
    timed &&
    c.ownLaneEventBeforeMs !== undefined &&
    c.ownLaneEventBeforeMs <= settings.ownLaneEventLingerMs &&
    c.afterChange !== undefined &&
    away(c.afterChange.handM);
  const aloneInLane =
    inLane.length === 1 &&
    measured.candidates.every(
      (c) => c === only || (away(handOf(c, timed).handM) && (away(c.handM) || stillFromOwnEvent(c))),
    );
  const believed = squarely.length > 0 ? squarely : aloneInLane ? inLane : [];
  return (
    measured.laneSeen &&
    believed.length > 0 &&
    !measured.candidates.some((c) => !believed.includes(c) && reachingAcross(c, settings))
  );
}

/**
 * A surely owned hand in the lane whose owner's own pick or put-back on it had just ended
 * (`ownLaneEventLingerMs`): it may be still there from that event, so it does not say who reached in for this
 * one (two people taking from one lane a moment apart).
 */
function ownedHandStillFromOwnEvent(ctx: Context, timed: boolean): boolean {
  const { measured, settings } = ctx;
  const inLaneM = measured.laneHalfWidthM ?? settings.ownedHandInLaneM;
  return measured.candidates.some(
    (c) =>
      ownedHandWithin(c, inLaneM, timed, settings) &&
      c.ownLaneEventBeforeMs !== undefined &&
      c.ownLaneEventBeforeMs <= settings.ownLaneEventLingerMs,
  );
}

/** The candidate's hand (`handOf`) within `limitM` of the lane and surely theirs (`ownedHandMin`). */
function ownedHandWithin(
  c: CandidateEvidence,
  limitM: number,
  timed: boolean,
  settings: AttributionSettings,
): boolean {
  const now = handOf(c, timed);
  return now.handM !== null && now.handM <= limitM && (now.handOwner ?? 0) >= settings.ownedHandMin;
}

/**
 * Whether hands are judged by where they were while the weight changed: when someone's hand was seen near
 * the lane then (within `maxHandM`). When the cameras saw no hand there during the change (a frame gap, a
 * shelf lip in the way), the whole window's hands are the evidence there is. An older edge's evidence has no
 * `atChange`.
 */
function handsSeenAtChange(ctx: Context): boolean {
  return ctx.measured.candidates.some(
    (c) => c.atChange?.handM != null && c.atChange.handM <= ctx.settings.maxHandM,
  );
}

/** The candidate's nearest hand (and its owner confidence): while the weight changed, or over the window. */
function handOf(
  c: CandidateEvidence,
  timed: boolean,
): { handM: number | null; handOwner?: number | undefined } {
  return timed && c.atChange !== undefined ? c.atChange : { handM: c.handM, handOwner: c.handOwner };
}

/** A hand near the lane from a body farther along the shelf than an arm straight ahead would put it. */
export function reachingAcross(c: CandidateEvidence, s: AttributionSettings): boolean {
  return (
    c.handM !== null &&
    c.handM <= s.otherHandAwayM &&
    c.bodyM !== null &&
    c.bodyM > Math.hypot(c.handM, s.standDepthM) + s.reachAcrossSlackM
  );
}

/** Bills `chosen` when the evidence is clearly theirs and they were at the lane; otherwise staff. */
function decide(
  ctx: Context,
  ranked: readonly string[],
  total: number,
  chosen: Scored,
  modifier?: RuleModifier,
): Attribution {
  const { measured, settings } = ctx;
  const { sessionId, score: s } = chosen;
  const c = chosen.c as CandidateEvidence;
  const confidence = s / total;
  const byHand = c.handM !== null && c.handM <= settings.maxHandM;
  const byBody = c.bodyM !== null && c.bodyM <= settings.maxBodyM;
  const order = [sessionId, ...ranked.filter((id) => id !== sessionId)];
  if (!byHand && !byBody) return refuse(ctx, 'nobody-at-lane', order);
  if (confidence < settings.minConfidence) return refuse(ctx, 'close-call', order);
  if (byHand && unsureHandPastSomeone(ctx, c)) return refuse(ctx, 'close-call', order);
  // only a body beside the lane, no hand: a shopper the cameras did not see anywhere (lost by the tracker, or
  // merged into the blob of whoever walked by) may be the one who reached in unseen
  // so may one whose hand the detector could not tie to its owner: an owner the cameras did not see (a dark
  // camera) leaves its hand to the nearest person seen, at owner confidence 0
  if ((!byHand || handUnsure(ctx, c)) && unaccounted(ctx, sessionId))
    return refuse(ctx, 'shopper-unseen', order);
  // two people taking from one lane at once look like one pick of two: each may have taken one — anyone
  // else standing at the lane, or with a hand near it; a step farther off, only while their hands were seen
  // nowhere (they may have reached in unseen): hands the cameras saw only elsewhere did not take from it.
  // Standing at the lane too, someone whose hands the cameras saw while the weight changed, only in another
  // lane (the lane in sight, nobody reaching across), did not lift from this one then
  const handsTellAtChange =
    measured.laneSeen &&
    handsSeenAtChange(ctx) &&
    !measured.candidates.some((x) => reachingAcross(x, settings));
  const busyElsewhereAtChange = (o: CandidateEvidence) =>
    handsTellAtChange && o.atChange?.handM != null && o.atChange.handM > settings.otherHandAwayM;
  const someoneElseAtLane = measured.candidates.some(
    (o) =>
      o !== c &&
      ((o.handM !== null && o.handM <= settings.alsoAtLaneHandM) ||
        (o.bodyM !== null &&
          !busyElsewhereAtChange(o) &&
          (o.bodyM <= settings.bodyNearM || (o.bodyM <= settings.alsoAtLaneBodyM && o.handM === null)))),
  );
  if ((measured.units ?? 1) > 1 && someoneElseAtLane)
    return refuse(ctx, 'several-units-several-people', order);
  return {
    sessionId,
    attribution: 'vision',
    confidence: round3(confidence),
    candidates: order,
    evidence: { ...measured, rule: ruleOf(byHand ? 'reach' : 'stood-at-lane', modifier) },
  };
}

/**
 * The winner's hand not surely theirs while someone else stood within a long arm's reach of the lane
 * (`reachPastBodyM`) and could have reached past them: that one's hand unseen while the weight changed, or seen
 * on its way across toward the lane (`reachingAcross`), or the winner's found just outside the lane (beyond its
 * half width). A reach past the winner from farther along the shelf looks just like that: its hand found
 * short of the lane, or at its end in the lane, and given to the one it passed in front of (#13: crossing
 * arms, once the arm-tip model put such hands where their arms end).
 */
function unsureHandPastSomeone(ctx: Context, c: CandidateEvidence): boolean {
  const { measured, settings } = ctx;
  const timed = handsSeenAtChange(ctx);
  const own = handOf(c, timed);
  const halfWidthM = measured.laneHalfWidthM;
  if (own.handM === null || halfWidthM === undefined) return false;
  if ((own.handOwner ?? 0) >= settings.ownedHandMin) return false;
  const short = own.handM > halfWidthM;
  return measured.candidates.some(
    (o) =>
      o !== c &&
      o.bodyM !== null &&
      o.bodyM <= settings.reachPastBodyM &&
      (short || handOf(o, timed).handM === null || reachingAcross(o, settings)),
  );
}

/**
 * The candidate's hand near the lane (while the weight changed, when judged so) not surely theirs by the
 * detector's owner output (`ownedHandMin`); without that output (no owner confidence) as before: not unsure.
 */
function handUnsure(ctx: Context, c: CandidateEvidence): boolean {
  const owner = handOf(c, handsSeenAtChange(ctx)).handOwner;
  return owner !== undefined && owner < ctx.settings.ownedHandMin;
}

/** A shopper other than `sessionId` seen nowhere — no hand, no body, no alibi putting them elsewhere. */
function unaccounted(ctx: Context, sessionId: string): boolean {
  return shopperUnaccounted(
    ctx.measured.candidates,
    sessionId,
    (c) => c.bodyM === null && c.handM === null && !elsewhere(ctx, c),
  );
}

function ruleOf(base: BaseRule, modifier: RuleModifier | undefined): string {
  return formatRule({ base, modifiers: modifier === undefined ? [] : [modifier] });
}

/**
 * What the hands seen say about everyone standing by: `ownedHandSeen`, someone's surely owned hand was squarely
 * in the lane; `handsTell`, the lane was in sight and nobody reached across toward it (then a hand seen
 * elsewhere is where its owner's arm was, not given to them from a neighbour's crossing arm).
 */
interface HandSigns {
  ownedHandSeen: boolean;
  /** ...and not one whose owner's own event on the lane had just ended (`ownedHandStillFromOwnEvent`). */
  ownedHandNew: boolean;
  handsTell: boolean;
  /** Hands are judged by where they were while the weight changed (`handsSeenAtChange`). */
  timed: boolean;
  /** Half the lane's width (m): a hand farther from its reach point is outside the lane. */
  laneHalfWidthM: number | undefined;
}

/** Unnormalised likelihood that this candidate did it. */
function score(
  c: CandidateEvidence | undefined,
  laneSeen: boolean,
  signs: HandSigns,
  s: AttributionSettings,
): number {
  if (c === undefined || (c.handM === null && c.bodyM === null))
    return laneSeen ? s.unseenWeight.laneSeen : s.unseenWeight.laneUnseen;
  // a hand counts where it was while the weight changed: one in the lane only before or after did not lift it
  const handNow = handOf(c, signs.timed);
  const handNowM = handNow.handM;
  // a hand just outside the lane while someone's surely owned hand was squarely in it was beside it: near
  // enough to count, as a hand is placed to a few centimetres, only as much as someone standing by
  const outside =
    signs.ownedHandSeen &&
    handNowM !== null &&
    signs.laneHalfWidthM !== undefined &&
    handNowM > signs.laneHalfWidthM;
  // not surely theirs while someone's surely owned hand was squarely in the lane: likelier a copy of that arm,
  // or an arm its owner reached past, than the one that lifted it — it counts as much as the detector was sure
  // (at owner confidence 0 the shopper counts as standing where they stood)
  const owner = handNow.handOwner;
  const copy = !outside && signs.ownedHandNew && owner !== undefined && owner < s.ownedHandMin;
  const share = outside ? s.bodyBesideOwnedHand : copy ? owner : 1;
  const hand = handNowM === null ? 0 : Math.exp(-0.5 * (handNowM / s.handSigmaM) ** 2) * share;
  const bodyOff = c.bodyM === null ? Number.POSITIVE_INFINITY : Math.max(0, c.bodyM - s.bodyNearM);
  // their hand seen only away from the lane, or in the lane in front of them (a lane or more off)
  const handAway =
    handNowM === null || handNowM > s.otherHandAwayM || (handNowM >= s.ownLaneHandM && !reachingAcross(c, s));
  // busy elsewhere: the cameras saw where their arm was, and it was not in this lane (a lane in sight, where
  // an arm reaching into it would have been seen too)
  const busyElsewhere = signs.handsTell && c.handM !== null && c.handM > s.otherHandAwayM;
  // ...and with only such a copy in the lane, they stood by as much as anyone whose hands were elsewhere: the
  // hand counted as much as the detector was sure, and the body must not count it back in full
  const standingBy = (signs.ownedHandSeen && (handAway || copy)) || busyElsewhere;
  const weight = standingBy ? s.bodyWeight * s.bodyBesideOwnedHand : s.bodyWeight;
  const body = weight * Math.exp(-0.5 * (bodyOff / s.bodySigmaM) ** 2);
  return Math.max(hand, body) + 1e-4;
}

/** The shoppers an event was decided among: every session its evidence names. */
export function sessionsDecidedAmong(evidence: Pick<AttributionEvidence, 'candidates'>): string[] {
  return evidence.candidates.flatMap((c) => (c.sessionId === null ? [] : [c.sessionId]));
}

/** The decision again, from the evidence stored with an event (dispute and debugging replays). */
export function redecide(
  evidence: AttributionEvidence,
  settings: AttributionSettings = DEFAULT_ATTRIBUTION,
): Attribution {
  const present = sessionsDecidedAmong(evidence);
  const { vision: _, rule: __, ...seen } = evidence;
  return attributeEvent(present, evidence.vision ? seen : undefined, settings);
}
