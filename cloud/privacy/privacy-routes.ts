// Export-my-data (GET /v1/me/export: JSON of everything about me) and erase-my-data (POST /v1/me/erase,
// password confirmed): the person's data is removed; receipts the law requires are kept anonymised.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../../shared/clock.ts';
import { verifyPassword } from '../accounts/passwords.ts';
import { SHOPPER_SECURITY, type ShopperSessions } from '../accounts/shopper-sessions.ts';
import type { Database } from '../db/database.ts';
import { ApiError, errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { eraseMyData, exportMyData } from './my-data.ts';

export const privacyRoutes: FastifyPluginAsyncTypebox<{
  db: Database;
  sessions: ShopperSessions;
  clock: Clock;
}> = async (app, { db, sessions, clock }) => {
  app.get(
    '/v1/me/export',
    {
      config: { rateLimit: rateLimitFor('shopper') },
      schema: {
        tags: ['privacy'],
        summary: 'Everything the cloud holds about me, as JSON',
        security: SHOPPER_SECURITY,
        response: {
          200: Type.Object({
            exportedAt: Type.Number(),
            data: Type.Record(Type.String(), Type.Array(Type.Unknown())),
          }),
          ...errorResponses(401, 429),
        },
      },
    },
    async (request, reply) => {
      const accountId = await sessions.authenticate(request);
      reply.header('content-disposition', 'attachment; filename="walkout-my-data.json"');
      return { exportedAt: clock.now(), data: await exportMyData(db, accountId) };
    },
  );

  app.post(
    '/v1/me/erase',
    {
      config: { rateLimit: rateLimitFor('auth') },
      schema: {
        tags: ['privacy'],
        summary: 'Erase my account and data; receipts are kept anonymised where the law requires',
        security: SHOPPER_SECURITY,
        body: Type.Object(
          { password: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ erased: Type.Literal(true) }), ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => {
      const accountId = await sessions.authenticate(request);
      const [account] = await db.query<{ password_hash: string }>(
        'SELECT password_hash FROM accounts WHERE account_id = $1',
        [accountId],
      );
      if (account === undefined || !(await verifyPassword(request.body.password, account.password_hash))) {
        throw new ApiError(401, 'invalid_credentials', 'The password is wrong: erasure needs your password.');
      }
      await eraseMyData(db, accountId);
      return { erased: true as const };
    },
  );
};
