// The edge's cloud link against a real cloud (PostgreSQL when WALKOUT_TEST_DATABASE_URL is set, else PGlite)
// through a real TCP link the test cuts: an hour without the cloud, driven on a virtual clock, costs a
// bounded number of jittered attempts and loses nothing; the backlog drains in order when it returns; an
// answer lost on the way back is delivered again and charged once; a rotated credential holds visits and
// raises the alert, and the edge restarted with the right credential delivers them.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../../cloud/http/bearer-token.ts';
import { type EdgeDatabase, openEdgeDatabase } from '../../../edge/db/edge-database.ts';
import { AlertBook } from '../../../edge/floor/alert-book.ts';
import { cloudLinkHeldAlert, cloudLinkRestoredAlert } from '../../../edge/outbox/cloud-link-alert.ts';
import { CloudSync } from '../../../edge/outbox/cloud-sync.ts';
import { Outbox, type OutboxItem } from '../../../edge/outbox/outbox.ts';
import { type SwitchableLink, startSwitchableLink } from '../../../evaluation/harness/switchable-link.ts';
import { Random } from '../../../shared/random.ts';
import type { Alert } from '../../../shared/schemas/alert.ts';
import type { VisitUpload } from '../../../shared/schemas/visit.ts';
import { SteppedTime } from '../../../shared/timers.ts';
import {
  admit,
  newShopper,
  PRIMARY_BACKEND,
  providerCharges,
  SAMPLE_STORE_ID,
  type Shopper,
  startTestCloud,
  type TestCloud,
  visitOf,
} from '../cloud/cloud-harness.ts';

const HOUR_MS = 3_600_000;
const logger = pino({ level: 'silent' });

/** Runs the virtual clock to `until`, firing the sync loop's timers and waiting for each delivery it starts. */
async function runUntil(time: SteppedTime, sync: CloudSync, until: number): Promise<void> {
  for (;;) {
    await sync.idle();
    const next = time.nextTimerTs();
    if (next === undefined || next > until) break;
    time.advanceTo(next);
  }
  time.advanceTo(until);
  await sync.idle();
}

const backend = PRIMARY_BACKEND;
describe(`the edge's cloud link on ${backend.name}`, () => {
  let test: TestCloud;
  let cloudUrl: string;
  let link: SwitchableLink;
  let dir: string;
  const shoppers: Shopper[] = [];

  beforeAll(async () => {
    test = await startTestCloud(backend);
    cloudUrl = await test.cloud.start(0);
    link = await startSwitchableLink(cloudUrl);
    dir = mkdtempSync(join(tmpdir(), 'walkout-link-'));
    for (let i = 0; i < 3; i++) shoppers.push(await newShopper(test.cloud, 'tok_visa'));
  });
  afterAll(async () => {
    await link?.close();
    await test?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  /** An edge's outbox and cloud link on a file database and a virtual clock. */
  function edgeLink(db: EdgeDatabase, time: SteppedTime, credential: string, alerts = new AlertBook()) {
    const outbox = new Outbox(db);
    const delivered: string[] = [];
    const published: Alert[] = [];
    const random = new Random(15);
    const sync = new CloudSync({
      cloudUrl: link.url,
      storeId: SAMPLE_STORE_ID,
      credential,
      outbox,
      clock: time,
      timers: time,
      random: () => random.next(),
      logger,
      requestTimeoutMs: 5_000,
      onDelivered: (item: OutboxItem) => delivered.push(item.key),
      onHeld: (_item, error) => {
        const alert = cloudLinkHeldAlert(alerts, error, time.now());
        if (alert) published.push(alert);
      },
      onLinkRestored: (released) => {
        const alert = cloudLinkRestoredAlert(alerts, released, time.now());
        if (alert) published.push(alert);
      },
    });
    return { outbox, sync, delivered, published, alerts };
  }

  async function visitFor(shopper: Shopper, sku: string): Promise<VisitUpload> {
    const visit = visitOf(shopper.accountId, [{ sku, quantity: 1 }]);
    await admit(test.cloud, visit);
    return visit;
  }

  it('an hour without the cloud: bounded jittered attempts, nothing lost, the backlog drains in order, one charge each', async () => {
    const db = openEdgeDatabase(join(dir, 'outage.sqlite'));
    const time = new SteppedTime(Date.parse('2026-12-01T09:00:00Z'));
    const { outbox, sync, delivered } = edgeLink(db, time, test.credentials[SAMPLE_STORE_ID] as string);
    const attemptTimes: number[] = [];
    link.onConnection = (mode) => {
      if (mode === 'refused') attemptTimes.push(time.now());
    };
    link.set('refused');
    sync.start();
    const start = time.now();
    // a visit ends every 5 minutes of the hour; the store goes on deciding them while the cloud is away
    const visits: VisitUpload[] = [];
    for (let i = 0; i < 12; i++) {
      await runUntil(time, sync, start + i * 300_000);
      const visit = await visitFor(
        shoppers[i % shoppers.length] as Shopper,
        i % 2 === 0 ? 'SKU-0001' : 'SKU-0007',
      );
      visits.push(visit);
      outbox.enqueue(`visit:${visit.visitId}`, 'visit', visit, time.now());
      sync.kick();
    }
    await runUntil(time, sync, start + HOUR_MS);
    expect(delivered).toEqual([]);
    expect(outbox.counts()).toEqual({ pending: 12, held: 0, delivered: 0, failed: 0 });
    // backoff capped at 60 s: about one attempt a minute, not a storm, and the link still probed to the end
    expect(attemptTimes.length).toBeGreaterThan(50);
    expect(attemptTimes.length).toBeLessThan(100);
    const gaps = attemptTimes.slice(1).map((t, i) => t - (attemptTimes[i] as number));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(60_000);
    expect(new Set(gaps.filter((g) => g > 20_000)).size).toBeGreaterThan(10); // jittered, not lock-step
    expect(attemptTimes.at(-1)).toBeGreaterThan(start + HOUR_MS - 61_000);

    link.set('up');
    await runUntil(time, sync, start + HOUR_MS + 61_000);
    expect(delivered).toEqual(visits.map((v) => `visit:${v.visitId}`));
    expect(outbox.counts()).toEqual({ pending: 0, held: 0, delivered: 12, failed: 0 });
    for (const visit of visits) expect((await providerCharges(test.cloud, visit.visitId)).length).toBe(1);
    const received = await test.cloud.db.query<{ visit_id: string; received_at: string | number }>(
      'SELECT visit_id, received_at FROM visits WHERE visit_id = ANY($1::text[])',
      [visits.map((v) => v.visitId)],
    );
    const receivedAt = new Map(received.map((r) => [r.visit_id, Number(r.received_at)]));
    const inVisitOrder = visits.map((v) => receivedAt.get(v.visitId) ?? Number.NaN);
    expect(inVisitOrder).toEqual([...inVisitOrder].sort((a, b) => a - b));
    await sync.stop();
    db.close();
  });

  it('an answer lost on the way back: delivered again, one receipt and one charge', async () => {
    const db = openEdgeDatabase(join(dir, 'lost-answer.sqlite'));
    const time = new SteppedTime(Date.parse('2026-12-01T11:00:00Z'));
    const { outbox, sync, delivered } = edgeLink(db, time, test.credentials[SAMPLE_STORE_ID] as string);
    link.set('lose-answers');
    const visit = await visitFor(shoppers[0] as Shopper, 'SKU-0007');
    outbox.enqueue(`visit:${visit.visitId}`, 'visit', visit, time.now());
    sync.start();
    await runUntil(time, sync, time.now() + 5_000);
    expect(delivered).toEqual([]);
    expect(link.attempts['lose-answers']).toBeGreaterThan(0);
    link.set('up');
    await runUntil(time, sync, time.now() + 61_000);
    expect(delivered).toEqual([`visit:${visit.visitId}`]);
    const receipts = await test.cloud.db.query('SELECT receipt_id FROM receipts WHERE visit_id = $1', [
      visit.visitId,
    ]);
    expect(receipts.length).toBe(1);
    expect((await providerCharges(test.cloud, visit.visitId)).length).toBe(1);
    await sync.stop();
    db.close();
  });

  /** The cloud now accepts only `credential` for the sample store (a rotation done on the cloud's side). */
  const rotateCloudCredential = (credential: string) =>
    test.cloud.db.query('UPDATE stores SET credential_hash = $1 WHERE store_id = $2', [
      hashSecret(credential),
      SAMPLE_STORE_ID,
    ]);

  it('a rotated credential holds visits and raises the alert; the edge restarted with the new one delivers them', async () => {
    const path = join(dir, 'rotated.sqlite');
    const time = new SteppedTime(Date.parse('2026-12-01T12:00:00Z'));
    link.set('up');
    const rotated = `cred-rotated-${randomUUID()}`;
    await rotateCloudCredential(rotated);
    const db = openEdgeDatabase(path);
    // the edge still has the credential the cloud had before (never accepted by this run's cloud, so the
    // cloud's one-minute credential cache cannot vouch for it)
    const stale = edgeLink(db, time, `cred-before-rotation-${randomUUID()}`);
    const visits = [
      await visitFor(shoppers[1] as Shopper, 'SKU-0001'),
      await visitFor(shoppers[2] as Shopper, 'SKU-0007'),
    ];
    stale.sync.start();
    for (const visit of visits) {
      stale.outbox.enqueue(`visit:${visit.visitId}`, 'visit', visit, time.now());
      stale.sync.kick();
      await stale.sync.idle();
    }
    // the probe (every 5 min) meets the same refusal: still held, never dead, never dropped
    await runUntil(time, stale.sync, time.now() + 11 * 60_000);
    expect(stale.outbox.counts()).toEqual({ pending: 0, held: 2, delivered: 0, failed: 0 });
    expect(stale.outbox.list(['held'], 10).map((r) => r.lastError)).toEqual([
      expect.stringContaining('401 unauthorized'),
      expect.stringContaining('401 unauthorized'),
    ]);
    expect(stale.published).toEqual([
      expect.objectContaining({ kind: 'cloud-link', state: 'raised', severity: 'critical' }),
    ]);
    expect(stale.alerts.list().map((a) => a.alertId)).toEqual(['cloud-link:credential']);
    for (const visit of visits) expect((await providerCharges(test.cloud, visit.visitId)).length).toBe(0);
    await stale.sync.stop();
    db.close();

    // the operator sets the new credential and restarts the edge: held visits go at start
    const reopened = openEdgeDatabase(path);
    const fixed = edgeLink(reopened, time, rotated);
    fixed.sync.start();
    await runUntil(time, fixed.sync, time.now() + 1_000);
    expect(fixed.delivered).toEqual(visits.map((v) => `visit:${v.visitId}`));
    expect(fixed.outbox.counts()).toEqual({ pending: 0, held: 0, delivered: 2, failed: 0 });
    expect(fixed.published).toEqual([]);
    for (const visit of visits) expect((await providerCharges(test.cloud, visit.visitId)).length).toBe(1);
    await fixed.sync.stop();
    reopened.close();
  });

  it('held visits go, and the alert clears, when the credential is fixed on the cloud side (the periodic probe)', async () => {
    const time = new SteppedTime(Date.parse('2026-12-01T13:00:00Z'));
    link.set('up');
    const db = openEdgeDatabase(join(dir, 'probe.sqlite'));
    const edgeCredential = `cred-not-yet-${randomUUID()}`;
    const edge = edgeLink(db, time, edgeCredential);
    const visit = await visitFor(shoppers[0] as Shopper, 'SKU-0001');
    edge.outbox.enqueue(`visit:${visit.visitId}`, 'visit', visit, time.now());
    edge.sync.start();
    await runUntil(time, edge.sync, time.now() + 1_000);
    expect(edge.outbox.counts().held).toBe(1);
    await rotateCloudCredential(edgeCredential);
    await runUntil(time, edge.sync, time.now() + 5 * 60_000 + 1_000);
    expect(edge.delivered).toEqual([`visit:${visit.visitId}`]);
    expect(edge.published.map((a) => `${a.kind} ${a.state}`)).toEqual([
      'cloud-link raised',
      'cloud-link cleared',
    ]);
    expect(edge.alerts.list()).toEqual([]);
    expect((await providerCharges(test.cloud, visit.visitId)).length).toBe(1);
    await edge.sync.stop();
    db.close();
    await rotateCloudCredential(test.credentials[SAMPLE_STORE_ID] as string);
  });
});
