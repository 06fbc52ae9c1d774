// The edge's OpenAPI document (GET /docs/json, the Swagger UI at /docs): operations, the floor view's API and
// how staff authenticate. Each floor route's role and security are filled in from its declared role.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';

/** Either scheme carries the same sign-in token; the query form serves <img> and WebSocket URLs. */
export const STAFF_SECURITY: Record<string, string[]>[] = [{ staffSession: [] }, { staffToken: [] }];

/** A file's bytes in a non-JSON answer (a JPEG, a page file): sent as they are, never serialised. */
export const BinarySchema = Type.Unsafe<Buffer>(Type.String({ format: 'binary' }));

export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Walkout edge',
        version: '1',
        description:
          'The in-store edge: health, Prometheus metrics and a state summary for operators, and the staff floor ' +
          "view's API (sign-in, store snapshot, exceptions and their camera frames, visit replay, alerts, and the " +
          'live WebSocket). Floor routes need a staff role (x-staff-role: viewer or supervisor); errors answer ' +
          '{ error, code, message } with a stable code.',
      },
      tags: [
        { name: 'operations', description: 'Health, metrics and state, for operators (no sign-in)' },
        { name: 'floor', description: 'Staff sign-in and what the floor view reads' },
        { name: 'exceptions', description: 'Doubtful shelf events staff decide, with their camera frames' },
        { name: 'replay', description: 'Past visits, with their events and tracks' },
        { name: 'alerts', description: 'Alerts staff acknowledge' },
        { name: 'page', description: 'The floor view page itself' },
      ],
      components: {
        securitySchemes: {
          staffSession: {
            type: 'http',
            scheme: 'bearer',
            description: 'Token from POST /floor/api/login',
          },
          staffToken: {
            type: 'apiKey',
            in: 'query',
            name: 'token',
            description: 'The same token as ?token=, where a browser cannot send a header',
          },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
