// What operators read from the edge: liveness and Prometheus metrics without signing in, and the state summary
// (account ids of the shoppers inside) only with a staff session.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import { EdgeHealthSchema, type EdgeState, EdgeStateSchema } from '../../shared/schemas/edge-state.ts';
import type { StaffAuth } from '../floor/staff-auth.ts';
import { installStaffRoles } from '../floor/staff-role-hook.ts';
import { errorResponses } from './error-mapper.ts';

export interface OperationsRoutesOptions {
  registry: Registry;
  state: () => EdgeState;
  auth: StaffAuth;
}

export const operationsRoutes: FastifyPluginAsyncTypebox<OperationsRoutesOptions> = async (
  app,
  { registry, state, auth },
) => {
  installStaffRoles(app, auth);
  app.get(
    '/health',
    {
      config: { role: 'public' },
      schema: { tags: ['operations'], summary: 'The edge is up', response: { 200: EdgeHealthSchema } },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/metrics',
    {
      config: { role: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics (walkout_*)',
        response: {
          200: {
            description: 'Prometheus text format',
            content: { 'text/plain': { schema: Type.String() } },
          },
        },
      },
    },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );

  app.get(
    '/api/state',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['operations'],
        summary: 'Shoppers inside and the outbox to the cloud (staff session)',
        response: { 200: EdgeStateSchema, ...errorResponses(401, 403) },
      },
    },
    async () => state(),
  );
};
