// Age-restricted products: a pick opens an ID check for a supervisor and a "check ID" alert, and the receipt
// waits for it as for any doubtful line — billed once confirmed, removed when refused, not billed when the hold
// runs out, and not waited for when the shopper put the product back.
import { describe, expect, it } from 'vitest';
import { AgeCheckAlerts } from '../../../../edge/floor/age-check-alerts.ts';
import { DecisionBook, RETURNED_ACTOR } from '../../../../edge/fusion/decision-book.ts';
import type { Alert } from '../../../../shared/schemas/alert.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import type { VisitUpload } from '../../../../shared/schemas/visit.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';
import { SteppedTime } from '../../../../shared/timers.ts';
import { testCheckout } from '../../../support/checkout.ts';
import { decisionBookDeps } from '../../../support/decision-book-deps.ts';

/** The sample store with its rye bread (lane S01-L03) sold only after an ID check, and its water not. */
const RESTRICTED = 'SKU-0037';
const sample = loadStoreConfig('stores/sample-store.json');
const store = indexStore({
  ...sample,
  catalog: sample.catalog.map((p) => (p.sku === RESTRICTED ? { ...p, ageRestricted: true } : p)),
});
const T0 = 1_700_000_000_000;
const HOLD_MS = 60_000;

function shelfEvent(eventId: string, sku: string, kind: 'pick' | 'put-back', startTs: number): ShelfEvent {
  return {
    v: 1,
    eventId,
    kind,
    shelf: 'S01',
    lane: 'S01-L03',
    lanes: ['S01-L03'],
    loadCell: 'S01-LC03',
    startTs,
    endTs: startTs + 900,
    peakTs: startTs + 400,
    deltaGrams: kind === 'pick' ? -493 : 493,
    deltaSdGrams: 2,
    hypotheses: [{ sku, count: 1, likelihood: 1 }],
    ambiguous: false,
    sessionId: 'alice',
    attribution: 'sole-session',
    confidence: 1,
  };
}

/** The decision book and checkout as the edge wires them, for one shopper (alice) inside. */
function setup() {
  const time = new SteppedTime(T0);
  const published: Alert[] = [];
  const publish = (alert: Alert | undefined) => {
    if (alert !== undefined) published.push(alert);
  };
  const { db, sessions, exceptions, alerts, deps } = decisionBookDeps({
    store,
    clock: time,
    shoppers: ['alice'],
    holdMs: HOLD_MS,
    publishAlert: publish,
  });
  const decisions = new DecisionBook({
    ...deps,
    ageChecks: new AgeCheckAlerts({
      alerts,
      store,
      accountOf: (id) => sessions.get(id)?.accountId,
      publish,
      now: () => time.now(),
    }),
  });
  const queued: VisitUpload[] = [];
  const checkout = testCheckout(db, time, {
    sessions,
    openExceptionsFor: (id) => exceptions.openFor(id).length,
    uncheckedAgeLinesOf: (id) =>
      exceptions
        .openFor(id)
        .filter((x) => x.reason === 'age-check')
        .map((x) => x.event.eventId),
    exceptionHoldMs: HOLD_MS,
    onQueued: (_s, visit) => queued.push(visit),
  });
  /** Picks the bread and a water, then walks out. */
  const shopAndLeave = (putBack = false) => {
    decisions.attributed(shelfEvent('e-bread', RESTRICTED, 'pick', T0 + 1000), ['alice']);
    decisions.attributed(shelfEvent('e-water', 'SKU-0001', 'pick', T0 + 2000), ['alice']);
    if (putBack) decisions.attributed(shelfEvent('e-back', RESTRICTED, 'put-back', T0 + 3000), ['alice']);
    const session = sessions.markClosing('alice', 'G-OUT', T0 + 5000);
    if (session === undefined) throw new Error('alice is inside');
    checkout.begin(session);
  };
  const lines = () => queued.map((v) => v.lines);
  return { time, exceptions, decisions, published, queued, shopAndLeave, lines };
}

const CONFIRM = { sessionId: 'alice', sku: RESTRICTED, count: 1 };

describe('age-restricted products', () => {
  it('open an ID check with a "check ID" alert, and the receipt waits for the supervisor', () => {
    const { time, exceptions, decisions, published, shopAndLeave, lines } = setup();
    shopAndLeave();
    // only the restricted pick needs a check
    expect(exceptions.list().map((x) => [x.exceptionId, x.reason])).toEqual([['age-e-bread', 'age-check']]);
    const raised = published.find((a) => a.kind === 'id-check');
    expect(raised).toMatchObject({ state: 'raised', severity: 'warning', lane: 'S01-L03' });
    expect(raised?.message).toContain('check ID: shopper acc-alice');
    expect(raised?.message).toContain('Northfield Rye Bread');
    time.advanceTo(T0 + 30_000);
    expect(lines()).toEqual([]);

    decisions.decide('age-e-bread', CONFIRM, 'supervisor-1');
    expect(published.at(-1)).toMatchObject({ kind: 'id-check', state: 'cleared' });
    time.advanceTo(T0 + 30_100);
    expect(lines()).toEqual([
      [
        { sku: 'SKU-0001', quantity: 1 },
        { sku: RESTRICTED, quantity: 1 },
      ],
    ]);
  });

  it('remove the line when the supervisor refuses it', () => {
    const { time, decisions, published, shopAndLeave, lines } = setup();
    shopAndLeave();
    decisions.drop('age-e-bread', 'no ID', 'supervisor-1');
    expect(published.at(-1)).toMatchObject({ kind: 'id-check', state: 'cleared' });
    time.advanceTo(T0 + 10_000);
    expect(lines()).toEqual([[{ sku: 'SKU-0001', quantity: 1 }]]);
  });

  it('are not billed when nobody checked the ID before the hold ran out', () => {
    const { time, queued, shopAndLeave, lines } = setup();
    shopAndLeave();
    // the checkout began at T0: the hold runs out HOLD_MS later
    time.advanceTo(T0 + HOLD_MS - 100);
    expect(queued).toEqual([]);
    time.advanceTo(T0 + HOLD_MS + 100);
    expect(lines()).toEqual([[{ sku: 'SKU-0001', quantity: 1 }]]);
  });

  it('need no check once the shopper put the product back', () => {
    const { time, exceptions, shopAndLeave, lines } = setup();
    shopAndLeave(true);
    expect(exceptions.list()).toEqual([]);
    expect(exceptions.auditTrail()[0]).toMatchObject({ actor: RETURNED_ACTOR, subject: 'age-e-bread' });
    time.advanceTo(T0 + 6000);
    expect(lines()).toEqual([[{ sku: 'SKU-0001', quantity: 1 }]]);
  });
});
