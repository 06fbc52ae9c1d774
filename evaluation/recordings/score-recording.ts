// Scores detected shelf events against a recording's ground truth (exact to the second): an event
// matches a truth event on the same shelf, of the same kind, sharing a lane, starting within 1 s of the
// true second; its product is correct when the best hypothesis has the right SKU and count.
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { RecordingEvent } from './autocheckout-recording.ts';

export interface RecordingScore {
  truePositives: number;
  falsePositives: number;
  missed: number;
  productCorrect: number;
  /** Per truth event: the matched event id, or null. */
  matches: { truth: RecordingEvent; eventId: string | null; productCorrect: boolean }[];
  unmatched: Pick<ShelfEvent, 'eventId' | 'kind' | 'lanes' | 'deltaGrams' | 'startTs'>[];
}

type Detected = Pick<
  ShelfEvent,
  'eventId' | 'kind' | 'shelf' | 'lanes' | 'deltaGrams' | 'startTs' | 'hypotheses'
>;

export function scoreRecording(
  truth: readonly RecordingEvent[],
  detected: readonly Detected[],
): RecordingScore {
  const used = new Set<string>();
  const matches = truth.map((t) => {
    const candidate = detected.find(
      (e) =>
        !used.has(e.eventId) &&
        e.shelf === t.shelf &&
        e.kind === t.kind &&
        e.lanes.some((lane) => t.lanes.includes(lane)) &&
        e.startTs >= t.ts - 1000 &&
        e.startTs < t.ts + 2000,
    );
    if (candidate === undefined) return { truth: t, eventId: null, productCorrect: false };
    used.add(candidate.eventId);
    const best = candidate.hypotheses[0];
    return {
      truth: t,
      eventId: candidate.eventId,
      productCorrect: best?.sku === t.sku && best.count === t.count,
    };
  });
  const unmatched = detected
    .filter((e) => !used.has(e.eventId))
    .map(({ eventId, kind, lanes, deltaGrams, startTs }) => ({ eventId, kind, lanes, deltaGrams, startTs }));
  const truePositives = matches.filter((m) => m.eventId !== null).length;
  return {
    truePositives,
    falsePositives: unmatched.length,
    missed: truth.length - truePositives,
    productCorrect: matches.filter((m) => m.productCorrect).length,
    matches,
    unmatched,
  };
}
