// Staff sign-in: a name and password give a bearer token for the floor API and the WebSocket (one shift).
// Rate-limited per client address, so the store's Wi-Fi cannot guess passwords at scrypt speed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { StaffLoginBodySchema, StaffSessionSchema } from '../../shared/schemas/floor-staff.ts';
import { errorResponses } from '../http/error-mapper.ts';
import type { StaffAuth } from './staff-auth.ts';

/** A shift's staff sign in a few times a minute at most from one device; 10 leaves room for typos. */
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 10;

export const floorSessionRoutes: FastifyPluginAsyncTypebox<{ auth: StaffAuth }> = async (app, { auth }) => {
  app.post(
    '/floor/api/login',
    {
      config: {
        role: 'public',
        rateLimit: {
          max: SIGN_IN_ATTEMPTS_PER_MINUTE,
          timeWindow: 60_000,
          keyGenerator: (request: FastifyRequest) => `floor-login:${request.ip}`,
        },
      },
      schema: {
        tags: ['floor'],
        summary: 'Sign in as staff',
        description: 'Wrong name or password: 401 invalid_credentials (which of the two is not told).',
        body: StaffLoginBodySchema,
        response: { 200: StaffSessionSchema, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => auth.signIn(request.body.user, request.body.password),
  );
};
