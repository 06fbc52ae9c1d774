// A running edge's HTTP API over real sockets: its OpenAPI document lists every route with its schemas and
// the staff role floor routes need, roles and schemas are enforced (403 for a viewer on a supervisor route,
// 400 with a code for a bad body), and the live WebSocket refuses an upgrade without a token.
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { exportSPKI, generateKeyPair } from 'jose';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Edge } from '../../../edge/edge-app.ts';
import { DEMO_FLOOR_STAFF } from '../../../edge/edge-config.ts';
import { startEmbeddedBroker } from '../../../shared/broker/embedded-broker.ts';
import { loadStoreConfig } from '../../../shared/store-config.ts';

const store = loadStoreConfig('stores/sample-store.json');

interface Operation {
  parameters?: { in: string; name: string; schema?: object }[];
  requestBody?: { content: Record<string, { schema?: object }> };
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
  security?: Record<string, string[]>[];
  'x-staff-role'?: string;
}
type Document = { paths: Record<string, Record<string, Operation>> };

/** Every route the edge serves: method, OpenAPI path, role ('public' outside the floor's sign-in). */
const ROUTES = [
  ['get', '/health', 'public'],
  ['get', '/metrics', 'public'],
  ['get', '/api/state', 'viewer'],
  ['get', '/', 'public'],
  ['get', '/floor/', 'public'],
  ['get', '/floor/{asset}', 'public'],
  ['post', '/floor/api/login', 'public'],
  ['get', '/floor/api/state', 'viewer'],
  ['get', '/floor/api/audit', 'supervisor'],
  ['post', '/floor/api/exceptions/{id}/assign', 'supervisor'],
  ['post', '/floor/api/exceptions/{id}/drop', 'supervisor'],
  ['get', '/floor/api/exceptions/{id}/frames', 'viewer'],
  ['get', '/floor/api/exceptions/{id}/frames/{frameId}', 'viewer'],
  ['get', '/floor/api/visits/{sessionId}', 'viewer'],
  ['post', '/floor/api/alerts/{id}/ack', 'viewer'],
  ['get', '/floor/api/heatmap', 'viewer'],
  ['get', '/floor/api/cameras', 'supervisor'],
  ['get', '/floor/api/cameras/{id}/frame', 'supervisor'],
  ['post', '/floor/api/cameras/{id}/calibration', 'supervisor'],
  ['get', '/floor/ws', 'viewer'],
] as const;

/** Status of a WebSocket upgrade request (101 when accepted); the socket is closed at once. */
function upgradeStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      // a connection of its own, as a browser opens for a WebSocket (the edge closes a refused one)
      agent: false,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from(randomUUID().slice(0, 16)).toString('base64'),
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('edge HTTP API, running', () => {
  let broker: { url: string; stop: () => Promise<void> };
  let edge: Edge;
  let base: string;
  const tokens = { supervisor: '', viewer: '' };

  const signIn = async (user: string, password: string) => {
    const res = await fetch(`${base}/floor/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user, password }),
    });
    return ((await res.json()) as { token: string }).token;
  };

  beforeAll(async () => {
    broker = await startEmbeddedBroker();
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    edge = new Edge({
      store: { ...store, storeId: `it-${randomUUID().slice(0, 8)}` },
      mqttUrl: broker.url,
      cloudUrl: 'http://127.0.0.1:9', // nothing listens: nothing here needs the cloud
      storeCredential: 'test-credential',
      dbPath: ':memory:',
      entryTokenPublicKeyPem: await exportSPKI(pair.publicKey),
      logger: pino({ level: 'silent' }),
      httpPort: 0,
      floorStaff: DEMO_FLOOR_STAFF,
    });
    await edge.start();
    base = edge.httpUrl ?? '';
    tokens.supervisor = await signIn('manager', 'walkout-demo');
    tokens.viewer = await signIn('staff', 'walkout-view');
  });

  afterAll(async () => {
    await edge?.stop();
    await broker?.stop();
  });

  it('serves an OpenAPI document listing every route with its schemas and role', async () => {
    const res = await fetch(`${base}/docs/json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Document;
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(listed.sort()).toEqual(ROUTES.map(([method, path]) => `${method} ${path}`).sort());
    for (const [method, path, role] of ROUTES) {
      const op = doc.paths[path]?.[method] as Operation;
      const what = `${method} ${path}`;
      const success = Object.entries(op.responses).filter(([status]) => /^[123]/.test(status));
      expect(success.length, what).toBeGreaterThan(0);
      for (const [status, response] of success) {
        // a redirect has no body; every other answer says what its body is
        if (status !== '302') expect(Object.values(response.content ?? {})[0]?.schema, what).toBeDefined();
      }
      const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const documented = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect(documented.map((p) => p.name).sort(), what).toEqual(pathParams.sort());
      for (const p of documented) expect(p.schema, `${what} ${p.name}`).toBeDefined();
      if (method === 'post') expect(op.requestBody?.content['application/json']?.schema, what).toBeDefined();
      if (role === 'public') {
        expect(op['x-staff-role'], what).toBeUndefined();
        expect(op.security, what).toBeUndefined();
      } else {
        expect(op['x-staff-role'], what).toBe(role);
        expect(op.security, what).toEqual([{ staffSession: [] }, { staffToken: [] }]);
        expect(Object.keys(op.responses), what).toContain('401');
      }
    }
    const ui = await fetch(`${base}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('gives a viewer 403 on supervisor routes and a bad body 400 with a code', async () => {
    const post = (path: string, token: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const refused = await post('/floor/api/exceptions/x-any/assign', tokens.viewer, {
      sessionId: 's',
      sku: 'SKU-0001',
      count: 1,
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'forbidden', code: 'forbidden' });
    const audit = await fetch(`${base}/floor/api/audit`, {
      headers: { authorization: `Bearer ${tokens.viewer}` },
    });
    expect(audit.status).toBe(403);

    const bad = await post('/floor/api/exceptions/x-any/assign', tokens.supervisor, {
      sessionId: 's',
      count: 'two',
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: string; code: string; message: string };
    expect(body).toMatchObject({ error: 'invalid_body', code: 'invalid_body' });
    expect(body.message).toContain('sku');
    const missing = await post('/floor/api/exceptions/x-any/assign', tokens.supervisor, {
      sessionId: 's',
      sku: 'SKU-0001',
      count: 1,
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: 'exception_not_found', code: 'exception_not_found' });
  });

  it('keeps the operations routes (state only for staff) and refuses a WebSocket upgrade without a token', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/api/state`)).status).toBe(401);
    const state = await fetch(`${base}/api/state`, { headers: { authorization: `Bearer ${tokens.viewer}` } });
    expect(await state.json()).toMatchObject({ inStore: [], outbox: { pending: 0 } });
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('walkout_');
    const ws = `${base}/floor/ws`;
    expect(await upgradeStatus(ws)).toBe(401);
    expect(await upgradeStatus(`${ws}?token=forged`)).toBe(401);
    expect(await upgradeStatus(`${ws}?token=${encodeURIComponent(tokens.viewer)}`)).toBe(101);
  });
});
