// Staff decide an exception (a shelf event the edge would not bill on its own): assign it to a shopper with
// a product and count, or drop it. Supervisors only; every decision is audited and pushed to every page.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AssignBodySchema,
  DropBodySchema,
  ExceptionAssignedSchema,
  ExceptionDroppedSchema,
} from '../../shared/schemas/floor-decisions.ts';
import { defaultBody } from '../http/default-body.ts';
import { errorResponses } from '../http/error-mapper.ts';
import type { FloorSource } from './floor-source.ts';
import { signedIn } from './staff-role-hook.ts';

export const ExceptionParamsSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 200, description: 'Exception id (x-<event id>)' }),
});

export const exceptionRoutes: FastifyPluginAsyncTypebox<{ floor: FloorSource }> = async (app, { floor }) => {
  app.post(
    '/floor/api/exceptions/:id/assign',
    {
      config: { role: 'supervisor' },
      schema: {
        tags: ['exceptions'],
        summary: 'Bill the event to one of its candidate shoppers, with the product and count staff saw',
        description:
          '404 exception_not_found; 409 already_decided, not_a_candidate (the session was not inside), ' +
          'session_not_billable (its receipt is already billed: drop it and record a loss).',
        params: ExceptionParamsSchema,
        body: AssignBodySchema,
        response: { 200: ExceptionAssignedSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => floor.assign(request.params.id, request.body, signedIn(request)),
  );

  app.post(
    '/floor/api/exceptions/:id/drop',
    {
      config: { role: 'supervisor' },
      preValidation: defaultBody({ note: '' }),
      schema: {
        tags: ['exceptions'],
        summary: 'Bill nobody for the event (a note says why; the body may be left out)',
        description: '404 exception_not_found; 409 already_decided.',
        params: ExceptionParamsSchema,
        body: DropBodySchema,
        response: { 200: ExceptionDroppedSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => floor.drop(request.params.id, request.body.note, signedIn(request)),
  );
};
