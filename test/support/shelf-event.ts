// One pick as the edge's shelf stage detects it, for tests that feed fusion, exceptions or the checkout by
// hand: one can of cola lifted from S01-L03 at `T0`, given to alice by the cameras; `over` changes any field.
import { attributeEvent } from '../../edge/fusion/attributor.ts';
import type { CandidateEvidence } from '../../shared/schemas/attribution-evidence.ts';
import type { DetectedShelfEvent, ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { Lane, Shelf } from '../../shared/store-config.ts';

export const T0 = 1_700_000_000_000;

export function shelfEvent(over: Partial<ShelfEvent> = {}): ShelfEvent {
  return {
    v: 1,
    eventId: 'S01-LC03@1',
    kind: 'pick',
    shelf: 'S01',
    lane: 'S01-L03',
    lanes: ['S01-L03'],
    loadCell: 'S01-LC03',
    startTs: T0,
    endTs: T0 + 900,
    peakTs: T0 + 400,
    deltaGrams: -400,
    deltaSdGrams: 2,
    hypotheses: [{ sku: 'COLA-330', count: 1, likelihood: 1 }],
    ambiguous: false,
    sessionId: 'alice',
    attribution: 'vision',
    confidence: 0.97,
    ...over,
  };
}

/**
 * A pick of `units` the attributor itself refused (or decided) from what the cameras measured — `candidates`,
 * the lane in sight — from 1000 to 1400 ms, left unattributed with the decision's evidence.
 */
export function refusedPick(candidates: CandidateEvidence[], units = 1): ShelfEvent {
  const present = candidates.flatMap((c) => (c.sessionId === null ? [] : [c.sessionId]));
  const decided = attributeEvent(present, { laneSeen: true, candidates, units });
  return shelfEvent({
    eventId: 'e1',
    startTs: 1000,
    endTs: 1400,
    peakTs: 1200,
    hypotheses: [{ sku: 'SKU-1', count: units, likelihood: 1 }],
    sessionId: null,
    attribution: 'unattributed',
    confidence: 0,
    evidence: decided.evidence,
  });
}

/**
 * `units` of `lane`'s product lifted from it over `span`, as the shelf stage hands the pick to fusion (nobody
 * decided yet).
 */
export function detectedPick(
  shelf: Shelf,
  lane: Lane,
  span: { eventId: string; startTs: number; endTs: number; peakTs: number; units?: number },
): DetectedShelfEvent {
  const units = span.units ?? 1;
  const {
    sessionId: _,
    attribution: __,
    confidence: ___,
    ...detected
  } = shelfEvent({
    eventId: span.eventId,
    shelf: shelf.id,
    lane: lane.id,
    lanes: [lane.id],
    loadCell: lane.loadCell,
    startTs: span.startTs,
    endTs: span.endTs,
    peakTs: span.peakTs,
    deltaGrams: -400 * units,
    hypotheses: [{ sku: lane.sku ?? 'SKU-0001', count: units, likelihood: 1 }],
  });
  return detected;
}
