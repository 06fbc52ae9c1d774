// Reads `Authorization: Bearer <token>` and hashes secrets for storage: session tokens and store
// credentials are kept only as SHA-256 digests, so a database leak does not leak usable secrets.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

export function readBearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** 32 random bytes, base64url: the shape of every bearer token the cloud issues. */
export function newSecretToken(): string {
  return randomBytes(32).toString('base64url');
}
