// The edge's HTTP server, built as the cloud's is: fastify with TypeBox schemas on every route, one error
// mapper, the OpenAPI document at /docs, operations routes (health, metrics, state) and the floor view's
// plugins.

import rateLimit from '@fastify/rate-limit';
import { type TypeBoxTypeProvider, TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { EdgeState } from '../shared/schemas/edge-state.ts';
import { installSecurityHeaders } from '../shared/security-headers.ts';
import type { TrustProxy } from '../shared/trust-proxy.ts';
import type { FloorHub } from './floor/floor-hub.ts';
import { floorRoutes } from './floor/floor-routes.ts';
import type { FloorSource } from './floor/floor-source.ts';
import type { StaffAuth } from './floor/staff-auth.ts';
import { installErrorMapper } from './http/error-mapper.ts';
import { installOpenApi } from './http/openapi.ts';
import { operationsRoutes } from './http/operations-routes.ts';

export interface EdgeHttpDeps {
  registry: Registry;
  state: () => EdgeState;
  auth: StaffAuth;
  hub: FloorHub;
  floor: FloorSource;
  /** Logs failed requests (500s); default: none. Requests themselves are not logged. */
  logger?: Logger;
  /** Whose X-Forwarded-For is believed (the sign-in limit is per client address); default none. */
  trustProxy?: TrustProxy;
}

/** The app, ready but not listening (tests inject into it). */
export async function buildEdgeHttp(deps: EdgeHttpDeps): Promise<FastifyInstance> {
  const logging: FastifyServerOptions =
    deps.logger === undefined
      ? { logger: false }
      : { loggerInstance: deps.logger, logController: new LogController({ disableRequestLogging: true }) };
  const app = Fastify({ ...logging, trustProxy: deps.trustProxy ?? false })
    .setValidatorCompiler(TypeBoxValidatorCompiler)
    .withTypeProvider<TypeBoxTypeProvider>();
  try {
    installErrorMapper(app);
    await installOpenApi(app);
    installSecurityHeaders(app);
    // Per-route limits only (the floor's sign-in); everything else is staff-only or operations.
    await app.register(rateLimit, { global: false });
    await app.register(websocket);
    await app.register(operationsRoutes, { registry: deps.registry, state: deps.state, auth: deps.auth });
    await app.register(floorRoutes, { auth: deps.auth, hub: deps.hub, floor: deps.floor });
    await app.ready();
    return app;
  } catch (err) {
    await app.close();
    throw err;
  }
}

export async function startEdgeHttp(
  port: number,
  host: string,
  deps: EdgeHttpDeps,
): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildEdgeHttp(deps);
  try {
    const url = await app.listen({ port, host });
    return { app, url };
  } catch (err) {
    await app.close();
    throw err;
  }
}
