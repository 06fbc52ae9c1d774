// The cloud's error body ({ error, message }) and the handlers that turn every failure into one:
// our own ApiErrors, schema validation failures, malformed JSON, unknown routes and unexpected crashes.
import type { FastifyError, FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';

export const ErrorBodySchema = Type.Object({
  error: Type.String({ description: 'Stable machine-readable code, e.g. payment_required' }),
  message: Type.String({ description: 'What went wrong and what to do next' }),
});
export type ErrorBody = Static<typeof ErrorBodySchema>;

/** A refusal we mean to send: status, stable code and a message that tells the caller what to do next. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Response schemas for the error statuses a route can return. */
export function errorResponses<Status extends number>(
  ...statuses: Status[]
): Record<Status, typeof ErrorBodySchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBodySchema])) as Record<
    Status,
    typeof ErrorBodySchema
  >;
}

function describeValidation(error: FastifyError): string {
  const where = error.validationContext ?? 'request';
  const problems = (error.validation ?? []).slice(0, 5).map((v) => {
    const path = v.instancePath === '' ? '' : v.instancePath;
    return `${where}${path}: ${v.message ?? 'is invalid'}`;
  });
  return `${problems.join('; ') || error.message}. Fix the request to match the schema at /docs.`;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    if (error instanceof ApiError) {
      return reply.status(error.statusCode).send({ error: error.code, message: error.message });
    }
    if (error.validation !== undefined) {
      const code =
        error.validationContext === 'body'
          ? 'invalid_body'
          : `invalid_${error.validationContext ?? 'request'}`;
      return reply.status(400).send({ error: code, message: describeValidation(error) });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors: malformed JSON, unsupported media type, body too large, …
      const code = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'invalid_json' : 'bad_request';
      return reply.status(status).send({ error: code, message: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .send({ error: 'internal_error', message: 'The cloud failed to handle this request; retry later.' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: 'not_found',
      message: `No route ${request.method} ${request.url}; the API is described at /docs.`,
    }),
  );
}
