// The floor view's HTTP and WebSocket API on the edge: staff sign-in, a snapshot of the store, live
// messages over WebSocket, and the staff decisions (assign or drop an exception, acknowledge an alert),
// each authorised by role and audited.
import { readFileSync } from 'node:fs';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { compileValidator } from '../../shared/validator.ts';
import type { FloorHub } from './floor-hub.ts';
import type { StaffAuth, StaffRole, StaffUser } from './staff-auth.ts';

export interface FloorSource {
  snapshot(): unknown;
  assign(
    exceptionId: string,
    choice: { sessionId: string; sku: string; count: number },
    by: StaffUser,
  ): unknown;
  drop(exceptionId: string, note: string, by: StaffUser): unknown;
  acknowledge(alertId: string, by: StaffUser): unknown;
  audit(): unknown;
  visit(sessionId: string): unknown | undefined;
  frames(exceptionId: string): unknown;
  frameJpeg(exceptionId: string, frameId: number): Buffer | undefined;
}

const LoginBody = compileValidator(
  Type.Object({
    user: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  }),
);
const AssignBody = compileValidator(
  Type.Object({
    sessionId: Type.String({ minLength: 1, maxLength: 80 }),
    sku: Type.String({ minLength: 1, maxLength: 64 }),
    count: Type.Integer({ minimum: 1, maximum: 100 }),
  }),
);
const DropBody = compileValidator(Type.Object({ note: Type.String({ maxLength: 500 }) }));

const PUBLIC = new URL('./public/', import.meta.url);
const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'floor.js': 'text/javascript; charset=utf-8',
  'floor-frames.js': 'text/javascript; charset=utf-8',
  'floor-alerts.js': 'text/javascript; charset=utf-8',
  'floor-replay.js': 'text/javascript; charset=utf-8',
  'floor.css': 'text/css; charset=utf-8',
};

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7);
  const query = request.query as { token?: unknown } | undefined;
  return typeof query?.token === 'string' ? query.token : undefined;
}

export async function registerFloorRoutes(
  app: FastifyInstance,
  auth: StaffAuth,
  hub: FloorHub,
  source: FloorSource,
): Promise<void> {
  await app.register(websocket);

  const guard = (request: FastifyRequest, reply: FastifyReply, role: StaffRole): StaffUser | undefined => {
    const user = auth.check(bearer(request));
    if (user === undefined) {
      void reply.code(401).send({ error: 'unauthorized', message: 'Sign in to the floor view first.' });
      return undefined;
    }
    if (role === 'supervisor' && user.role !== 'supervisor') {
      void reply.code(403).send({ error: 'forbidden', message: 'Only a supervisor can decide exceptions.' });
      return undefined;
    }
    return user;
  };
  const invalid = (reply: FastifyReply, errors: string[]) =>
    reply.code(400).send({ error: 'invalid_body', message: errors.join('; ') });
  const decide = (reply: FastifyReply, run: () => unknown) => {
    try {
      return run();
    } catch (err) {
      const code = (err as { code?: string }).code ?? 'failed';
      return reply
        .code(code === 'not-found' ? 404 : 409)
        .send({ error: code, message: (err as Error).message });
    }
  };

  app.get('/', async (_request, reply) => reply.redirect('/floor/'));
  app.get('/floor/', async (_request, reply) =>
    reply.type(ASSETS['index.html'] as string).send(readFileSync(new URL('index.html', PUBLIC))),
  );
  app.get('/floor/:asset', async (request, reply) => {
    const { asset } = request.params as { asset: string };
    const type = ASSETS[asset];
    if (type === undefined) return reply.code(404).send({ error: 'not_found', message: `no asset ${asset}` });
    return reply.type(type).send(readFileSync(new URL(asset, PUBLIC)));
  });

  app.post('/floor/api/login', async (request, reply) => {
    const body = LoginBody.check(request.body);
    if (!body.ok) return invalid(reply, body.errors);
    const session = auth.signIn(body.value.user, body.value.password);
    if (session === undefined)
      return reply.code(401).send({ error: 'invalid_credentials', message: 'Wrong user name or password.' });
    return session;
  });

  app.get('/floor/api/state', async (request, reply) => {
    if (guard(request, reply, 'viewer') === undefined) return reply;
    return source.snapshot();
  });

  app.get('/floor/api/visits/:sessionId', async (request, reply) => {
    if (guard(request, reply, 'viewer') === undefined) return reply;
    const visit = source.visit((request.params as { sessionId: string }).sessionId);
    if (visit === undefined) return reply.code(404).send({ error: 'not_found', message: 'No such visit.' });
    return visit;
  });

  app.get('/floor/api/exceptions/:id/frames', async (request, reply) => {
    if (guard(request, reply, 'viewer') === undefined) return reply;
    return source.frames((request.params as { id: string }).id);
  });

  app.get('/floor/api/exceptions/:id/frames/:frameId', async (request, reply) => {
    if (guard(request, reply, 'viewer') === undefined) return reply;
    const { id, frameId } = request.params as { id: string; frameId: string };
    const jpeg = /^[0-9]{1,15}$/.test(frameId) ? source.frameJpeg(id, Number(frameId)) : undefined;
    if (jpeg === undefined) return reply.code(404).send({ error: 'not_found', message: 'No such frame.' });
    // a stored frame never changes; only this signed-in browser may keep it
    return reply.type('image/jpeg').header('cache-control', 'private, max-age=86400, immutable').send(jpeg);
  });

  app.get('/floor/api/audit', async (request, reply) => {
    if (guard(request, reply, 'supervisor') === undefined) return reply;
    return source.audit();
  });

  app.post('/floor/api/exceptions/:id/assign', async (request, reply) => {
    const user = guard(request, reply, 'supervisor');
    if (user === undefined) return reply;
    const body = AssignBody.check(request.body);
    if (!body.ok) return invalid(reply, body.errors);
    return decide(reply, () => source.assign((request.params as { id: string }).id, body.value, user));
  });

  app.post('/floor/api/exceptions/:id/drop', async (request, reply) => {
    const user = guard(request, reply, 'supervisor');
    if (user === undefined) return reply;
    const body = DropBody.check(request.body ?? { note: '' });
    if (!body.ok) return invalid(reply, body.errors);
    return decide(reply, () => source.drop((request.params as { id: string }).id, body.value.note, user));
  });

  app.post('/floor/api/alerts/:id/ack', async (request, reply) => {
    const user = guard(request, reply, 'viewer');
    if (user === undefined) return reply;
    return decide(reply, () => source.acknowledge((request.params as { id: string }).id, user));
  });

  app.get('/floor/ws', { websocket: true }, (socket, request) => {
    if (auth.check(bearer(request)) === undefined) {
      socket.close(4401, 'sign in first');
      return;
    }
    const disconnect = hub.connect((text) => {
      if (socket.readyState === socket.OPEN) socket.send(text);
    });
    socket.on('close', disconnect);
    socket.on('error', disconnect);
  });
}
