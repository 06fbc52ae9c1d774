// What a receipt waited for: the checkout says, with the receipt, what held it last and whether its hold ran
// out, so the floor and the evaluation can tell a slow receipt's cause (#13's no-staff p99).
import { describe, expect, it } from 'vitest';
import type { ReceiptHold } from '../../../../edge/checkout/checkout.ts';
import { aliceInside, testCheckout } from '../../../support/checkout.ts';

/** Each hold is lifted at its own time (edge clock ms after the exit scan at 30 000); undefined: never. */
interface Lifted {
  shelvesAt?: number;
  visionAt?: number;
  exceptionsAt?: number;
}

function holdOf(lifted: Lifted): { hold: ReceiptHold; queuedAt: number } {
  const { time, db, sessions } = aliceInside();
  const exitTs = 30_000;
  const until = (at: number | undefined) => () => at !== undefined && time.now() < exitTs + at;
  const queued: Array<{ hold: ReceiptHold; queuedAt: number }> = [];
  const checkout = testCheckout(db, time, {
    sessions,
    settledThrough: () => !until(lifted.shelvesAt)(),
    awaitingVision: until(lifted.visionAt),
    openExceptionsFor: () => (until(lifted.exceptionsAt)() ? 1 : 0),
    exceptionHoldMs: 6000,
    visionExitMs: 2000,
    onQueued: (_s, _visit, _cart, hold) => queued.push({ hold, queuedAt: time.now() - exitTs }),
  });
  time.advanceTo(exitTs);
  const session = sessions.markClosing('alice', 'G-OUT', exitTs);
  if (session === undefined) throw new Error('alice is inside');
  checkout.begin(session);
  time.advanceTo(exitTs + 20_000);
  const [first] = queued;
  if (first === undefined) throw new Error('no receipt');
  return first;
}

describe('what a receipt waited for', () => {
  it('is nothing when the cart was final at the exit scan', () => {
    const { hold, queuedAt } = holdOf({});
    expect(hold).toEqual({ heldMs: 0, waitedFor: [], ranOut: false });
    expect(queuedAt).toBe(0);
  });

  it('is the last thing that held it, each lifted in turn', () => {
    expect(holdOf({ shelvesAt: 200 }).hold).toMatchObject({ waitedFor: ['shelves'], ranOut: false });
    expect(holdOf({ shelvesAt: 200, visionAt: 500 }).hold).toMatchObject({
      waitedFor: ['exit-watch'],
      ranOut: false,
    });
    const { hold, queuedAt } = holdOf({ shelvesAt: 200, visionAt: 500, exceptionsAt: 1500 });
    expect(hold.waitedFor).toEqual(['open-exceptions']);
    expect(hold.ranOut).toBe(false);
    expect(queuedAt).toBeGreaterThanOrEqual(1500);
    expect(hold.heldMs).toBe(queuedAt);
  });

  it('says when a hold ran out: exceptions nobody decided in time go uncharged', () => {
    const { hold, queuedAt } = holdOf({ exceptionsAt: 60_000 });
    expect(hold).toMatchObject({ waitedFor: ['open-exceptions'], ranOut: true });
    expect(queuedAt).toBeGreaterThanOrEqual(6000);
    expect(queuedAt).toBeLessThan(6100);
  });

  it('waits for the exit watch no longer than its bound after the shelves', () => {
    const { hold, queuedAt } = holdOf({ visionAt: 60_000 });
    expect(hold).toMatchObject({ waitedFor: ['exit-watch'], ranOut: false });
    expect(queuedAt).toBeGreaterThanOrEqual(3000);
    expect(queuedAt).toBeLessThan(3100);
  });

  it('names every hold still on at the last moment it was held', () => {
    // the exit watch and an open exception both outlast the shelves; the watch ends first (3 s), the
    // exception is decided at 4 s: the receipt waited for the exception at the end
    expect(holdOf({ visionAt: 60_000, exceptionsAt: 4000 }).hold.waitedFor).toEqual(['open-exceptions']);
    // the watch ends at 2 s, the exception hold runs out at 6 s: only the exception held it at the end
    expect(holdOf({ visionAt: 2000, exceptionsAt: 60_000 }).hold.waitedFor).toEqual(['open-exceptions']);
    // both on until the same moment
    expect(holdOf({ visionAt: 2500, exceptionsAt: 2500 }).hold.waitedFor).toEqual([
      'exit-watch',
      'open-exceptions',
    ]);
  });
});
