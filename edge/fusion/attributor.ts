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
import type { AttributionEvidence, CandidateEvidence } from '../../shared/schemas/attribution-evidence.ts';
import { type AttributionSettings, DEFAULT_FUSION } from './fusion-settings.ts';

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

/**
 * `present`: sessions inside during the event; `seen`: what the cameras measured (undefined without
 * vision). Deterministic in its inputs: `redecide` gets the same answer back from the stored evidence.
 */
export function attributeEvent(
  present: readonly string[],
  seen: Omit<AttributionEvidence, 'rule' | 'vision'> | undefined,
  settings: AttributionSettings = DEFAULT_ATTRIBUTION,
): Attribution {
  const measured = {
    ...(seen?.units === undefined ? {} : { units: seen.units }),
    vision: seen !== undefined,
    laneSeen: seen?.laneSeen ?? false,
    candidates:
      seen?.candidates ?? present.map((sessionId) => ({ sessionId, handM: null, bodyM: null, identity: 1 })),
  };
  const evidenceOf = (id: string) => measured.candidates.find((e) => e.sessionId === id);
  // a sure track far from the lane accounts for that shopper: they did not do it
  const elsewhere = (c: CandidateEvidence | undefined) =>
    c !== undefined &&
    c.identity >= settings.minIdentity &&
    c.bodyM !== null &&
    c.bodyM >= settings.elsewhereM &&
    (c.handM === null || c.handM >= settings.elsewhereM);
  // staff are asked about the shoppers who could have done it, not everyone inside (whose receipts would
  // all wait for the decision); when the cameras account for everyone, all of them
  const refuse = (rule: RefusingRule, ranked: string[] = [...present]): Attribution => {
    const possible = ranked.filter((id) => !elsewhere(evidenceOf(id)));
    return {
      sessionId: null,
      attribution: 'unattributed',
      confidence: 0,
      candidates: possible.length > 0 ? possible : ranked,
      evidence: { ...measured, rule },
    };
  };
  if (present.length === 0) return refuse('nobody-inside');
  // people on no session: a shopper whose track lost its binding, or someone who came in without a scan
  const unbound = measured.candidates.find((c) => c.sessionId === null);
  const unaccounted = present.filter((id) => !elsewhere(evidenceOf(id)));
  const [only] = present;
  if (present.length === 1 && only !== undefined) {
    const strangerHand =
      unbound !== undefined && unbound.handM !== null && unbound.handM <= settings.strangerHandM;
    if (strangerHand && unaccounted.length === 0) return refuse('stranger-at-lane');
    return {
      sessionId: only,
      attribution: 'sole-session',
      confidence: 1,
      candidates: [only],
      evidence: { ...measured, rule: 'sole-session' },
    };
  }
  if (seen === undefined) return refuse('no-vision');
  // a hand the detector surely tied to its owner says who reached in: standing beside weighs less
  const ownedHandSeen =
    measured.laneSeen &&
    measured.candidates.some(
      (c) =>
        c.handM !== null &&
        c.handM <= settings.ownedHandInLaneM &&
        (c.handOwner ?? 0) >= settings.ownedHandMin,
    );
  const scoreOf = (c: CandidateEvidence | undefined) => score(c, measured.laneSeen, ownedHandSeen, settings);
  const scored = present.map((sessionId) => {
    const c = evidenceOf(sessionId);
    return { sessionId, c, score: scoreOf(c) };
  });
  const unboundScore = unbound === undefined ? 0 : scoreOf(unbound);
  scored.sort((a, b) => b.score - a.score || a.sessionId.localeCompare(b.sessionId));
  const ranked = scored.map((s) => s.sessionId);
  const total = scored.reduce((s, e) => s + e.score, 0) + unboundScore;
  const best = scored[0];
  if (best === undefined || total <= 0) return refuse('nobody-seen', ranked);
  const decide = (
    sessionId: string,
    c: CandidateEvidence,
    s: number,
    modifier?: RuleModifier,
  ): Attribution => {
    const confidence = s / total;
    const byHand = c.handM !== null && c.handM <= settings.maxHandM;
    const byBody = c.bodyM !== null && c.bodyM <= settings.maxBodyM;
    const order = [sessionId, ...ranked.filter((id) => id !== sessionId)];
    if (!byHand && !byBody) return refuse('nobody-at-lane', order);
    if (confidence < settings.minConfidence) return refuse('close-call', order);
    // two people taking from one lane at once look like one pick of two: each may have taken one
    const someoneElseAtLane = measured.candidates.some(
      (o) =>
        o !== c &&
        ((o.bodyM !== null && o.bodyM <= settings.alsoAtLaneBodyM) ||
          (o.handM !== null && o.handM <= settings.alsoAtLaneHandM)),
    );
    if ((measured.units ?? 1) > 1 && someoneElseAtLane) return refuse('several-units-several-people', order);
    return {
      sessionId,
      attribution: 'vision',
      confidence: Math.round(confidence * 1000) / 1000,
      candidates: order,
      evidence: { ...measured, rule: ruleOf(byHand ? 'reach' : 'stood-at-lane', modifier) },
    };
  };
  if (unbound !== undefined && unboundScore > best.score) {
    // the person at the lane is on no session: whoever they are, they are the one shopper not seen elsewhere
    const [owner] = unaccounted;
    if (unaccounted.length !== 1 || owner === undefined)
      return refuse(unaccounted.length === 0 ? 'stranger-at-lane' : 'unbound-at-lane', ranked);
    return decide(owner, unbound, unboundScore, 'unbound-track');
  }
  // the likeliest is someone the cameras did not see while the lane was out of their sight
  if (best.c === undefined || (best.c.handM === null && best.c.bodyM === null))
    return refuse(scored.some((s) => s.c?.bodyM != null) ? 'shopper-unseen' : 'nobody-seen', ranked);
  // the evidence first: a close call stays one whatever the identities (the exit settles identity refusals
  // only, so one must mean the cameras clearly pointed at one track)
  const byEvidence = decide(best.sessionId, best.c, best.score);
  if (byEvidence.sessionId === null || best.c.identity >= settings.minIdentity) return byEvidence;
  // the person at the lane may carry someone else's session — unless every other shopper is accounted
  // for elsewhere by a sure track, in which case whoever it is, it is this session
  if (unaccounted.length === 1 && unaccounted[0] === best.sessionId)
    return decide(best.sessionId, best.c, best.score, 'others-elsewhere');
  return refuse('identity-doubtful', ranked);
}

function ruleOf(base: BaseRule, modifier: RuleModifier | undefined): string {
  return formatRule({ base, modifiers: modifier === undefined ? [] : [modifier] });
}

/** Unnormalised likelihood that this candidate did it. */
function score(
  c: CandidateEvidence | undefined,
  laneSeen: boolean,
  ownedHandSeen: boolean,
  s: AttributionSettings,
): number {
  if (c === undefined || (c.handM === null && c.bodyM === null))
    return laneSeen ? s.unseenWeight.laneSeen : s.unseenWeight.laneUnseen;
  const hand = c.handM === null ? 0 : Math.exp(-0.5 * (c.handM / s.handSigmaM) ** 2);
  const bodyOff = c.bodyM === null ? Number.POSITIVE_INFINITY : Math.max(0, c.bodyM - s.bodyNearM);
  const handAway = c.handM === null || c.handM > s.otherHandAwayM;
  const weight = ownedHandSeen && handAway ? s.bodyWeight * s.bodyBesideOwnedHand : s.bodyWeight;
  const body = weight * Math.exp(-0.5 * (bodyOff / s.bodySigmaM) ** 2);
  return Math.max(hand, body) + 1e-4;
}

/** The decision again, from the evidence stored with an event (dispute and debugging replays). */
export function redecide(
  evidence: AttributionEvidence,
  settings: AttributionSettings = DEFAULT_ATTRIBUTION,
): Attribution {
  const present = evidence.candidates.flatMap((c) => (c.sessionId === null ? [] : [c.sessionId]));
  const { vision: _, rule: __, ...seen } = evidence;
  return attributeEvent(present, evidence.vision ? seen : undefined, settings);
}
