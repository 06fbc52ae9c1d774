// Sign-up and sign-in: POST /v1/accounts creates a shopper account (accountsRoutes), POST and DELETE
// /v1/auth/sessions issue and revoke a session (authSessionsRoutes).
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../../shared/clock.ts';
import type { Database } from '../db/database.ts';
import { ApiError, errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { hashPassword, needsRehash, UNKNOWN_ACCOUNT_HASH, verifyPassword } from './passwords.ts';
import { SHOPPER_SECURITY, type ShopperSessions } from './shopper-sessions.ts';

export interface AccountsRoutesOptions {
  db: Database;
  clock: Clock;
  sessions: ShopperSessions;
}

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });

const SignUpBody = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 8, maxLength: 200 }),
    name: Type.String({ minLength: 1, maxLength: 100 }),
  },
  { additionalProperties: false },
);

const SignInBody = Type.Object(
  { email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

/** Emails compare case-insensitively: one account per mailbox. */
const normaliseEmail = (email: string) => email.trim().toLowerCase();

export const accountsRoutes: FastifyPluginAsyncTypebox<AccountsRoutesOptions> = async (
  app,
  { db, clock },
) => {
  app.post(
    '/v1/accounts',
    {
      config: { rateLimit: rateLimitFor('auth') },
      schema: {
        tags: ['accounts'],
        summary: 'Create a shopper account',
        body: SignUpBody,
        response: { 201: Type.Object({ accountId: Type.String() }), ...errorResponses(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const { email, password, name } = request.body;
      const accountId = randomUUID();
      const inserted = await db.query(
        `INSERT INTO accounts (account_id, email, name, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING RETURNING account_id`,
        [accountId, normaliseEmail(email), name, await hashPassword(password), clock.now()],
      );
      if (inserted.length === 0) {
        throw new ApiError(409, 'email_taken', 'An account with this email exists: sign in instead.');
      }
      return reply.status(201).send({ accountId });
    },
  );
};

export const authSessionsRoutes: FastifyPluginAsyncTypebox<AccountsRoutesOptions> = async (
  app,
  { db, sessions },
) => {
  app.post(
    '/v1/auth/sessions',
    {
      config: { rateLimit: rateLimitFor('auth') },
      schema: {
        tags: ['accounts'],
        summary: 'Sign in: exchange email and password for a session token',
        body: SignInBody,
        response: {
          200: Type.Object({
            token: Type.String(),
            accountId: Type.String(),
            role: Type.Union([Type.Literal('shopper'), Type.Literal('staff')]),
          }),
          ...errorResponses(400, 401, 429),
        },
      },
    },
    async (request) => {
      const rows = await db.query<{ account_id: string; password_hash: string; role: 'shopper' | 'staff' }>(
        'SELECT account_id, password_hash, role FROM accounts WHERE email = $1',
        [normaliseEmail(request.body.email)],
      );
      const account = rows[0];
      const matches = await verifyPassword(
        request.body.password,
        account?.password_hash ?? UNKNOWN_ACCOUNT_HASH,
      );
      if (account === undefined || !matches) {
        throw new ApiError(
          401,
          'invalid_credentials',
          'Email or password is wrong: check them and try again.',
        );
      }
      if (needsRehash(account.password_hash)) {
        // Only now is the password known: store it at today's cost (a concurrent change of it wins).
        await db.query(
          'UPDATE accounts SET password_hash = $1 WHERE account_id = $2 AND password_hash = $3',
          [await hashPassword(request.body.password), account.account_id, account.password_hash],
        );
      }
      return {
        token: await sessions.create(account.account_id),
        accountId: account.account_id,
        role: account.role,
      };
    },
  );

  app.delete(
    '/v1/auth/sessions/current',
    {
      config: { rateLimit: rateLimitFor('shopper') },
      schema: {
        tags: ['accounts'],
        summary: 'Sign out: revoke this session token on the server',
        security: SHOPPER_SECURITY,
        response: { 204: Type.Null(), ...errorResponses(401, 429) },
      },
    },
    async (request, reply) => {
      await sessions.revoke(request);
      return reply.status(204).send(null);
    },
  );
};
