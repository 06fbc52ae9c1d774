// Refuses text PostgreSQL cannot store: a U+0000 anywhere in the body, path or query (text columns reject NUL,
// so it would otherwise fail deep in a handler as a 500). Found by `npm run fuzz`.
import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error.ts';

/** Depth at which the walk stops: bodies are schema-checked right after, and none nests this deep. */
const MAX_DEPTH = 64;

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((item) => hasNul(item, depth + 1));
  return Object.entries(value).some(([key, item]) => key.includes('\u0000') || hasNul(item, depth + 1));
}

export function installTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (hasNul(request.params) || hasNul(request.query) || hasNul(request.body)) {
      throw new ApiError(400, 'invalid_text', 'Text may not contain the NUL character (U+0000).');
    }
  });
}
