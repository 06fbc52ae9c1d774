// What the floor view reads as a whole: the store snapshot a page starts from, and the audit trail of
// decisions (supervisors only).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditTrailSchema } from '../../shared/schemas/floor-decisions.ts';
import { FloorSnapshotSchema } from '../../shared/schemas/floor-snapshot.ts';
import { errorResponses } from '../http/error-mapper.ts';
import type { FloorSource } from './floor-source.ts';

export const floorStateRoutes: FastifyPluginAsyncTypebox<{ floor: FloorSource }> = async (app, { floor }) => {
  app.get(
    '/floor/api/state',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['floor'],
        summary:
          'The store now: layout, shoppers and carts, stock, health, alerts, exceptions, recent messages',
        description: 'A page loads this once, then follows the WebSocket /floor/ws.',
        response: { 200: FloorSnapshotSchema, ...errorResponses(401) },
      },
    },
    async () => floor.snapshot(),
  );

  app.get(
    '/floor/api/audit',
    {
      config: { role: 'supervisor' },
      schema: {
        tags: ['floor'],
        summary: 'The latest decisions by staff and by the system, newest first',
        response: { 200: AuditTrailSchema, ...errorResponses(401, 403) },
      },
    },
    async () => floor.audit(),
  );
};
