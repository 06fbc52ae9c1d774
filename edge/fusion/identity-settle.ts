// Pure: a pick refused because the identity of the one track that reached in was in doubt is decided again
// once that doubt is settled — the track's uncrowded looks are again those of the person it followed before
// the doubt (docs/vision.md, "Identity confidence"), with no swap doubt left open — before the receipt goes.
import { baseRuleIs, withModifier } from '../../shared/attribution-rule.ts';
import type { CandidateEvidence } from '../../shared/schemas/attribution-evidence.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { TrackMessage } from '../../shared/schemas/track.ts';
import { redecide } from './attributor.ts';
import type { ExitDecision } from './exit-decision.ts';
import { othersSeen, wasAtLane } from './exit-match.ts';
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

/** True when nothing the tracker knows leaves this track's person in doubt any more. */
export function identitySettled(track: TrackMessage, settings: FusionSettings): boolean {
  return (
    track.sessionId !== null &&
    track.state !== 'tentative' &&
    track.identityDoubtTs === undefined &&
    (track.identityDoubts ?? []).length === 0 &&
    (track.identityConfidence ?? 1) >= settings.attribution.minIdentity
  );
}

/**
 * What the event becomes now that `track`'s identity is settled, or undefined when the track says nothing
 * about it: it must be the one the evidence named at the lane, still on the session it was ranked for, alone
 * at the lane (no one else's hand in it), every other shopper inside must have been seen somewhere during the
 * pick, and the evidence with its identity restored must bill that session.
 * The refusal stays in the evidence (what a replay of the cameras' part gives); the rule is marked
 * `+identity-settled` and the confidence is the decision's with the restored identity.
 */
export function decideOnSettledIdentity(
  event: ShelfEvent,
  track: TrackMessage,
  settings: FusionSettings,
): ExitDecision | undefined {
  const evidence = event.evidence;
  const best = event.hypotheses[0];
  if (evidence === undefined || best === undefined || event.ambiguous) return undefined;
  if (!tracksAtLane(event).includes(track.id) || !identitySettled(track, settings)) return undefined;
  const sessionId = track.sessionId as string;
  const mine = evidence.candidates.find(
    (c) => c.sessionId === sessionId && (c.handTrack ?? c.bodyTrack) === track.id,
  );
  if (mine === undefined || !wasAtLane(event, track.id, settings.exit)) return undefined;
  if (!othersSeen(event, sessionId)) return undefined;
  const restored: CandidateEvidence = { ...mine, identity: track.identityConfidence ?? 1 };
  const again = redecide(
    { ...evidence, candidates: evidence.candidates.map((c) => (c === mine ? restored : c)) },
    settings.attribution,
  );
  if (again.sessionId !== sessionId) return undefined;
  const rule = withModifier(evidence.rule, 'identity-settled');
  return {
    choice: { sessionId, sku: best.sku, count: best.count },
    restate: (assigned) => ({
      ...assigned,
      attribution: 'vision',
      confidence: again.confidence,
      evidence: { ...evidence, rule },
    }),
  };
}
