// When the edge stops waiting for a return's receipt (#13): the cloud answers "not yet" while the visit it
// refunds is not there or not paid, and a return whose visit will never reach the cloud — dead on this edge, or
// gone from its outbox while the cloud has no receipt — or that waited past the bound is set aside (dead, kept)
// for staff to refund by hand or resend with npm run outbox -- retry. Pure.

import type { OutboxState } from '../outbox/outbox.ts';
import type { RetrySettings } from '../outbox/retry-policy.ts';

export interface StuckReturnSettings {
  /**
   * Longest a return waits for the cloud's "not yet" to end (ms, RETURN_MAX_WAIT_HOURS): a visit still on its way
   * arrives within minutes of the link coming back, and a capture the provider retries settles within hours; a
   * day covers both with room, and staff see a refund owed for longer.
   */
  maxNotReadyMs: number;
  /**
   * One return's own backoff while the cloud answers "not yet": 1 s doubling to 5 min (equal jitter: 2.5–5 min
   * apart at the cap) — a visit delivered a moment after its return is refunded within seconds, and a day's wait
   * costs about 400 small requests.
   */
  retry: RetrySettings;
}

export const DEFAULT_STUCK_RETURN: StuckReturnSettings = {
  maxNotReadyMs: 24 * 3_600_000,
  retry: { baseMs: 1_000, maxBackoffMs: 300_000, maxRetryAfterMs: 600_000 },
};

/** Why a return is set aside: a metric label and what staff do next. */
export type StuckReturnCause = 'visit_dead' | 'visit_missing' | 'waited_too_long';

export interface StuckReturnAnswer {
  /** The cloud's error code of its "not yet" (receipt_not_ready, receipt_payment_pending), if it gave one. */
  code: string | undefined;
  /** Since the first "not yet" (or the operator's last retry), ms. */
  waitingMs: number;
}

/**
 * Whether to stop waiting for this return's receipt, given the state of its visit in this edge's outbox
 * (`visit:<visitId>`; undefined when there is none): undefined to try again later.
 */
export function stuckReturn(
  visitId: string,
  visitState: OutboxState | undefined,
  answer: StuckReturnAnswer,
  settings: StuckReturnSettings,
): { cause: StuckReturnCause; reason: string } | undefined {
  const byHand = 'refund the shopper by hand';
  if (visitState === 'dead')
    return {
      cause: 'visit_dead',
      reason: `its visit visit:${visitId} is dead on this edge (the cloud refused it), so its receipt will never be there: ${byHand}, or fix the visit, resend it and then this return (npm run outbox -- retry --id <id>)`,
    };
  if (visitState === undefined && answer.code === 'receipt_not_ready')
    return {
      cause: 'visit_missing',
      reason: `its visit visit:${visitId} is not in this edge's outbox and the cloud has no receipt for it, so it will never arrive: ${byHand}`,
    };
  if (answer.waitingMs >= settings.maxNotReadyMs)
    return {
      cause: 'waited_too_long',
      reason: `the cloud has answered "not yet" for ${hours(answer.waitingMs)} h (the bound is ${hours(settings.maxNotReadyMs)} h): ${byHand}, or once its receipt is there and paid resend it (npm run outbox -- retry --id <id>)`,
    };
  return undefined;
}

const hours = (ms: number) => Math.round((ms / 3_600_000) * 10) / 10;
