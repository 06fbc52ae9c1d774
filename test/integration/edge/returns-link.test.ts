// The returns' link (#13) against a real cloud (PostgreSQL when WALKOUT_TEST_DATABASE_URL is set, else PGlite)
// on a virtual clock: a return the cloud keeps answering "not yet" (its receipt is not there) waits on its own
// backoff and never holds back the returns queued after it; one whose visit will never reach the cloud (dead on
// the edge, or gone from its outbox) or that waited past the bound goes dead, counted for staff, and an
// operator's retry delivers it once its receipt is there.
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReturnsLink } from '../../../edge/checkout/return-after-receipt.ts';
import { openEdgeDatabase } from '../../../edge/db/edge-database.ts';
import { createEdgeMetrics } from '../../../edge/edge-metrics.ts';
import { AlertBook } from '../../../edge/floor/alert-book.ts';
import type { CloudSync } from '../../../edge/outbox/cloud-sync.ts';
import { Outbox } from '../../../edge/outbox/outbox.ts';
import type { Alert } from '../../../shared/schemas/alert.ts';
import type { VisitReturn } from '../../../shared/schemas/visit-return.ts';
import { SteppedTime } from '../../../shared/timers.ts';
import {
  newShopper,
  PRIMARY_BACKEND,
  SAMPLE_STORE_ID,
  type Shopper,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOf,
} from '../cloud/cloud-harness.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const logger = pino({ level: 'silent' });

/** Runs the virtual clock to `until`, firing the link's timers and waiting for each delivery it starts. */
async function runUntil(time: SteppedTime, link: CloudSync, until: number): Promise<void> {
  for (;;) {
    await link.idle();
    const next = time.nextTimerTs();
    if (next === undefined || next > until) break;
    time.advanceTo(next);
  }
  time.advanceTo(until);
  await link.idle();
}

const backend = PRIMARY_BACKEND;
describe(`the returns' link on ${backend.name}`, () => {
  let test: TestCloud;
  let cloudUrl: string;
  let shopper: Shopper;

  beforeAll(async () => {
    test = await startTestCloud(backend);
    cloudUrl = await test.cloud.start(0);
    shopper = await newShopper(test.cloud, 'tok_visa');
  });
  afterAll(async () => {
    await test?.stop();
  });

  /** An edge's visits and returns (one table, as on the edge) and the returns' link on a virtual clock. */
  function edgeReturns() {
    const db = openEdgeDatabase(':memory:');
    const time = new SteppedTime(Date.parse('2026-12-01T09:00:00Z'));
    const visits = new Outbox(db, ['visit']);
    const returns = new Outbox(db, ['return']);
    const metrics = createEdgeMetrics();
    const alerts: Alert[] = [];
    const link = buildReturnsLink({
      cloud: {
        url: cloudUrl,
        storeId: SAMPLE_STORE_ID,
        credential: test.credentials[SAMPLE_STORE_ID] as string,
      },
      outbox: returns,
      visits,
      clock: time,
      timers: time,
      logger,
      metrics,
      alerts: new AlertBook(),
      alert: (a) => {
        if (a !== undefined) alerts.push(a);
      },
    });
    const queue = (visitId: string, sku = 'SKU-0001'): VisitReturn => {
      const back: VisitReturn = {
        returnId: `evt-${randomUUID()}`,
        visitId,
        sku,
        quantity: 1,
        lane: 'S01-L01',
        returnedAt: time.now(),
      };
      returns.enqueue(`return:${back.returnId}`, 'return', back, time.now());
      return back;
    };
    const rowOf = (back: VisitReturn) =>
      returns
        .list(['pending', 'held', 'dead', 'delivered'], 1000)
        .find((r) => r.key === `return:${back.returnId}`);
    const counted = async (name: string) =>
      (await metrics.registry.getSingleMetricAsString(name)).split('\n');
    return { db, time, visits, returns, metrics, link, queue, rowOf, counted, alerts };
  }

  /** A visit the cloud has, paid; also in the edge's outbox as delivered. */
  async function paidVisit(visits: Outbox, now: number) {
    const visit = visitOf(shopper.accountId, [{ sku: 'SKU-0001', quantity: 2 }]);
    expect((await uploadVisit(test, visit)).json()).toMatchObject({ status: 'paid' });
    visits.enqueue(`visit:${visit.visitId}`, 'visit', visit, now);
    const [row] = visits.due(now, 1);
    if (row !== undefined) visits.markDelivered(row.id, now);
    return visit;
  }

  it('a return the cloud answers "not yet" waits on its own: the returns queued after it are refunded', async () => {
    const { time, visits, link, queue, rowOf } = edgeReturns();
    // the stuck return's visit is still on its way (pending on the edge, its link down): the cloud has no receipt
    const onItsWay = visitOf(shopper.accountId, [{ sku: 'SKU-0001', quantity: 1 }]);
    visits.enqueue(`visit:${onItsWay.visitId}`, 'visit', onItsWay, time.now());
    const stuck = queue(onItsWay.visitId);
    link.start();
    await runUntil(time, link, time.now() + MINUTE_MS);
    const later = [queue((await paidVisit(visits, time.now())).visitId)];
    later.push(queue((await paidVisit(visits, time.now())).visitId));
    link.kick();
    await runUntil(time, link, time.now() + 10 * MINUTE_MS);
    for (const back of later) expect(rowOf(back)?.state).toBe('delivered');
    const waiting = rowOf(stuck);
    expect(waiting?.state).toBe('pending');
    expect(waiting?.lastError).toMatch(/425 receipt_not_ready/);
    // its own backoff: tried again, but not in a storm (11 minutes)
    expect(waiting?.attempts).toBeGreaterThan(3);
    expect(waiting?.attempts).toBeLessThan(30);
    await link.stop();
  });

  it('a return whose visit is dead on the edge is set aside at once, counted; resent once the visit is there', async () => {
    const { time, visits, returns, link, queue, rowOf, counted, alerts } = edgeReturns();
    const refused = visitOf(shopper.accountId, [{ sku: 'SKU-0001', quantity: 1 }]);
    visits.enqueue(`visit:${refused.visitId}`, 'visit', refused, time.now());
    const [visitRow] = visits.due(time.now(), 1);
    if (visitRow === undefined) throw new Error('visit not queued');
    visits.markFailed(visitRow.id, 'cloud refused it: 422 unknown_sku', time.now());
    const back = queue(refused.visitId);
    link.start();
    await runUntil(time, link, time.now() + MINUTE_MS);
    const dead = rowOf(back);
    expect(dead?.state).toBe('dead');
    expect(dead?.attempts).toBe(1);
    expect(dead?.lastError).toContain(`its visit visit:${refused.visitId} is dead on this edge`);
    expect(dead?.lastError).toContain('refund the shopper by hand');
    expect(dead?.lastError).toContain('425 receipt_not_ready');
    expect(await counted('walkout_edge_returns_dead_total')).toContain(
      'walkout_edge_returns_dead_total{cause="visit_dead"} 1',
    );
    // the floor view tells staff which refund is owed, and why
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      alertId: `refund-owed:${back.returnId}`,
      kind: 'refund-owed',
      state: 'raised',
      severity: 'warning',
      lane: 'S01-L01',
    });
    expect(alerts[0]?.message).toContain(`1 × SKU-0001 put back on S01-L01 after visit ${refused.visitId}`);
    expect(alerts[0]?.message).toContain('refund the shopper by hand');
    // staff fixed the visit and it reached the cloud; then they resend the return (npm run outbox -- retry)
    expect((await uploadVisit(test, refused)).json()).toMatchObject({ status: 'paid' });
    visits.markDelivered(visitRow.id, time.now());
    expect(returns.requeue({ ids: [dead?.id ?? 0] }, time.now())).toEqual([dead?.id]);
    link.kick();
    await runUntil(time, link, time.now() + MINUTE_MS);
    expect(rowOf(back)?.state).toBe('delivered');
    expect(await counted('walkout_edge_returns_refunded_total')).toContain(
      'walkout_edge_returns_refunded_total 1',
    );
    expect(alerts.at(-1)).toMatchObject({ alertId: `refund-owed:${back.returnId}`, state: 'cleared' });
    await link.stop();
  });

  it('a return whose visit is in no outbox of the edge, and unknown to the cloud, is set aside at once', async () => {
    const { time, link, queue, rowOf, counted } = edgeReturns();
    const back = queue(`s-${randomUUID()}`);
    link.start();
    await runUntil(time, link, time.now() + MINUTE_MS);
    expect(rowOf(back)).toMatchObject({ state: 'dead', attempts: 1 });
    expect(rowOf(back)?.lastError).toContain(
      "is not in this edge's outbox and the cloud has no receipt for it",
    );
    expect(await counted('walkout_edge_returns_dead_total')).toContain(
      'walkout_edge_returns_dead_total{cause="visit_missing"} 1',
    );
    await link.stop();
  });

  it('a return still "not yet" after 24 h is set aside; a retry waits afresh and is refunded once the visit is there', async () => {
    const { time, visits, returns, link, queue, rowOf, counted } = edgeReturns();
    // its visit stays pending on the edge (the visits' link is not running here): the cloud never has it
    const late = visitOf(shopper.accountId, [{ sku: 'SKU-0001', quantity: 1 }]);
    visits.enqueue(`visit:${late.visitId}`, 'visit', late, time.now());
    const back = queue(late.visitId);
    const start = time.now();
    link.start();
    await runUntil(time, link, start + 23 * HOUR_MS);
    expect(rowOf(back)?.state).toBe('pending');
    await runUntil(time, link, start + 25 * HOUR_MS);
    const dead = rowOf(back);
    expect(dead?.state).toBe('dead');
    expect(dead?.deadAt).toBeGreaterThanOrEqual(start + 24 * HOUR_MS);
    expect(dead?.deadAt).toBeLessThanOrEqual(start + 24 * HOUR_MS + 6 * MINUTE_MS);
    expect(dead?.lastError).toContain('the cloud has answered "not yet" for 24');
    // its own backoff (1 s doubling to 5 min, equal jitter: 2.5–5 min apart): a few hundred requests a day
    expect(dead?.attempts).toBeGreaterThanOrEqual((24 * HOUR_MS) / (5 * MINUTE_MS));
    expect(dead?.attempts).toBeLessThanOrEqual((24 * HOUR_MS) / (2.5 * MINUTE_MS) + 10);
    expect(await counted('walkout_edge_returns_dead_total')).toContain(
      'walkout_edge_returns_dead_total{cause="waited_too_long"} 1',
    );
    // an operator's retry starts the wait again: still "not yet", it waits instead of dying at once
    returns.requeue({ ids: [dead?.id ?? 0] }, time.now());
    link.kick();
    await runUntil(time, link, time.now() + MINUTE_MS);
    expect(rowOf(back)?.state).toBe('pending');
    expect((await uploadVisit(test, late)).json()).toMatchObject({ status: 'paid' });
    await runUntil(time, link, time.now() + 10 * MINUTE_MS);
    expect(rowOf(back)?.state).toBe('delivered');
    await link.stop();
  });
});
