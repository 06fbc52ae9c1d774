// Pure: several units lifted from one lane at once, by as many shoppers each with a hand in it (#13, "two
// people grabbing one lane"). The shelf sees one change of two units; the attributor, asked for one owner,
// finds a close call (or several units with several people) and would send it to staff. When the cameras saw
// exactly as many hands in the lane while the weight changed as units left it, each hand surely its owner's,
// and nobody else's hand near the lane, each of those shoppers took one: the event is shared out, one unit
// each. A shopper whose identity is in doubt still gets theirs when every track their person may be on is one
// of the hands' tracks (`personOn`): the same people took the units, in whichever order, and each took the
// same product. Replayable: it reads only the stored evidence.
import { withModifier } from '../../shared/attribution-rule.ts';
import type { AttributionEvidence, CandidateEvidence } from '../../shared/schemas/attribution-evidence.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { AttributionSettings } from './fusion-settings.ts';

/** One shopper's part of a shared event. */
export interface UnitShare {
  sessionId: string;
  count: number;
  /** The surety of the hand that makes it theirs (its owner confidence, the surest around the event). */
  confidence: number;
}

/**
 * The event's units, one to each shopper whose surely owned hand was in the lane while the weight changed;
 * undefined unless that accounts for every unit and for everyone who could have taken one.
 */
export function oneEach(
  evidence: Omit<AttributionEvidence, 'rule'>,
  settings: AttributionSettings,
): UnitShare[] | undefined {
  const units = evidence.units ?? 1;
  const { candidates } = evidence;
  if (units < 2 || !evidence.vision || !evidence.laneSeen) return undefined;
  const inLaneM = Math.min(settings.maxHandM, evidence.laneHalfWidthM ?? Number.POSITIVE_INFINITY);
  // a hand in the lane while the weight changed, and a hand near it around the event surely theirs
  const takers = candidates.filter((c) => {
    const now = c.atChange;
    return now?.handM != null && now.handM <= inLaneM && ownerOf(c) >= settings.ownedHandMin;
  });
  if (takers.length !== units || takers.some((c) => c.sessionId === null || c.handTrack === undefined))
    return undefined;
  const hands = new Set(takers.map((c) => c.handTrack as string));
  if (hands.size !== units) return undefined;
  // each hand is a person of a different shopper: sure identities, or people only ever on these tracks
  const sure = (c: CandidateEvidence) =>
    c.identity >= settings.minIdentity || c.personOn?.every((t) => hands.has(t)) === true;
  if (!takers.every(sure)) return undefined;
  // nobody else's hand near the lane at any moment around it (a third hand may have taken one of the units);
  // the lane in sight, nobody unseen was there
  for (const c of candidates) {
    if (takers.includes(c)) continue;
    if (c.handM !== null && c.handM < settings.ownLaneHandM) return undefined;
    if (c.atChange?.handM != null && c.atChange.handM < settings.ownLaneHandM) return undefined;
  }
  return takers.map((c) => ({
    sessionId: c.sessionId as string,
    count: 1,
    confidence: ownerOf(c),
  }));
}

/** How sure the cameras were, at their surest, that a hand of theirs near the lane was theirs. */
function ownerOf(c: CandidateEvidence): number {
  return Math.max(c.handOwner ?? 0, c.atChange?.handOwner ?? 0);
}

/**
 * The shared event's parts, one event per share: the same change with its own id (`<eventId>/<k>`), the
 * share's units and grams of the best hypothesis, billed by vision with the share's surety.
 */
export function shareOut(event: ShelfEvent, shares: readonly UnitShare[]): ShelfEvent[] {
  const best = event.hypotheses[0];
  const units = shares.reduce((n, s) => n + s.count, 0);
  if (best === undefined || units === 0) return [];
  const rule = withModifier(event.evidence?.rule ?? 'close-call', 'one-each');
  return shares.map((share, k) => ({
    ...event,
    eventId: `${event.eventId}/${k + 1}`,
    deltaGrams: (event.deltaGrams * share.count) / units,
    hypotheses: [{ ...best, count: share.count }],
    sessionId: share.sessionId,
    attribution: 'vision',
    confidence: share.confidence,
    ...(event.evidence === undefined ? {} : { evidence: { ...event.evidence, rule } }),
  }));
}
