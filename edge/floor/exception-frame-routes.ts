// The camera frames kept with an exception (around the moment of its event): the list, and each JPEG, which
// an <img> fetches with ?token=.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ExceptionFramesSchema } from '../../shared/schemas/floor-snapshot.ts';
import { errorResponses } from '../http/error-mapper.ts';
import { BinarySchema } from '../http/openapi.ts';
import { ExceptionParamsSchema } from './exception-routes.ts';
import type { FloorSource } from './floor-source.ts';

export const exceptionFrameRoutes: FastifyPluginAsyncTypebox<{ floor: FloorSource }> = async (
  app,
  { floor },
) => {
  app.get(
    '/floor/api/exceptions/:id/frames',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['exceptions'],
        summary: 'The frames kept with an exception, oldest first',
        description: 'complete is false while frames around the event may still arrive.',
        params: ExceptionParamsSchema,
        response: { 200: ExceptionFramesSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => floor.frames(request.params.id),
  );

  app.get(
    '/floor/api/exceptions/:id/frames/:frameId',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['exceptions'],
        summary: 'One kept frame, as JPEG',
        params: Type.Object({
          ...ExceptionParamsSchema.properties,
          frameId: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
        }),
        response: {
          200: { description: 'The frame', content: { 'image/jpeg': { schema: BinarySchema } } },
          ...errorResponses(400, 401, 404),
        },
      },
    },
    async (request, reply) => {
      const jpeg = floor.frameJpeg(request.params.id, request.params.frameId);
      // a stored frame never changes; only this signed-in browser may keep it
      return reply.type('image/jpeg').header('cache-control', 'private, max-age=86400, immutable').send(jpeg);
    },
  );
};
