// What operators read from the edge without signing in: liveness, Prometheus metrics and a state summary.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import { Type } from 'typebox';
import { EdgeHealthSchema, type EdgeState, EdgeStateSchema } from '../../shared/schemas/edge-state.ts';

export interface OperationsRoutesOptions {
  registry: Registry;
  state: () => EdgeState;
}

export const operationsRoutes: FastifyPluginAsyncTypebox<OperationsRoutesOptions> = async (
  app,
  { registry, state },
) => {
  app.get(
    '/health',
    { schema: { tags: ['operations'], summary: 'The edge is up', response: { 200: EdgeHealthSchema } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/metrics',
    {
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
      schema: {
        tags: ['operations'],
        summary: 'Shoppers inside and the outbox to the cloud',
        response: { 200: EdgeStateSchema },
      },
    },
    async () => state(),
  );
};
