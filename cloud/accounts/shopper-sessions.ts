// Sign-in sessions of shoppers and staff: an opaque bearer token per sign-in, stored as its SHA-256 digest,
// valid 30 days; staff routes also require the account's role to be staff.
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../shared/clock.ts';
import { type Database, toNumber } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { hashSecret, newSecretToken, readBearerToken } from '../http/bearer-token.ts';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

/** Expired sessions are deleted at most this often, on a sign-in (ms): the table holds live sessions only. */
export const SESSION_PRUNE_EVERY_MS = 3_600_000;

/** OpenAPI security requirement of the routes a signed-in shopper calls. */
export const SHOPPER_SECURITY = [{ shopperSession: [] }];
/** OpenAPI security requirement of the staff routes (a session of a staff account). */
export const STAFF_SECURITY = [{ staffSession: [] }];

export type AccountRole = 'shopper' | 'staff';

export class ShopperSessions {
  /** Cloud clock of the last deletion of expired sessions (0: not yet in this process). */
  private lastPruneAt = 0;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async create(accountId: string): Promise<string> {
    const token = newSecretToken();
    const now = this.clock.now();
    await this.db.query(
      'INSERT INTO sessions (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [hashSecret(token), accountId, now, now + SESSION_TTL_MS],
    );
    if (now - this.lastPruneAt >= SESSION_PRUNE_EVERY_MS) await this.pruneExpired();
    return token;
  }

  /** Deletes expired sessions (they authenticate nobody); returns how many. */
  async pruneExpired(): Promise<number> {
    this.lastPruneAt = this.clock.now();
    const rows = await this.db.query<{ token_hash: string }>(
      'DELETE FROM sessions WHERE expires_at < $1 RETURNING token_hash',
      [this.lastPruneAt],
    );
    return rows.length;
  }

  /** Signs out: deletes the request's session (401 when it is not a valid one), so its token stops working. */
  async revoke(request: FastifyRequest): Promise<void> {
    await this.signedIn(request);
    const token = readBearerToken(request);
    if (token !== undefined)
      await this.db.query('DELETE FROM sessions WHERE token_hash = $1', [hashSecret(token)]);
  }

  /** The signed-in account, or a 401 that says how to sign in. */
  async authenticate(request: FastifyRequest): Promise<string> {
    return (await this.signedIn(request)).accountId;
  }

  /** The signed-in staff account: 401 without a valid session, 403 for a shopper's. */
  async authenticateStaff(request: FastifyRequest): Promise<string> {
    const { accountId, role } = await this.signedIn(request);
    if (role !== 'staff') {
      throw new ApiError(403, 'staff_only', 'This needs a staff account: sign in with your staff login.');
    }
    return accountId;
  }

  private async signedIn(request: FastifyRequest): Promise<{ accountId: string; role: AccountRole }> {
    const token = readBearerToken(request);
    if (token === undefined) {
      throw new ApiError(
        401,
        'unauthorized',
        'Sign in with POST /v1/auth/sessions and send the token as "Authorization: Bearer <token>".',
      );
    }
    const rows = await this.db.query<{ account_id: string; expires_at: unknown; role: AccountRole }>(
      `SELECT s.account_id, s.expires_at, a.role FROM sessions s JOIN accounts a ON a.account_id = s.account_id
       WHERE s.token_hash = $1`,
      [hashSecret(token)],
    );
    const session = rows[0];
    if (session === undefined || toNumber(session.expires_at) <= this.clock.now()) {
      throw new ApiError(401, 'unauthorized', 'The session token is invalid or expired: sign in again.');
    }
    return { accountId: session.account_id, role: session.role };
  }
}
