// A dispute staff granted in the cloud becomes training data on the edge (#17): staff assigned a doubtful pick
// on the floor view (kept with its camera frames), the shopper was billed and disputed the line, staff in the
// cloud approved it; the edge's pull over its store link (the cloud on PGlite, listening on loopback) finds the
// event, keeps a `not-this-shopper` sample with the frames, remembers its cursor across a restart, and
// `npm run dataset:export` writes the sample beside the floor decision, marked `source: dispute`. The same for
// a pick the edge billed by itself (no exception): its pick clip gives the sample its frames.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EdgeDatabase, openEdgeDatabase } from '../../../edge/db/edge-database.ts';
import type { DatasetManifest } from '../../../edge/floor/decision-dataset.ts';
import { answerOf } from '../../../edge/floor/decision-samples.ts';
import { FloorRecorder } from '../../../edge/floor/floor-recorder.ts';
import { camerasForLanes } from '../../../edge/floor/lane-cameras.ts';
import { ExceptionQueue } from '../../../edge/fusion/exception-queue.ts';
import { DisputePull } from '../../../edge/outbox/dispute-pull.ts';
import { ManualClock } from '../../../shared/clock.ts';
import type { ShelfEvent } from '../../../shared/schemas/shelf-event.ts';
import { indexStore, loadStoreConfig } from '../../../shared/store-config.ts';
import { waitFor } from '../../support/services.ts';
import { trackMessage } from '../../support/track-message.ts';
import {
  asShopper,
  BACKENDS,
  newShopper,
  OTHER_STORE_ID,
  SAMPLE_STORE_ID,
  STAFF_LOGIN,
  startTestCloud,
  type TestCloud,
  uploadVisit,
  visitOf,
} from '../cloud/cloud-harness.ts';

const run = promisify(execFile);
const store = indexStore(loadStoreConfig('stores/sample-store.json'));
const PGLITE = BACKENDS[0];
const T0 = 1_700_000_100_000;
const SESSION = `visit-${Date.now()}`;
/** Two sandwiches (7.39 each) from S06-L03: 14.78, above the auto-refund limit, so staff decide the dispute. */
const PICK: ShelfEvent = {
  v: 1,
  eventId: 'S06-LC03-1700000100000',
  kind: 'pick',
  shelf: 'S06',
  lane: 'S06-L03',
  lanes: ['S06-L03'],
  loadCell: 'S06-LC03',
  startTs: T0,
  endTs: T0 + 600,
  peakTs: T0 + 300,
  deltaGrams: -500,
  deltaSdGrams: 2,
  hypotheses: [{ sku: 'SKU-0007', count: 2, likelihood: 0.9 }],
  ambiguous: false,
  sessionId: null,
  attribution: 'unattributed',
};

const T1 = T0 + 100_000;
const AUTO_SESSION = `visit-auto-${Date.now()}`;
const AUTO_SKU = 'SKU-0082';
/** Four bags of chips (3.09 each) from S03-L01, a lane two cameras see, billed by the cameras alone. */
const AUTO_PICK: ShelfEvent = {
  ...PICK,
  eventId: 'S03-LC01-1700000200000',
  shelf: 'S03',
  lane: 'S03-L01',
  lanes: ['S03-L01'],
  loadCell: 'S03-LC01',
  startTs: T1,
  endTs: T1 + 600,
  peakTs: T1 + 300,
  deltaGrams: -522,
  hypotheses: [{ sku: AUTO_SKU, count: 4, likelihood: 0.9 }],
  sessionId: AUTO_SESSION,
  attribution: 'vision',
  confidence: 0.9,
};

describe('granted disputes become training data on the edge', () => {
  let cloud: TestCloud;
  let cloudUrl: string;
  let db: EdgeDatabase;
  let dbPath: string;
  const clock = new ManualClock(T0 + 1000);
  let exceptions: ExceptionQueue;
  let recorder: FloorRecorder;
  const logger = pino({ level: 'silent' });

  beforeAll(async () => {
    if (PGLITE === undefined) throw new Error('no PGlite backend');
    cloud = await startTestCloud(PGLITE);
    cloudUrl = await cloud.cloud.app.listen({ port: 0, host: '127.0.0.1' });
    dbPath = join(mkdtempSync(join(tmpdir(), 'walkout-disputes-')), 'edge.sqlite');
    db = openEdgeDatabase(dbPath);
    exceptions = new ExceptionQueue(db);
    recorder = new FloorRecorder({ store, db, clock, onFrames: () => {} });
  }, 120_000); // PGlite's start takes 40 s on a loaded 2-core machine

  afterAll(async () => {
    db?.close();
    await cloud?.stop();
  });

  const pullFor = (credential: string) =>
    new DisputePull({
      cloudUrl,
      storeId: SAMPLE_STORE_ID,
      credential,
      db,
      exceptions,
      samples: recorder.samples,
      pickClips: recorder.pickClips,
      clock,
      logger,
    });

  /**
   * The cloud bills the visit with this pick (as the edge attributed it) and the shopper disputes the line;
   * above the auto-refund limit, so the dispute waits for staff.
   */
  const billAndDispute = async (visitId: string, pick: ShelfEvent, attribution: 'staff' | 'vision') => {
    const { sku, count } = pick.hypotheses[0] ?? { sku: '', count: 0 };
    const shopper = await newShopper(cloud.cloud, 'tok_visa');
    const visit = {
      ...visitOf(shopper.accountId, [{ sku, quantity: count }], visitId),
      events: [
        {
          eventId: pick.eventId,
          ...{ kind: 'pick' as const, sku, count, lane: pick.lane, ts: pick.peakTs },
          attribution,
          ...(pick.confidence === undefined ? {} : { confidence: pick.confidence }),
        },
      ],
    };
    const upload = await uploadVisit(cloud, visit);
    expect(upload.json()).toMatchObject({ status: 'paid' });
    const { receiptId } = upload.json<{ receiptId: string }>();
    const url = `/v1/me/receipts/${receiptId}/lines/1/disputes`;
    const opened = await asShopper(cloud.cloud, shopper, 'POST', url, { reason: 'Not me' });
    expect(opened.json()).toMatchObject({ status: 'pending_review' });
    return { shopper, disputeId: opened.json<{ disputeId: string }>().disputeId };
  };

  /** Staff in the cloud approve the dispute: the line is refunded. */
  const grant = async (disputeId: string) => {
    const staff = (
      await cloud.cloud.app.inject({
        method: 'POST',
        url: '/v1/auth/sessions',
        payload: { email: STAFF_LOGIN.email, password: STAFF_LOGIN.password },
      })
    ).json<{ token: string }>();
    const url = `/v1/staff/disputes/${disputeId}/decision`;
    const approved = await asShopper(cloud.cloud, staff, 'POST', url, { decision: 'approve' });
    expect(approved.json()).toMatchObject({ status: 'refunded' });
  };

  /** `npm run dataset:export` of everything the edge database holds; its manifest. */
  const exportDataset = async (): Promise<DatasetManifest> => {
    const out = join(mkdtempSync(join(tmpdir(), 'walkout-dataset-')), 'ds');
    const since = new Date(0).toISOString();
    const args = ['tsx', 'scripts/dataset-export.ts', '--since', since, '--out', out, '--db', dbPath];
    await run('npx', args, { timeout: 60_000 });
    return JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as DatasetManifest;
  };

  it('keeps a granted dispute of a staff-assigned pick with its frames, once, and exports it', async () => {
    // the edge: staff assign the unattributed pick to the shopper on the floor view, with the frames around it
    const exception = exceptions.consider(PICK, [SESSION], clock.now());
    if (exception === undefined) throw new Error('the pick should need staff');
    recorder.exceptionOpened(exception);
    const cameras = camerasForLanes(store, PICK.lanes);
    expect(cameras.length).toBeGreaterThan(0);
    const jpeg = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 90, g: 90, b: 90 } },
    })
      .jpeg()
      .toBuffer();
    for (let ts = T0 - 1000; ts <= T0 + 4000; ts += 250)
      for (const camera of cameras) recorder.frameArrived(camera, ts, jpeg);
    const frameCount = await waitFor('the exception frames stored', () => {
      const { n } = db
        .prepare('SELECT count(*) AS n FROM exception_frames WHERE exception_id = ?')
        .get(exception.exceptionId) as { n: number };
      return n > 0 ? n : undefined;
    });
    const choice = { sessionId: SESSION, sku: 'SKU-0007', count: 2 };
    exceptions.assign(exception.exceptionId, choice, 'sam', clock.now(), () => true);
    recorder.decided(exception, answerOf(exception, choice));

    // the cloud: the visit billed with that event, disputed by the shopper
    const { shopper, disputeId } = await billAndDispute(SESSION, PICK, 'staff');

    // nothing granted yet: the pull keeps nothing and sets no cursor
    const credential = cloud.credentials[SAMPLE_STORE_ID] as string;
    const pull = pullFor(credential);
    await pull.pullOnce();
    expect(pull.stats).toEqual({ disputes: 0, samples: 0, autoBilled: 0, withoutFrames: 0 });
    expect(pull.cursor()).toBeUndefined();

    await grant(disputeId);

    // only the store's own edge reads them
    const foreign = await fetch(`${cloudUrl}/v1/stores/${SAMPLE_STORE_ID}/disputes/decided`, {
      headers: { authorization: `Bearer ${cloud.credentials[OTHER_STORE_ID]}` },
    });
    expect(foreign.status).toBe(403);

    clock.advance(60_000);
    await pull.pullOnce();
    expect(pull.stats).toEqual({ disputes: 1, samples: 1, autoBilled: 0, withoutFrames: 0 });
    expect(pull.cursor()).toMatch(new RegExp(`^\\d+\\.${disputeId}$`));
    const samples = [...recorder.samples.since(0)];
    expect(samples.map((s) => s.answer)).toEqual([
      {
        outcome: 'assigned',
        source: 'floor',
        kind: 'pick',
        lanes: ['S06-L03'],
        reason: 'unattributed',
        ...choice,
      },
      {
        outcome: 'not-this-shopper',
        source: 'dispute',
        kind: 'pick',
        lanes: ['S06-L03'],
        reason: 'dispute-granted',
        ...choice,
        billedBy: 'staff',
      },
    ]);
    expect(samples[1]?.frames.length).toBe(frameCount);

    // a restarted edge goes on after its cursor: the dispute is not kept twice
    const restarted = pullFor(credential);
    await restarted.pullOnce();
    expect(restarted.stats.disputes).toBe(0);
    expect([...recorder.samples.since(0)]).toHaveLength(2);

    const manifest = await exportDataset();
    expect(manifest.counts).toMatchObject({ samples: 2, assigned: 1, 'not-this-shopper': 1 });
    expect(manifest.samples.map((s) => [s.decision.source, s.decision.outcome, s.images.length])).toEqual([
      ['floor', 'assigned', frameCount],
      ['dispute', 'not-this-shopper', frameCount],
    ]);
    // no shopper, session, dispute, exception or event id in what was written
    for (const id of [SESSION, shopper.accountId, disputeId, exception.exceptionId, PICK.eventId])
      expect(JSON.stringify(manifest)).not.toContain(id);
  }, 90_000);

  it('keeps a granted dispute of a pick the edge billed by itself, from its clip, and exports it', async () => {
    // the edge: the pick is billed to the one shopper the cameras saw at the lane, with no exception; the
    // frames around it (the lane's two cameras) are kept as its clip, the shopper tracked in front of the shelf
    const lane = store.laneById.get(AUTO_PICK.lane)?.lane;
    if (lane === undefined) throw new Error('no such lane');
    // the clip keeps the two cameras nearest the lane (of the store's cameras that see it)
    const cameras = camerasForLanes(store, AUTO_PICK.lanes);
    expect(cameras.length).toBeGreaterThanOrEqual(2);
    const jpeg = await sharp({
      create: { width: 640, height: 480, channels: 3, background: { r: 120, g: 110, b: 100 } },
    })
      .jpeg()
      .toBuffer();
    const film = (from: number, to: number) => {
      for (let ts = from; ts <= to; ts += 250) {
        recorder.tracksUpdated({
          v: 1,
          ts,
          droppedFrames: 0,
          tracks: [
            trackMessage('track-auto', AUTO_SESSION, lane.position.x, lane.position.y + 0.5, {
              confidence: 0.9,
              lastSeenTs: ts,
            }),
          ],
        });
        for (const camera of cameras) recorder.frameArrived(camera, ts, jpeg);
      }
    };
    film(T1 - 5000, T1);
    recorder.attributedAlone(AUTO_PICK);
    film(T1 + 250, T1 + 4000);
    const clip = recorder.pickClips.heldFor(AUTO_PICK.eventId, AUTO_SESSION);
    if (clip === undefined) throw new Error('the pick should have its clip');
    const clipFrames = recorder.frames.list(clip.framesOf).length;
    // 1 s before to 1 s after the pick (0.6 s) at 2 frames a second, from each camera
    expect(clipFrames).toBe(2 * 6);

    // the cloud: billed, disputed, approved by staff
    const { shopper, disputeId } = await billAndDispute(AUTO_SESSION, AUTO_PICK, 'vision');
    await grant(disputeId);

    clock.advance(60_000);
    const pull = pullFor(cloud.credentials[SAMPLE_STORE_ID] as string);
    await pull.pullOnce();
    expect(pull.stats).toEqual({ disputes: 1, samples: 1, autoBilled: 1, withoutFrames: 0 });
    const sample = [...recorder.samples.since(0)].at(-1);
    expect(sample?.answer).toEqual({
      outcome: 'not-this-shopper',
      source: 'dispute',
      kind: 'pick',
      lanes: AUTO_PICK.lanes,
      reason: 'dispute-granted',
      sessionId: AUTO_SESSION,
      sku: AUTO_SKU,
      count: 4,
      billedBy: 'edge',
    });
    expect(sample?.frames).toHaveLength(clipFrames);
    // the shopper billed is boxed and marked in the frames of the camera that sees them
    expect(sample?.frames.some((f) => f.people.some((p) => p.actor))).toBe(true);

    const manifest = await exportDataset();
    expect(manifest.counts).toMatchObject({ samples: 3, 'not-this-shopper': 2 });
    const exported = manifest.samples.at(-1);
    expect(exported?.decision).toEqual({
      outcome: 'not-this-shopper',
      source: 'dispute',
      kind: 'pick',
      lanes: AUTO_PICK.lanes,
      reason: 'dispute-granted',
      sku: AUTO_SKU,
      count: 4,
      billedBy: 'edge',
    });
    expect(exported?.images).toHaveLength(clipFrames);
    expect(exported?.images.some((i) => i.actorBox !== null)).toBe(true);
    for (const image of exported?.images ?? []) expect(manifest.files[image.file]).toMatch(/^[0-9a-f]{64}$/);
    for (const id of [
      AUTO_SESSION,
      shopper.accountId,
      disputeId,
      AUTO_PICK.eventId,
      'track-auto',
      clip.framesOf,
    ])
      expect(JSON.stringify(manifest)).not.toContain(id);
  }, 90_000);

  it('backs off while the cloud is unreachable, keeping its cursor', async () => {
    const pull = new DisputePull({
      cloudUrl: 'http://127.0.0.1:9', // nothing listens
      storeId: SAMPLE_STORE_ID,
      credential: 'x',
      db,
      exceptions,
      samples: recorder.samples,
      pickClips: recorder.pickClips,
      clock,
      logger,
      settings: { everyMs: 1000, maxBackoffMs: 3000 },
    });
    const before = pull.cursor();
    expect(pull.nextWaitMs()).toBe(1000);
    await pull.pullOnce();
    expect(pull.nextWaitMs()).toBe(2000);
    await pull.pullOnce();
    expect(pull.nextWaitMs()).toBe(3000);
    expect(pull.cursor()).toBe(before);
    expect(pull.stats.disputes).toBe(0);
  });
});
