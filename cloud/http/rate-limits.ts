// Per-route rate limits by kind of caller, keyed by the caller's credential (or address when it has none):
// sign-in and sign-up per address, shoppers and staff per session, store edges and the online shop per
// credential with far higher limits. `scale` multiplies every limit (load tests raise it; 0 turns limits off).
// Counted in the cloud database (rate-limit-store.ts), so every replica behind a load balancer shares them.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Queryable } from '../db/database.ts';
import { ApiError } from './api-error.ts';
import { hashSecret, readBearerToken } from './bearer-token.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';

export type CallerKind = 'auth' | 'shopper' | 'staff' | 'store' | 'shop' | 'public';

/** Requests per minute per key at scale 1. */
export const RATE_LIMITS: Readonly<Record<CallerKind, number>> = {
  auth: 60,
  shopper: 300,
  staff: 600,
  store: 6000,
  shop: 6000,
  public: 600,
};

export interface RateLimitSettings {
  /** Multiplies every limit; 0 disables rate limiting. Default 1. */
  scale?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    walkoutRateLimitScale: number;
  }
}

function keyOf(request: FastifyRequest): string {
  const token = readBearerToken(request);
  // Hashed so the limiter's memory never holds a usable secret.
  return token === undefined ? `ip:${request.ip}` : `cred:${hashSecret(token).slice(0, 32)}`;
}

/** Route config for a kind of caller: `config: { rateLimit: rateLimitFor('shopper') }`. */
export function rateLimitFor(kind: CallerKind) {
  return {
    max: (request: FastifyRequest) =>
      Math.max(1, Math.round(RATE_LIMITS[kind] * request.server.walkoutRateLimitScale)),
    timeWindow: 60_000,
    // Sign-in attempts count per address whatever token is sent.
    keyGenerator: (request: FastifyRequest) => (kind === 'auth' ? `ip:${request.ip}` : keyOf(request)),
    groupId: kind,
  };
}

export async function installRateLimits(
  app: FastifyInstance,
  db: Queryable,
  settings: RateLimitSettings = {},
): Promise<void> {
  const scale = settings.scale ?? 1;
  app.decorate('walkoutRateLimitScale', scale);
  await app.register(rateLimit, {
    global: false,
    store: databaseRateLimitStore(db),
    // A limit of 0 scale means "off": every request is allowed.
    allowList: () => scale === 0,
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        429,
        'rate_limited',
        `Too many requests: at most ${context.max} per ${context.after}. Retry after ${context.after}.`,
      ),
  });
}
