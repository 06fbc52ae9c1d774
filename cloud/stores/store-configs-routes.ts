// Store configs through the API: staff register a store (its config and edge credential) and new versions of
// its config; staff and the store's own edge read the version in force; staff list the versions.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { parseStoreConfig, StoreConfigError, StoreConfigSchema } from '../../shared/store-config.ts';
import { type ShopperSessions, STAFF_SECURITY } from '../accounts/shopper-sessions.ts';
import type { Database } from '../db/database.ts';
import { ApiError, errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import { STORE_SECURITY, type StoreAuth } from './store-auth.ts';
import { currentStoreConfig, registerStoreConfig, storeConfigVersions } from './store-configs.ts';

export interface StoreConfigsRoutesOptions {
  db: Database;
  sessions: ShopperSessions;
  storeAuth: StoreAuth;
  now: () => number;
}

const StoreIdParams = Type.Object({ storeId: Type.String({ minLength: 1, maxLength: 64 }) });

const RegisteredSchema = Type.Object({
  storeId: Type.String(),
  version: Type.Integer({ description: 'The version in force after this request' }),
  created: Type.Boolean({ description: 'False when the version in force already had this content' }),
});

/** Staff (a staff session) or the store's own edge (its credential). */
async function authenticateStaffOrStore(
  request: FastifyRequest,
  storeId: string,
  sessions: ShopperSessions,
  storeAuth: StoreAuth,
): Promise<void> {
  const asStaff = await sessions.authenticateStaff(request).then(
    () => true,
    () => false,
  );
  if (!asStaff) await storeAuth.authenticate(request, storeId);
}

/** Staff: register a store or a new version of its config. */
export const registerStoreConfigRoute: FastifyPluginAsyncTypebox<StoreConfigsRoutesOptions> = async (
  app,
  { db, sessions, now },
) => {
  app.put(
    '/v1/stores/:storeId/config',
    {
      config: { rateLimit: rateLimitFor('staff') },
      schema: {
        tags: ['staff'],
        summary:
          'Register a store, or a new version of its config (catalog and prices, shelves, gates, cameras)',
        security: STAFF_SECURITY,
        params: StoreIdParams,
        body: Type.Object(
          {
            config: StoreConfigSchema,
            credential: Type.Optional(
              Type.String({
                minLength: 16,
                maxLength: 256,
                description: "The edge's secret: required for a new store; rotates it otherwise",
              }),
            ),
            expectedVersion: Type.Optional(
              Type.Integer({
                minimum: 0,
                description:
                  'The version this change is based on (0 for a new store): 409 if another is in force',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: RegisteredSchema,
          201: RegisteredSchema,
          ...errorResponses(400, 401, 403, 409, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const staffId = await sessions.authenticateStaff(request);
      const { storeId } = request.params;
      const { credential, expectedVersion } = request.body;
      if (request.body.config.storeId !== storeId) {
        throw new ApiError(
          400,
          'store_id_mismatch',
          `The config is of store ${request.body.config.storeId}, not ${storeId}: send it to its own path.`,
        );
      }
      let config: ReturnType<typeof parseStoreConfig>;
      try {
        config = parseStoreConfig(request.body.config, `store ${storeId}`);
      } catch (err) {
        if (!(err instanceof StoreConfigError)) throw err;
        throw new ApiError(
          400,
          'invalid_store_config',
          `${err.problems.join('; ')}: fix the config and send it again.`,
        );
      }
      const registered = await db.transaction((tx) =>
        registerStoreConfig(tx, {
          config,
          ...(credential === undefined ? {} : { credential }),
          ...(expectedVersion === undefined ? {} : { expectedVersion }),
          registeredBy: `staff:${staffId}`,
          now: now(),
        }),
      );
      return reply.status(registered.created ? 201 : 200).send(registered);
    },
  );
};

/** Staff or the store edge: the config in force. */
export const currentStoreConfigRoute: FastifyPluginAsyncTypebox<StoreConfigsRoutesOptions> = async (
  app,
  { db, sessions, storeAuth },
) => {
  app.get(
    '/v1/stores/:storeId/config',
    {
      config: { rateLimit: rateLimitFor('store') },
      schema: {
        tags: ['edge'],
        summary: 'The store config in force and its version (staff, or the store’s own edge)',
        security: [...STORE_SECURITY, ...STAFF_SECURITY],
        params: StoreIdParams,
        response: {
          200: Type.Object({
            storeId: Type.String(),
            version: Type.Integer(),
            createdAt: Type.Number(),
            config: StoreConfigSchema,
          }),
          ...errorResponses(401, 403, 404, 429),
        },
      },
    },
    async (request) => {
      const { storeId } = request.params;
      await authenticateStaffOrStore(request, storeId, sessions, storeAuth);
      const current = await currentStoreConfig(db, storeId);
      if (current === undefined) {
        throw new ApiError(
          404,
          'store_config_not_found',
          `Store ${storeId} has no registered config: PUT one first.`,
        );
      }
      return { storeId, ...current };
    },
  );
};

/** Staff: the versions of a store's config. */
export const storeConfigVersionsRoute: FastifyPluginAsyncTypebox<StoreConfigsRoutesOptions> = async (
  app,
  { db, sessions },
) => {
  app.get(
    '/v1/stores/:storeId/config/versions',
    {
      config: { rateLimit: rateLimitFor('staff') },
      schema: {
        tags: ['staff'],
        summary: "The store's config versions, newest first (at most 500)",
        security: STAFF_SECURITY,
        params: StoreIdParams,
        response: {
          200: Type.Object({
            versions: Type.Array(
              Type.Object({
                version: Type.Integer(),
                contentHash: Type.String(),
                registeredBy: Type.String(),
                createdAt: Type.Number(),
              }),
            ),
          }),
          ...errorResponses(401, 403, 429),
        },
      },
    },
    async (request) => {
      await sessions.authenticateStaff(request);
      return { versions: await storeConfigVersions(db, request.params.storeId) };
    },
  );
};
