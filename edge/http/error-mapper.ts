// The one place the edge's HTTP layer turns failures into answers: domain errors (by their code), schema
// validation failures, malformed JSON, unknown routes and crashes all become { error, code, message }, the
// cloud's error body (error: a stable code) with the code repeated as `code`.
import type { FastifyError, FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import { FloorError, type FloorErrorCode } from '../floor/floor-errors.ts';
import { StaffAuthError, type StaffAuthErrorCode } from '../floor/staff-auth.ts';
import { ExceptionError, type ExceptionErrorCode } from '../fusion/exception-queue.ts';

export const ErrorBodySchema = Type.Object(
  {
    error: Type.String({ description: 'Stable machine-readable code, e.g. already_decided' }),
    code: Type.String({ description: 'The same code (for clients that read `code`)' }),
    message: Type.String({ description: 'What went wrong and what to do next' }),
  },
  { description: 'Refused: a stable code and what to do next' },
);
export type ErrorBody = Static<typeof ErrorBodySchema>;

type DomainErrorCode = ExceptionErrorCode | StaffAuthErrorCode | FloorErrorCode;

/** Every domain code has a status: a new code that is not mapped here does not compile. */
const STATUS_BY_CODE: Readonly<Record<DomainErrorCode, number>> = {
  invalid_credentials: 401,
  unauthorized: 401,
  forbidden: 403,
  exception_not_found: 404,
  visit_not_found: 404,
  frame_not_found: 404,
  alert_not_found: 404,
  camera_not_found: 404,
  no_live_frame: 404,
  calibration_refused: 422,
  already_decided: 409,
  not_a_candidate: 409,
  session_not_billable: 409,
};

/** Response schemas for the error statuses a route can answer. */
export function errorResponses<Status extends number>(
  ...statuses: Status[]
): Record<Status, typeof ErrorBodySchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorBodySchema])) as Record<
    Status,
    typeof ErrorBodySchema
  >;
}

/** The error body for a stable code. */
export const errorBody = (code: string, message: string): ErrorBody => ({ error: code, code, message });

function describeValidation(error: FastifyError): string {
  const where = error.validationContext ?? 'request';
  const problems = (error.validation ?? [])
    .slice(0, 5)
    .map((v) => `${where}${v.instancePath}: ${v.message ?? 'is invalid'}`);
  return `${problems.join('; ') || error.message}. Fix the request to match the schema at /docs.`;
}

export function installErrorMapper(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof ExceptionError || error instanceof StaffAuthError || error instanceof FloorError) {
      return reply.status(STATUS_BY_CODE[error.code]).send(errorBody(error.code, error.message));
    }
    if (error.validation !== undefined) {
      const code = `invalid_${error.validationContext ?? 'request'}`;
      return reply.status(400).send(errorBody(code, describeValidation(error)));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // fastify's own client errors: malformed JSON, unsupported media type, body too large, …
      const code =
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
          ? 'invalid_json'
          : status === 429
            ? 'rate_limited'
            : 'bad_request';
      return reply.status(status).send(errorBody(code, error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .status(500)
      .send(
        errorBody('internal_error', 'The edge failed to handle this request; retry, then check its log.'),
      );
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(
      errorBody(
        'not_found',
        // the path only: a query may carry a staff token
        `No route ${request.method} ${request.url.split('?')[0]}; the API is described at /docs.`,
      ),
    ),
  );
}
