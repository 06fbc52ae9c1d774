// The edge's HTTP server: health, Prometheus metrics, a state summary, and the staff floor view.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { FloorHub } from './floor/floor-hub.ts';
import { type FloorSource, registerFloorRoutes } from './floor/floor-routes.ts';
import type { StaffAuth } from './floor/staff-auth.ts';

export interface EdgeHttpDeps {
  registry: Registry;
  state: () => unknown;
  auth: StaffAuth;
  hub: FloorHub;
  floor: FloorSource;
}

export async function startEdgeHttp(
  port: number,
  host: string,
  deps: EdgeHttpDeps,
): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', deps.registry.contentType);
    return deps.registry.metrics();
  });
  app.get('/api/state', async () => deps.state());
  await registerFloorRoutes(app, deps.auth, deps.hub, deps.floor);
  const url = await app.listen({ port, host });
  return { app, url };
}
