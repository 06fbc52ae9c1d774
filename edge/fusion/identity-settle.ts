// Pure: a pick refused because the identity of the one track that reached in was in doubt is decided again
// once that doubt is settled — the track's looks are again those of the person it followed before the doubt
// (docs/vision.md, "Identity confidence"), with no swap doubt begun before the pick left open — before the
// receipt goes. Doubts begun after the pick do not matter: they are about who the track follows since.
import { baseRuleIs } from '../../shared/attribution-rule.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { TrackMessage } from '../../shared/schemas/track.ts';
import { decideWithIdentityRestored, type ExitDecision } from './exit-decision.ts';
import type { FusionSettings } from './fusion-settings.ts';

/**
 * The tracks an identity refusal names as the one of their session who reached in (or alone stood at the
 * lane): whose settled identity could decide it. Empty for any other event.
 */
export function tracksAtLane(event: ShelfEvent): string[] {
  if (!baseRuleIs(event.evidence?.rule ?? '', 'identity-doubtful')) return [];
  return (event.evidence?.candidates ?? []).flatMap((c) => {
    const track = c.handTrack ?? c.bodyTrack;
    return c.sessionId === null || track === undefined ? [] : [track];
  });
}

/**
 * The doubts the tracker still holds about the track's person, each from its first moment: an older edge
 * names only the last (`identityDoubtTs`), which then stands for any moment before it.
 */
export function openDoubtsSince(track: TrackMessage): number[] {
  if (track.identityDoubts !== undefined) return track.identityDoubts.map((d) => d.since ?? d.ts);
  return track.identityDoubtTs === undefined ? [] : [Number.NEGATIVE_INFINITY];
}

/**
 * The first moment of the latest doubt the tracker still holds about the track's person (undefined: none). An
 * older edge names only its latest doubt's moment, which is taken for it: nothing before it is known settled.
 */
export function latestOpenDoubtSince(track: TrackMessage): number | undefined {
  if (track.identityDoubts === undefined) return track.identityDoubtTs;
  const since = openDoubtsSince(track);
  return since.length === 0 ? undefined : Math.max(...since);
}

/**
 * True when nothing the tracker knows leaves in doubt that the track followed its session's person up to
 * `untilTs`: bound at the gate with no other way round (or, `bindingKnown`, every other way round ruled out),
 * and every moment before `untilTs` it may have changed person settled by its looks since. A doubt begun later
 * says nothing of who it was then.
 */
export function identitySettledUntil(
  track: TrackMessage,
  untilTs: number,
  settings: FusionSettings,
  bindingKnown = false,
): boolean {
  return (
    track.sessionId !== null &&
    track.state !== 'tentative' &&
    (bindingKnown || (track.identityCeiling ?? 1) >= settings.attribution.minIdentity) &&
    openDoubtsSince(track).every((since) => since > untilTs)
  );
}

/**
 * Whether the exit has ruled out every other shopper the event's evidence named, leaving `sessionId` the only
 * candidate: each of the others cleared by their own walk-out (`clear-candidate` by `vision:exit-not-theirs` or
 * `vision:exit-alibi`: their person followed from before the event to the exit, elsewhere), or never a candidate
 * (the attributor left them out: a sure track saw them far from the lane, or their alibi did). A binding at the
 * gate in doubt — the track at the lane may be another newcomer's person, let in beside them — is then no
 * longer in doubt: every other shopper who could be on it was followed elsewhere (10-family-on-one-scan: a
 * child's track bound to the family at 0.5 because a stranger came in 2.5 s later; the stranger stood alone at
 * the scanner and was 2 m away at the pick).
 */
export function othersRuledOut(
  event: ShelfEvent,
  candidateSessions: readonly string[],
  sessionId: string,
): boolean {
  const others = new Set(
    (event.evidence?.candidates ?? []).flatMap((c) =>
      c.sessionId === null || c.sessionId === sessionId ? [] : [c.sessionId],
    ),
  );
  return (
    others.size > 0 &&
    candidateSessions.length === 1 &&
    candidateSessions[0] === sessionId &&
    [...others].every((s) => !candidateSessions.includes(s))
  );
}

/**
 * What the event becomes now that `track`'s identity is settled, or undefined when the track says nothing
 * about it: it must be the one the evidence named at the lane, still on the session it was ranked for, every
 * other shopper inside must have been seen somewhere during the pick, and the evidence with its identity
 * restored must bill that session — the decision a shopper never in doubt would have had, other hands near
 * the lane weighed as for anyone (the exit match, which goes by the leaver alone, asks the lane to be theirs
 * alone; here the evidence of everyone is decided again).
 * The refusal stays in the evidence (what a replay of the cameras' part gives); the rule is marked
 * `+identity-settled` and the confidence is the decision's with the restored identity.
 */
export function decideOnSettledIdentity(
  event: ShelfEvent,
  track: TrackMessage,
  settings: FusionSettings,
  /**
   * Whether the track was in an encounter, settled since or not, while the weight changed
   * (`FusionStage.encounteredDuring`); asked only once the cheaper checks pass (it reads the track history).
   */
  encounteredDuring: () => boolean,
  /** Every other shopper the track could be bound to was ruled out (`othersRuledOut`): its binding counts as sure. */
  bindingKnown = false,
): ExitDecision | undefined {
  const evidence = event.evidence;
  const best = event.hypotheses[0];
  if (evidence === undefined || best === undefined || event.ambiguous) return undefined;
  // the hand may have been in the lane until the end of the window the evidence was gathered over
  const until = event.endTs + settings.lookAheadMs;
  if (!tracksAtLane(event).includes(track.id) || !identitySettledUntil(track, until, settings, bindingKnown))
    return undefined;
  // the looks that settled an encounter going on while the weight changed tell who the track follows after it,
  // not who it followed then
  if (encounteredDuring()) return undefined;
  // settled up to the pick: as sure as the binding at the gate (later doubts do not reach back to it)
  const identity = bindingKnown ? 1 : (track.identityCeiling ?? 1);
  return decideWithIdentityRestored(
    event,
    track.sessionId as string,
    track.id,
    identity,
    settings.attribution,
    'identity-settled',
  );
}
