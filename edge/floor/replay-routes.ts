// Visit replay: a shopper's visit (inside now, or one of the recent ones) with its shelf events, the tracks
// of the people on it and the cart, for the floor view to play back on the map.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { VisitReplaySchema } from '../../shared/schemas/floor-snapshot.ts';
import { errorResponses } from '../http/error-mapper.ts';
import type { FloorSource } from './floor-source.ts';

export const replayRoutes: FastifyPluginAsyncTypebox<{ floor: FloorSource }> = async (app, { floor }) => {
  app.get(
    '/floor/api/visits/:sessionId',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['replay'],
        summary: 'A visit with its events, tracks and cart',
        description: '404 visit_not_found: neither inside nor among the recent visits.',
        params: Type.Object({ sessionId: Type.String({ minLength: 1, maxLength: 80 }) }),
        response: { 200: VisitReplaySchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => floor.visit(request.params.sessionId),
  );
};
