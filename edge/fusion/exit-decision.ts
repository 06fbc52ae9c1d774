// Pure: what the exit match decides for one of a session's open exceptions once the one person who walked out
// right after its exit scan is known — the pick that track alone made at the lane is the session's, billed by
// vision with the exit match's confidence, its rule marked `+matched-at-exit`; and when that track was far
// from the lane throughout the event, the session did not do it: the event is decided again without them
// (`+elsewhere-at-exit`), or at least no longer names them.
import { baseRuleIs, type RuleModifier, withModifier } from '../../shared/attribution-rule.ts';
import { round3 } from '../../shared/round.ts';
import type { CandidateEvidence } from '../../shared/schemas/attribution-evidence.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import { outOfReachBeside, ownedHandIn, reachingAcross, redecide, squarelyInLaneM } from './attributor.ts';
import type { ExceptionChoice } from './decision-book.ts';
import { othersSeen, wasAtLane } from './exit-match.ts';
import type { AttributionSettings, ExitMatchSettings } from './fusion-settings.ts';

export interface ExitDecision {
  choice: ExceptionChoice;
  restate: (assigned: ShelfEvent) => ShelfEvent;
}

/**
 * Undefined when the exit says nothing about this event (the product is in doubt, or the track was not alone, or
 * another shopper nearer than `elsewhereM` went unseen: `othersSeen`).
 */
export function decideAtExit(
  event: ShelfEvent,
  sessionId: string,
  trackId: string,
  settings: ExitMatchSettings,
  elsewhereM: number,
): ExitDecision | undefined {
  const best = event.hypotheses[0];
  if (best === undefined || event.ambiguous || !wasAtLane(event, trackId, settings)) return undefined;
  if (!othersSeen(event, sessionId, elsewhereM)) return undefined;
  const rule = withModifier(event.evidence?.rule ?? 'unbound-at-lane', 'matched-at-exit');
  return {
    choice: { sessionId, sku: best.sku, count: best.count },
    restate: (assigned) => ({
      ...assigned,
      attribution: 'vision',
      confidence: settings.confidence,
      ...(event.evidence === undefined ? {} : { evidence: { ...event.evidence, rule } }),
    }),
  };
}

/**
 * A pick refused only for the identity of the one track the evidence pointed at, once the exit has shown that
 * track was the session's person from before the event (`trackId`, its doubts followed back from the exit), and
 * others' hands were near the lane too (`decideAtExit` asks the lane to be the track's alone): the evidence is
 * decided again with that identity restored, other hands weighed as for anyone — the decision a shopper never
 * in doubt would have had. Billed, marked `+matched-at-exit`, only when that decision names the session and
 * every other shopper inside was seen somewhere during it (`othersSeen`); the confidence is the lower of the
 * decision's and the exit match's.
 */
export function decideAtExitAmongOthers(
  event: ShelfEvent,
  sessionId: string,
  trackId: string,
  exit: ExitMatchSettings,
  attribution: AttributionSettings,
): ExitDecision | undefined {
  if (!baseRuleIs(event.evidence?.rule ?? '', 'identity-doubtful')) return undefined;
  return decideWithIdentityRestored(
    event,
    sessionId,
    trackId,
    1,
    attribution,
    'matched-at-exit',
    exit.confidence,
  );
}

/**
 * The decision the event's evidence gives once `sessionId`'s identity on `trackId` — the one track of theirs it
 * named at the lane — is restored to `identity`, everyone else weighed as measured: the decision a shopper never
 * in doubt would have had. Undefined unless it names that session and every other shopper inside was seen
 * somewhere during the pick (`othersSeen`). The refusal stays in the evidence (what a replay of the cameras' part
 * gives); the rule is marked with `modifier` and the confidence is the decision's, at most `maxConfidence`.
 */
export function decideWithIdentityRestored(
  event: ShelfEvent,
  sessionId: string,
  trackId: string,
  identity: number,
  settings: AttributionSettings,
  modifier: RuleModifier,
  maxConfidence = 1,
): ExitDecision | undefined {
  const evidence = event.evidence;
  const best = event.hypotheses[0];
  if (evidence === undefined || best === undefined || event.ambiguous) return undefined;
  const mine = evidence.candidates.find(
    (c) => c.sessionId === sessionId && (c.handTrack ?? c.bodyTrack) === trackId,
  );
  if (mine === undefined) return undefined;
  if (!othersSeen(event, sessionId, settings.elsewhereM)) return undefined;
  const restored: CandidateEvidence = { ...mine, identity };
  const again = redecide(
    { ...evidence, candidates: evidence.candidates.map((c) => (c === mine ? restored : c)) },
    settings,
  );
  if (again.sessionId !== sessionId) return undefined;
  const rule = withModifier(evidence.rule, modifier);
  const confidence = Math.min(again.confidence, maxConfidence);
  return {
    choice: { sessionId, sku: best.sku, count: best.count },
    restate: (assigned) => ({
      ...assigned,
      attribution: 'vision',
      confidence,
      evidence: { ...evidence, rule },
    }),
  };
}

/** What the session's alibi makes of an event: decided for someone else, or only cleared of the session. */
export interface AlibiOutcome {
  /** The event with the session's alibi in its evidence (what the exception keeps when nobody is billed). */
  event: ShelfEvent;
  /** The rest of the evidence bills someone now (undefined: it is still for staff). */
  decision?: ExitDecision;
}

/**
 * One of a session's open exceptions once its shopper's walk-out showed them at least `alibiM` from the lane
 * throughout the event (their track followed without doubt from before it to the exit): their evidence
 * carries the alibi and the event is decided again from it, as a replay would — billed only when every other
 * shopper inside was seen somewhere during it (`othersSeen`). Undefined when the alibi is
 * not far enough to put them elsewhere, or the event has no evidence naming them.
 */
export function decideOnAlibi(
  event: ShelfEvent,
  sessionId: string,
  alibiM: number,
  settings: AttributionSettings,
): AlibiOutcome | undefined {
  const evidence = event.evidence;
  if (evidence === undefined || alibiM < settings.elsewhereM) return undefined;
  const mine = evidence.candidates.find((c) => c.sessionId === sessionId);
  if (mine === undefined) return undefined;
  const shown = { ...mine, alibiM: round3(Math.max(alibiM, mine.alibiM ?? 0)) };
  const withAlibi = { ...evidence, candidates: evidence.candidates.map((c) => (c === mine ? shown : c)) };
  const cleared: ShelfEvent = { ...event, evidence: withAlibi };
  const again = redecide(withAlibi, settings);
  const best = event.hypotheses[0];
  if (again.sessionId === null || again.sessionId === sessionId || best === undefined || event.ambiguous)
    return { event: cleared };
  // as for any later decision: a shopper nobody saw during the event may be the one under the billed track
  if (!othersSeen(cleared, again.sessionId, settings.elsewhereM)) return { event: cleared };
  const rule = withModifier(again.evidence.rule, 'elsewhere-at-exit');
  const billed = again.sessionId;
  return {
    event: cleared,
    decision: {
      choice: { sessionId: billed, sku: best.sku, count: best.count },
      restate: (assigned) => ({
        ...assigned,
        attribution: 'vision',
        confidence: again.confidence,
        evidence: { ...withAlibi, rule },
      }),
    },
  };
}

/**
 * Whether a session whose track walked out as theirs, followed from before the event, surely did not do an
 * event someone else's hand did — while another track's hand, surely that track's own (`ownedHandMin`), was in
 * the lane as the weight changed, the leaver's track
 * - stayed farther from the lane than an arm along the shelf reaches (`alibiM`, body or hands: `trackAlibiM`,
 *   at least `reachPastBodyM`), or
 * - was away from the lane (`leaver`: its own evidence, as gathered for a track bound to the session): its
 *   hands seen only `ownLaneHandM` or farther off (in the lane in front of a neighbour), or, none seen, the
 *   body in front of another lane — nobody reaching across toward it and the other hand squarely in it: what
 *   makes the attributor believe that hand over everyone standing by (attributor.ts › ownedHandInLane).
 * Short of `elsewhereM`, this bills nobody else (`decideOnAlibi`); it only stops naming the session, so that
 * their receipt need not wait for whoever else the event names (lost-at-gate: people whose bindings the dark
 * entry lost, picking at one shelf).
 */
export function notTheirs(
  event: ShelfEvent,
  trackId: string,
  leaver: { alibiM: number; evidence: CandidateEvidence | undefined },
  settings: AttributionSettings,
): boolean {
  const evidence = event.evidence;
  if (evidence === undefined) return false;
  // another track's hand: the one track of its candidate that reached in
  const other = (c: CandidateEvidence) => c.handTrack !== undefined && c.handTrack !== trackId;
  if (leaver.alibiM >= settings.reachPastBodyM)
    return outOfReachBeside(evidence, leaver.alibiM, other, settings);
  const own = leaver.evidence;
  if (!evidence.laneSeen || own === undefined || !awayFromLane(own, settings)) return false;
  if ([...evidence.candidates, own].some((c) => reachingAcross(c, settings))) return false;
  return ownedHandIn(
    evidence.candidates,
    other,
    squarelyInLaneM(evidence.laneHalfWidthM, settings),
    settings,
  );
}

/**
 * Hands seen only a lane or more off; or none seen, standing in front of another lane — farther than a hand
 * `ownLaneHandM` along the shelf is from someone standing `standDepthM` in front of it.
 */
function awayFromLane(own: CandidateEvidence, settings: AttributionSettings): boolean {
  if (own.handM !== null) return own.handM >= settings.ownLaneHandM;
  return own.bodyM !== null && own.bodyM > Math.hypot(settings.ownLaneHandM, settings.standDepthM);
}
