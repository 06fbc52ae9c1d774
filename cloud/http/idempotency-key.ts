// The edge's deliveries carry an Idempotency-Key that must name the item they deliver (visit:<visitId>,
// return:<returnId>, cart:<sessionId>:<seq>): one check, one refusal, for every route that takes one.
import type { FastifyRequest } from 'fastify';
import { ApiError } from './api-error.ts';

/**
 * Throws 400 idempotency_key_mismatch unless the request's Idempotency-Key is `expected`; `what` names the
 * item in the message ("visit", "return", …).
 */
export function requireIdempotencyKey(request: FastifyRequest, expected: string, what: string): void {
  if (request.headers['idempotency-key'] === expected) return;
  throw new ApiError(
    400,
    'idempotency_key_mismatch',
    `Idempotency-Key must be "${expected}" for this ${what}; send the same key on every retry.`,
  );
}
