// When the edge stops waiting for a return's receipt (#13): its visit will never reach the cloud, or the cloud
// has answered "not yet" past the bound.
import { describe, expect, it } from 'vitest';
import { DEFAULT_STUCK_RETURN, stuckReturn } from '../../../../edge/checkout/stuck-return.ts';

const HOUR_MS = 3_600_000;
const notReady = (waitingMs: number) => ({ code: 'receipt_not_ready', waitingMs });

describe('a return the cloud answers "not yet" for', () => {
  it('waits while its visit is on its way or delivered, within the bound', () => {
    for (const state of ['pending', 'held', 'delivered'] as const)
      expect(stuckReturn('v1', state, notReady(23 * HOUR_MS), DEFAULT_STUCK_RETURN), state).toBeUndefined();
    // delivered and pruned from the edge: the cloud has it, its payment is what is pending
    expect(
      stuckReturn(
        'v1',
        undefined,
        { code: 'receipt_payment_pending', waitingMs: HOUR_MS },
        DEFAULT_STUCK_RETURN,
      ),
    ).toBeUndefined();
  });

  it('is set aside at once when its visit is dead on the edge', () => {
    expect(stuckReturn('v1', 'dead', notReady(0), DEFAULT_STUCK_RETURN)).toEqual({
      cause: 'visit_dead',
      reason: expect.stringContaining('its visit visit:v1 is dead on this edge'),
    });
  });

  it('is set aside at once when its visit is in no outbox and the cloud has no receipt', () => {
    expect(stuckReturn('v1', undefined, notReady(0), DEFAULT_STUCK_RETURN)).toMatchObject({
      cause: 'visit_missing',
    });
  });

  it('is set aside once it has waited the bound (24 h by default, a setting)', () => {
    expect(stuckReturn('v1', 'pending', notReady(24 * HOUR_MS), DEFAULT_STUCK_RETURN)).toEqual({
      cause: 'waited_too_long',
      reason: expect.stringContaining('"not yet" for 24 h (the bound is 24 h)'),
    });
    const twoHours = { ...DEFAULT_STUCK_RETURN, maxNotReadyMs: 2 * HOUR_MS };
    expect(stuckReturn('v1', 'pending', notReady(HOUR_MS), twoHours)).toBeUndefined();
    expect(stuckReturn('v1', 'pending', notReady(2 * HOUR_MS), twoHours)?.cause).toBe('waited_too_long');
  });
});
