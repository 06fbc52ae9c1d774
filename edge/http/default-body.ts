// For POST routes whose body may be left out: an absent body becomes a default one before validation, so
// the route's schema still checks what it gets and the handler always has a body.
import type { FastifyRequest } from 'fastify';

export function defaultBody(value: Readonly<Record<string, unknown>>) {
  return async (request: FastifyRequest): Promise<void> => {
    request.body ??= { ...value };
  };
}
