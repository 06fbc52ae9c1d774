// The edge's floor API over a real FloorService (in-memory database, sample store): answers carry every field
// the service returns (response schemas strip nothing the page reads), roles are enforced by the declared
// role alone, bad input is a 400 with a code, and domain refusals map to their statuses.
import type { FastifyInstance } from 'fastify';
import Fastify from 'fastify';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../../../../edge/checkout/session-store.ts';
import { openEdgeDatabase } from '../../../../edge/db/edge-database.ts';
import { DEMO_FLOOR_STAFF } from '../../../../edge/edge-config.ts';
import { buildEdgeHttp } from '../../../../edge/edge-http.ts';
import { createEdgeMetrics } from '../../../../edge/edge-metrics.ts';
import { AlertBook } from '../../../../edge/floor/alert-book.ts';
import { CameraCalibrations } from '../../../../edge/floor/camera-calibrations.ts';
import { FloorHub } from '../../../../edge/floor/floor-hub.ts';
import { FloorRecorder } from '../../../../edge/floor/floor-recorder.ts';
import { FloorService } from '../../../../edge/floor/floor-service.ts';
import { SIGN_IN_ATTEMPTS_PER_MINUTE } from '../../../../edge/floor/floor-session-routes.ts';
import { camerasForLanes } from '../../../../edge/floor/lane-cameras.ts';
import { parseStaffList, StaffAuth } from '../../../../edge/floor/staff-auth.ts';
import { installStaffRoles } from '../../../../edge/floor/staff-role-hook.ts';
import { UnresolvedExitAlerts } from '../../../../edge/floor/unresolved-exit-alerts.ts';
import { DecisionBook } from '../../../../edge/fusion/decision-book.ts';
import { ExceptionQueue, type StaffException } from '../../../../edge/fusion/exception-queue.ts';
import { ShelfMonitor } from '../../../../edge/shelves/shelf-monitor.ts';
import { ManualClock } from '../../../../shared/clock.ts';
import type { ShelfEvent } from '../../../../shared/schemas/shelf-event.ts';
import { PAGE_CSP } from '../../../../shared/security-headers.ts';
import { indexStore, loadStoreConfig } from '../../../../shared/store-config.ts';

const store = indexStore(loadStoreConfig('stores/sample-store.json'));
const T0 = 1_700_000_000_000;
const LANE = 'S01-L03';

function shelfEvent(eventId: string, sessionId: string | null, startTs: number): ShelfEvent {
  const sku = store.laneById.get(LANE)?.lane.sku ?? 'unknown';
  return {
    v: 1,
    eventId,
    kind: 'pick',
    shelf: 'S01',
    lane: LANE,
    lanes: [LANE],
    loadCell: store.laneById.get(LANE)?.lane.loadCell ?? 'LC',
    startTs,
    endTs: startTs + 900,
    peakTs: startTs + 400,
    deltaGrams: -412.5,
    deltaSdGrams: 3.25,
    hypotheses: sessionId === null ? [] : [{ sku, count: 1, likelihood: 0.97 }],
    ambiguous: false,
    sessionId,
    attribution: sessionId === null ? 'unattributed' : 'vision',
    confidence: sessionId === null ? 0 : 0.93,
    evidence: {
      vision: true,
      laneSeen: true,
      units: 1,
      candidates: [
        { sessionId: 'alice', handM: 0.12, bodyM: 0.6, identity: 0.95, tracks: ['T1'] },
        { sessionId: null, handM: null, bodyM: 3.5, identity: 1 },
      ],
      rule: sessionId === null ? 'close-call' : 'reach',
    },
  };
}

describe('floor API over a real FloorService', () => {
  const clock = new ManualClock(T0);
  const db = openEdgeDatabase(':memory:');
  const sessions = new SessionStore(db);
  const exceptions = new ExceptionQueue(db);
  const alerts = new AlertBook();
  const hub = new FloorHub(() => clock.now());
  const recorder = new FloorRecorder({ store, db, clock, onFrames: () => {} });
  const shelves = new ShelfMonitor(store, { event() {}, reject() {}, stock() {}, health() {} });
  /** Shelf events the staff decisions published (to MQTT in the store) */
  const published: ShelfEvent[] = [];
  const decisions = new DecisionBook({
    sessions,
    exceptions,
    outputs: {
      publish: (kind, payload) => void (kind === 'shelf-event' && published.push(payload as ShelfEvent)),
    },
    hub,
    recorder,
    exitAlerts: new UnresolvedExitAlerts({
      alerts,
      openFor: (id) => exceptions.openFor(id),
      publish: () => {},
      now: () => clock.now(),
      holdMs: 120_000,
    }),
    metrics: createEdgeMetrics(),
    clock,
    logger: pino({ level: 'silent' }),
  });
  const floor = new FloorService({
    store,
    sessions,
    shelves,
    exceptions,
    alerts,
    hub,
    clock,
    recorder,
    calibrations: new CameraCalibrations({ db, store: store.config, clock, audit: () => {} }),
    decisions,
  });
  let app: FastifyInstance;
  let exception: StaffException;
  const tokens = { supervisor: '', viewer: '' };
  const as = (role: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[role]}` });

  beforeAll(async () => {
    for (const [sessionId, enteredAt] of [
      ['alice', T0 - 60_000],
      ['bob', T0 - 50_000],
      ['carl', T0 - 90_000],
    ] as const)
      sessions.open({
        sessionId,
        accountId: `acct-${sessionId}`,
        party: 1,
        entryTokenId: undefined,
        entryGate: 'G-IN',
        enteredAt,
      });
    sessions.recordEvent(shelfEvent('e-alice', 'alice', T0 - 40_000));
    sessions.markClosing('carl', 'G-OUT', T0 - 20_000);
    sessions.markClosed('carl', T0 - 19_000);
    for (let ts = T0 - 30_000; ts < T0 - 25_000; ts += 250)
      recorder.tracksUpdated({
        v: 1,
        ts,
        droppedFrames: 0,
        tracks: [
          {
            ...{ id: 'T9', sessionId: 'carl', state: 'confirmed', x: 1.5, y: 2 + (ts - T0) / 1e4 },
            ...{ vx: 0, vy: 0.1, hands: [], confidence: 0.9, lastSeenTs: ts },
          },
        ],
      });
    const doubtful = shelfEvent('e-doubt', null, T0 - 10_000);
    for (const camera of camerasForLanes(store, [LANE]))
      for (let ts = T0 - 13_000; ts <= T0 - 6_000; ts += 500)
        recorder.frameArrived(camera, ts, Buffer.from([ts % 251]));
    exception = exceptions.consider(doubtful, ['alice', 'bob'], T0 - 9_000) as StaffException;
    recorder.exceptionOpened(exception);
    hub.publish('exception', exception);
    hub.publish('shelf-event', doubtful);
    hub.publish('tracks', { v: 1, ts: T0, tracks: [], droppedFrames: 0 });
    const raise = (alertId: string, kind: 'low-stock' | 'device-offline') =>
      alerts.raise({
        alertId,
        kind,
        severity: 'warning',
        message: `${kind} now`,
        shelf: 'S01',
        lane: LANE,
        ts: T0,
      });
    raise(`low-stock:${LANE}`, 'low-stock');
    raise('device-offline:CAM-01', 'device-offline');
    alerts.acknowledge(`low-stock:${LANE}`, 'manager', T0 - 1);
    const auth = new StaffAuth(parseStaffList(DEMO_FLOOR_STAFF), clock);
    const state = () => ({
      storeId: 'S',
      inStore: [],
      outbox: { pending: 0, held: 0, delivered: 0, failed: 0 },
    });
    app = await buildEdgeHttp({ registry: new Registry(), state, auth, hub, floor });
    tokens.supervisor = (await auth.signIn('manager', 'walkout-demo')).token;
    tokens.viewer = (await auth.signIn('staff', 'walkout-view')).token;
  });

  afterAll(async () => {
    await app?.close();
    recorder.stop();
    db.close();
  });

  const roundTrip = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

  it('serves the snapshot, a replay, frames and a frame with every field the service gives', async () => {
    const state = await app.inject({ url: '/floor/api/state', headers: as('viewer') });
    expect(state.statusCode).toBe(200);
    const snapshot = floor.snapshot();
    expect(state.json()).toEqual(roundTrip(snapshot));
    // the fixture really exercises the nested parts
    expect(snapshot.exceptions[0]?.event.evidence?.candidates).toHaveLength(2);
    expect(snapshot.alerts.find((a) => a.acknowledged !== undefined)).toBeDefined();
    expect(Object.keys(snapshot.exceptionFrames)).toEqual([exception.exceptionId]);
    expect(snapshot.sessions.map((s) => s.sessionId).sort()).toEqual(['alice', 'bob']);
    expect(snapshot.visits.map((v) => v.sessionId)).toEqual(['carl']);
    expect(snapshot.recent.map((m) => m.type)).toEqual(['exception', 'shelf-event']);

    const replay = await app.inject({ url: '/floor/api/visits/carl', headers: as('viewer') });
    expect(replay.json()).toEqual(roundTrip(floor.visit('carl')));
    expect(replay.json<{ tracks: unknown[] }>().tracks).toHaveLength(20);

    const frames = await app.inject({
      url: `/floor/api/exceptions/${exception.exceptionId}/frames?token=${tokens.viewer}`,
    });
    const list = floor.frames(exception.exceptionId);
    expect(frames.json()).toEqual(roundTrip(list));
    const first = list.frames[0];
    expect(first).toBeDefined();
    const jpeg = await app.inject({
      url: `/floor/api/exceptions/${exception.exceptionId}/frames/${first?.frameId}?token=${tokens.viewer}`,
    });
    expect(jpeg.statusCode).toBe(200);
    expect(jpeg.headers['content-type']).toBe('image/jpeg');
    expect(jpeg.headers['cache-control']).toBe('private, max-age=86400, immutable');
    expect(jpeg.rawPayload).toEqual(floor.frameJpeg(exception.exceptionId, first?.frameId ?? -1));
  });

  it('refuses without a token (401) and a viewer on supervisor routes (403), before reading the body', async () => {
    const none = await app.inject({ url: '/floor/api/state' });
    expect(none.statusCode).toBe(401);
    expect(none.json()).toEqual({
      error: 'unauthorized',
      code: 'unauthorized',
      message: 'Sign in to the floor view first.',
    });
    const forged = await app.inject({ url: '/floor/api/state', headers: { authorization: 'Bearer forged' } });
    expect(forged.statusCode).toBe(401);
    for (const [method, url] of [
      ['GET', '/floor/api/audit'],
      ['POST', `/floor/api/exceptions/${exception.exceptionId}/assign`],
      ['POST', `/floor/api/exceptions/${exception.exceptionId}/drop`],
    ] as const) {
      const refused = await app.inject({ method, url, headers: as('viewer'), payload: { bad: true } });
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json(), url).toMatchObject({ error: 'forbidden', code: 'forbidden' });
    }
    expect(exceptions.list()).toHaveLength(1);
  });

  it('answers bad input with 400 and a code naming the field', async () => {
    const cases = [
      ['/floor/api/login', {}, 'invalid_body', 'user'],
      ['/floor/api/login', { user: '', password: 'x' }, 'invalid_body', 'body/user'],
      [
        `/floor/api/exceptions/${exception.exceptionId}/assign`,
        { sessionId: 'alice', sku: 'X' },
        'invalid_body',
        'count',
      ],
      [
        `/floor/api/exceptions/${exception.exceptionId}/assign`,
        { sessionId: 'alice', sku: 'X', count: 0 },
        'invalid_body',
        'body/count',
      ],
      [
        `/floor/api/exceptions/${exception.exceptionId}/drop`,
        { note: 'x'.repeat(501) },
        'invalid_body',
        'body/note',
      ],
    ] as const;
    for (const [url, payload, code, field] of cases) {
      const res = await app.inject({ method: 'POST', url, headers: as('supervisor'), payload });
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ error: code, code });
      expect(res.json<{ message: string }>().message, url).toContain(field);
    }
    const frame = await app.inject({ url: '/floor/api/exceptions/x-1/frames/abc', headers: as('viewer') });
    expect(frame.statusCode).toBe(400);
    expect(frame.json()).toMatchObject({ error: 'invalid_params', code: 'invalid_params' });
    const json = await app.inject({
      method: 'POST',
      url: '/floor/api/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"user":',
    });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ error: 'invalid_json', code: 'invalid_json' });
  });

  it('maps domain refusals to statuses with their codes', async () => {
    const call = (method: 'GET' | 'POST', url: string, payload?: object) =>
      app.inject({ method, url, headers: as('supervisor'), ...(payload ? { payload } : {}) });
    const sku = exception.candidateProducts[0]?.sku ?? 'SKU-0001';
    const assign = (id: string, sessionId: string) =>
      call('POST', `/floor/api/exceptions/${id}/assign`, { sessionId, sku, count: 1 });
    const expectRefusal = async (
      res: Promise<{ statusCode: number; json: () => unknown }>,
      status: number,
      code: string,
    ) => {
      const answer = await res;
      expect(answer.statusCode, code).toBe(status);
      expect(answer.json(), code).toMatchObject({ error: code, code });
    };
    await expectRefusal(assign('x-nope', 'alice'), 404, 'exception_not_found');
    await expectRefusal(assign(exception.exceptionId, 'carl'), 409, 'not_a_candidate');
    await expectRefusal(call('GET', '/floor/api/visits/nobody'), 404, 'visit_not_found');
    await expectRefusal(
      call('GET', `/floor/api/exceptions/${exception.exceptionId}/frames/999999`),
      404,
      'frame_not_found',
    );
    await expectRefusal(call('POST', '/floor/api/alerts/no-such-alert/ack', {}), 404, 'alert_not_found');
    const wrong = await app.inject({
      method: 'POST',
      url: '/floor/api/login',
      payload: { user: 'manager', password: 'wrong-password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({
      error: 'invalid_credentials',
      code: 'invalid_credentials',
      message: 'Wrong user name or password.',
    });

    const assigned = await assign(exception.exceptionId, 'alice');
    expect(assigned.statusCode).toBe(200);
    expect(assigned.json()).toMatchObject({
      exceptionId: exception.exceptionId,
      status: 'resolved',
      event: {
        ...(roundTrip(exception.event) as object),
        sessionId: 'alice',
        attribution: 'staff',
        hypotheses: [{ sku, count: 1, likelihood: 1 }],
      },
    });
    // the decision went where every decision goes: stored on alice's visit and published
    expect(published.map((e) => [e.eventId, e.sessionId])).toEqual([[exception.event.eventId, 'alice']]);
    expect(sessions.eventsOf('alice').some((e) => e.eventId === exception.event.eventId)).toBe(true);
    await expectRefusal(assign(exception.exceptionId, 'alice'), 409, 'already_decided');
    await expectRefusal(
      call('POST', `/floor/api/exceptions/${exception.exceptionId}/drop`, { note: 'x' }),
      409,
      'already_decided',
    );
  });

  it('drops an exception and acknowledges an alert with the body left out', async () => {
    const open = exceptions.consider(
      shelfEvent('e-drop', null, T0 - 5_000),
      ['alice', 'bob'],
      T0,
    ) as StaffException;
    const dropped = await app.inject({
      method: 'POST',
      url: `/floor/api/exceptions/${open.exceptionId}/drop`,
      headers: as('supervisor'),
    });
    expect(dropped.json()).toEqual({ exceptionId: open.exceptionId, status: 'dropped' });
    const ack = await app.inject({
      method: 'POST',
      url: '/floor/api/alerts/device-offline:CAM-01/ack',
      headers: as('viewer'),
    });
    expect(ack.json()).toEqual({ alertId: 'device-offline:CAM-01', by: 'staff', at: T0 });
    const audit = await app.inject({ url: '/floor/api/audit', headers: as('supervisor') });
    expect(
      audit.json<{ entries: { action: string; subject: string; actor: string }[] }>().entries.slice(0, 2),
    ).toEqual([
      expect.objectContaining({
        actor: 'staff',
        action: 'acknowledge-alert',
        subject: 'device-offline:CAM-01',
      }),
      expect.objectContaining({
        actor: 'manager',
        action: 'drop',
        subject: open.exceptionId,
        details: '{"note":""}',
      }),
    ]);
  });

  it('lets a signed-in page follow the live feed; refuses an upgrade without a token and a plain GET', async () => {
    await expect(app.injectWS('/floor/ws')).rejects.toThrow('Unexpected server response: 401');
    const ws = await app.injectWS(`/floor/ws?token=${tokens.viewer}`);
    const received = new Promise<string>((resolve) => ws.once('message', (data) => resolve(String(data))));
    const acknowledged = { alertId: 'device-offline:CAM-01', by: 'staff', at: T0 };
    hub.publish('alert', { alertId: 'device-offline:CAM-01', acknowledged });
    expect(JSON.parse(await received)).toEqual({
      type: 'alert',
      sentAt: T0,
      data: { alertId: 'device-offline:CAM-01', acknowledged },
    });
    ws.terminate();
    const plain = await app.inject({ url: `/floor/ws?token=${tokens.viewer}` });
    expect(plain.statusCode).toBe(426);
    expect(plain.json()).toMatchObject({ error: 'upgrade_required', code: 'upgrade_required' });
  });

  it('serves the page and answers unknown files and routes with 404 not_found', async () => {
    expect((await app.inject({ url: '/' })).headers.location).toBe('/floor/');
    const page = await app.inject({ url: '/floor/' });
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<html');
    const css = await app.inject({ url: '/floor/floor.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    for (const url of [
      '/floor/no-such.js',
      '/floor/api/nothing',

      '/floor/floor-routes.ts',
    ]) {
      const missing = await app.inject({ url });
      expect(missing.statusCode, url).toBe(404);
      expect(missing.json(), url).toMatchObject({ error: 'not_found', code: 'not_found' });
    }
    // nothing outside the page's folder: a name with a path in it is not a file name
    const outside = await app.inject({ url: '/floor/..%2Ffloor-routes.ts' });
    expect(outside.statusCode).toBe(400);
  });

  it('refuses to start a floor route that declares no role', async () => {
    const bare = Fastify();
    void bare.register(async (scope) => {
      installStaffRoles(scope, new StaffAuth([], new ManualClock(0)));
      scope.get('/floor/api/forgotten', async () => ({}));
    });
    await expect(bare.ready()).rejects.toThrow('declares no staff role');
    await bare.close();
  });
  it('limits sign-in attempts per address, needs staff for /api/state and sends security headers', async () => {
    const attempt = (ip: string) =>
      app.inject({
        method: 'POST',
        url: '/floor/api/login',
        remoteAddress: ip,
        payload: { user: 'manager', password: 'a wrong guess' },
      });
    for (let i = 0; i < SIGN_IN_ATTEMPTS_PER_MINUTE; i++)
      expect((await attempt('10.9.9.9')).statusCode).toBe(401);
    const limited = await attempt('10.9.9.9');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: 'rate_limited' });
    expect((await attempt('10.9.9.10')).statusCode).toBe(401);

    expect((await app.inject({ url: '/api/state' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/state', headers: as('viewer') })).statusCode).toBe(200);

    const page = await app.inject({ url: '/floor/' });
    expect(page.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });
});
