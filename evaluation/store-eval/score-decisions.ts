// Pure: every shelf event the edge decided, set against what really happened — who took it (the ground truth's
// events on the same lane at the same moment) and whether the edge charged the right shopper for the right
// units. The calibration table and the report's list of wrong or doubtful lines are built from these.
import { lastModifierIs } from '../../shared/attribution-rule.ts';
import type { ShelfEvent } from '../../shared/schemas/shelf-event.ts';
import type { GroundTruthEvent } from '../../simulators/scenario/ground-truth.ts';
import type { Decision } from './eval-report-types.ts';

/** A true event belongs to an edge event when its units moved within this of the edge's change (ms). */
const MATCH_SLACK_MS = 600;

export interface DecisionContext {
  scenario: string;
  family: string;
  seed: number;
  /** Device time of scenario second 0. */
  startedAt: number;
  /** Scenario shopper id by session id. */
  shopperOfSession: Readonly<Record<string, string>>;
}

/** Who pays for a true event: the picker, or for a put-back whoever's receipt it comes off. */
const payerOf = (e: GroundTruthEvent) => (e.kind === 'put-back' ? (e.chargedTo ?? e.shopper) : e.shopper);

/** `first`, then as many more of `events` as it takes to make up `units`. */
function takeUnits(
  events: readonly GroundTruthEvent[],
  first: GroundTruthEvent | undefined,
  units: number,
): GroundTruthEvent[] {
  if (first === undefined) return [];
  const taken = [first];
  let count = first.count;
  for (const t of events) {
    if (count >= units) break;
    if (t === first) continue;
    taken.push(t);
    count += t.count;
  }
  return taken;
}

/** One Decision per edge event; each true event explains at most one edge event (the nearest in time). */
export function scoreDecisions(
  events: readonly ShelfEvent[],
  truth: readonly GroundTruthEvent[],
  context: DecisionContext,
): Decision[] {
  const used = new Set<GroundTruthEvent>();
  const ordered = [...events].sort((a, b) => a.startTs - b.startTs || a.eventId.localeCompare(b.eventId));
  return ordered.map((event) => {
    const matched = truth
      .filter(
        (t) =>
          !used.has(t) &&
          t.kind === event.kind &&
          event.lanes.includes(t.lane) &&
          t.ts >= event.startTs - MATCH_SLACK_MS &&
          t.ts <= event.endTs + MATCH_SLACK_MS,
      )
      .sort((a, b) => Math.abs(a.ts - event.peakTs) - Math.abs(b.ts - event.peakTs));
    const best = event.hypotheses[0];
    const billed = event.sessionId === null ? null : (context.shopperOfSession[event.sessionId] ?? null);
    // several true events in one edge event: people taking from one lane at the same moment — unless the edge
    // shared the event out one each (#13): then each part answers for its own shopper's units only
    const shared = event.evidence !== undefined && lastModifierIs(event.evidence.rule, 'one-each');
    const first = shared ? (matched.find((t) => payerOf(t) === billed) ?? matched[0]) : matched[0];
    const sameSku = first === undefined ? [] : matched.filter((t) => t.sku === first.sku);
    const together = shared ? takeUnits(sameSku, first, best?.count ?? 1) : sameSku;
    for (const t of together) used.add(t);
    const automatic = event.attribution === 'sole-session' || event.attribution === 'vision';
    const payers = new Map<string, number>();
    for (const t of together) payers.set(payerOf(t), (payers.get(payerOf(t)) ?? 0) + t.count);
    const truthShopper = payers.size === 0 ? null : [...payers.keys()].sort().join('+');
    let correct: boolean | null = null;
    if (automatic && event.sessionId !== null) {
      correct =
        payers.size === 1 &&
        billed !== null &&
        payers.get(billed) === best?.count &&
        first?.sku === best?.sku &&
        !event.ambiguous;
    }
    return {
      scenario: context.scenario,
      family: context.family,
      seed: context.seed,
      atS: Math.round((event.startTs - context.startedAt) / 100) / 10,
      kind: event.kind,
      lane: event.lane,
      sku: best?.sku ?? null,
      count: best?.count ?? 0,
      truthShopper,
      billedTo: automatic ? billed : null,
      attribution: event.attribution,
      confidence: event.confidence ?? null,
      correct,
      rule: event.evidence?.rule ?? null,
      candidates: (event.evidence?.candidates ?? []).map((c) =>
        c.sessionId === null ? 'no session' : (context.shopperOfSession[c.sessionId] ?? c.sessionId),
      ),
      evidence: event.evidence ?? null,
    };
  });
}
