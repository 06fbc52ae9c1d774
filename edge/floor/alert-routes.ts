// Staff acknowledge an alert: it stays active until its condition clears, marked as seen by whom.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AckBodySchema, AlertAckSchema } from '../../shared/schemas/floor-decisions.ts';
import { defaultBody } from '../http/default-body.ts';
import { errorResponses } from '../http/error-mapper.ts';
import type { FloorSource } from './floor-source.ts';
import { signedIn } from './staff-role-hook.ts';

export const alertRoutes: FastifyPluginAsyncTypebox<{ floor: FloorSource }> = async (app, { floor }) => {
  app.post(
    '/floor/api/alerts/:id/ack',
    {
      config: { role: 'viewer' },
      preValidation: defaultBody({}),
      schema: {
        tags: ['alerts'],
        summary: 'Acknowledge an active alert (audited; the body may be left out)',
        description: '404 alert_not_found: not active (never raised, or cleared since).',
        params: Type.Object({
          id: Type.String({ minLength: 1, maxLength: 200, description: 'e.g. low-stock:S01-L03' }),
        }),
        body: AckBodySchema,
        response: { 200: AlertAckSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => floor.acknowledge(request.params.id, signedIn(request)),
  );
};
