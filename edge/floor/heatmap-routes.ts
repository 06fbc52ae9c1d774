// The floor view's heat layer: dwell, looks and picks per lane over a chosen period, for any signed-in staff.
// It names no one (edge/behaviour/floor-heat.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FloorHeatSchema, HeatQuerySchema } from '../../shared/schemas/floor-heat.ts';
import { errorResponses } from '../http/error-mapper.ts';
import type { FloorSource } from './floor-source.ts';

export const heatmapRoutes: FastifyPluginAsyncTypebox<{ floor: FloorSource }> = async (app, { floor }) => {
  app.get(
    '/floor/api/heatmap',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['floor'],
        summary: 'Where people dwell and which lanes are looked at but rarely taken, per lane over a period',
        querystring: HeatQuerySchema,
        response: { 200: FloorHeatSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => floor.heatmap(request.query.from, request.query.to),
  );
};
