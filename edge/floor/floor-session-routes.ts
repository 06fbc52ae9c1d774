// Staff sign-in: a name and password give a bearer token for the floor API and the WebSocket (one shift).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StaffLoginBodySchema, StaffSessionSchema } from '../../shared/schemas/floor-staff.ts';
import { errorResponses } from '../http/error-mapper.ts';
import type { StaffAuth } from './staff-auth.ts';

export const floorSessionRoutes: FastifyPluginAsyncTypebox<{ auth: StaffAuth }> = async (app, { auth }) => {
  app.post(
    '/floor/api/login',
    {
      config: { role: 'public' },
      schema: {
        tags: ['floor'],
        summary: 'Sign in as staff',
        description: 'Wrong name or password: 401 invalid_credentials (which of the two is not told).',
        body: StaffLoginBodySchema,
        response: { 200: StaffSessionSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => auth.signIn(request.body.user, request.body.password),
  );
};
