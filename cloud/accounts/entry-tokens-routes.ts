// Entry tokens: a signed-in shopper in good payment standing gets a short-lived signed token to show at
// the gate (POST /v1/me/entry-tokens), once the store's entry hold is on their card (a declined hold: no
// token); edges fetch the verification key from GET /v1/entry-token-key.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import QRCode from 'qrcode';
import { Type } from 'typebox';
import { MAX_PARTY } from '../../shared/schemas/entry-token.ts';
import type { PaymentHolds } from '../billing/payment-holds.ts';
import type { Database } from '../db/database.ts';
import { ApiError, errorResponses } from '../http/api-error.ts';
import { rateLimitFor } from '../http/rate-limits.ts';
import type { EntryTokenRegistry } from './entry-token-registry.ts';
import { ENTRY_TOKEN_ALG, type EntryTokenSigner } from './entry-token-signer.ts';
import { SHOPPER_SECURITY, type ShopperSessions } from './shopper-sessions.ts';

export interface EntryTokensRoutesOptions {
  db: Database;
  sessions: ShopperSessions;
  signer: EntryTokenSigner;
  registry: EntryTokenRegistry;
  holds: PaymentHolds;
}

const EntryTokenRequest = Type.Object(
  {
    party: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_PARTY,
        default: 1,
        description: 'People entering on this token',
      }),
    ),
    qr: Type.Optional(Type.Boolean({ description: 'Also answer with the token as a QR code (SVG)' })),
    storeId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        description: 'The store to enter (GET /v1/stores); may be left out when the cloud serves one store',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Refuses an account that may not enter (402); answers whether it consents to behaviour from the floor. */
async function assertMayEnter(db: Database, accountId: string): Promise<{ behaviour: boolean }> {
  const rows = await db.query<{ payment_standing: string; has_method: boolean; consent_behaviour: boolean }>(
    `SELECT payment_standing, consent_behaviour,
            EXISTS (SELECT 1 FROM payment_methods p WHERE p.account_id = a.account_id) AS has_method
     FROM accounts a WHERE account_id = $1`,
    [accountId],
  );
  const account = rows[0];
  if (account === undefined || !account.has_method) {
    throw new ApiError(
      402,
      'payment_required',
      'Add a payment method (POST /v1/me/payment-methods) before entering a store.',
    );
  }
  if (account.payment_standing === 'declined') {
    throw new ApiError(
      402,
      'payment_required',
      'Your last payment was declined: add a new payment method (POST /v1/me/payment-methods), then ask for a new entry token.',
    );
  }
  return { behaviour: account.consent_behaviour === true };
}

/** The store a token is for: the one asked for, or the only store; 400/404 with what to send otherwise. */
async function storeToEnter(db: Database, asked: string | undefined): Promise<string> {
  const rows = await db.query<{ store_id: string }>(
    asked === undefined
      ? 'SELECT store_id FROM stores ORDER BY store_id LIMIT 2'
      : 'SELECT store_id FROM stores WHERE store_id = $1',
    asked === undefined ? [] : [asked],
  );
  const only = rows[0];
  if (asked !== undefined) {
    if (only === undefined)
      throw new ApiError(404, 'store_not_found', `No store ${asked}: list the stores at GET /v1/stores.`);
    return only.store_id;
  }
  if (only === undefined || rows.length > 1) {
    throw new ApiError(
      400,
      'store_required',
      'An entry token admits to one store: send storeId (list the stores at GET /v1/stores).',
    );
  }
  return only.store_id;
}

export const entryTokensRoutes: FastifyPluginAsyncTypebox<EntryTokensRoutesOptions> = async (
  app,
  { db, sessions, signer, registry, holds },
) => {
  app.post(
    '/v1/me/entry-tokens',
    {
      config: { rateLimit: rateLimitFor('shopper') },
      schema: {
        tags: ['shopper'],
        summary: 'Get an entry token (shown as a QR code at the gate)',
        security: SHOPPER_SECURITY,
        body: EntryTokenRequest,
        response: {
          201: Type.Object({
            token: Type.String({ description: 'Compact JWS (EdDSA)' }),
            storeId: Type.String({ description: 'The store the token admits to (its aud claim)' }),
            expiresAt: Type.Integer({ description: 'ms since the Unix epoch' }),
            party: Type.Optional(Type.Integer()),
            qrSvg: Type.Optional(Type.String({ description: 'With qr: true, the token as an SVG QR code' })),
          }),
          ...errorResponses(400, 401, 402, 404, 429, 503),
        },
      },
      // The whole body is optional: a bare POST asks for a token for one person.
      preValidation: async (request) => {
        if (request.body === undefined || request.body === null) request.body = {};
      },
    },
    async (request, reply) => {
      const accountId = await sessions.authenticate(request);
      const consent = await assertMayEnter(db, accountId);
      const storeId = await storeToEnter(db, request.body.storeId);
      const party = request.body.party ?? 1;
      // Before the token exists: a declined hold (402 entry_hold_declined) keeps the gate shut. A party
      // enters on one token, so it shares one hold.
      const holdId = await holds.holdForEntry(accountId, storeId);
      const signed = await signer.sign(accountId, party, storeId, consent.behaviour);
      await registry.record({
        ...signed,
        accountId,
        storeId,
        party,
        ...(holdId === undefined ? {} : { holdId }),
      });
      const issued = { token: signed.token, storeId, expiresAt: signed.expiresAt };
      if (request.body.qr !== true) return reply.status(201).send(issued);
      const qrSvg = await QRCode.toString(signed.token, {
        type: 'svg',
        margin: 1,
        errorCorrectionLevel: 'M',
      });
      return reply.status(201).send({ ...issued, party, qrSvg });
    },
  );

  app.get(
    '/v1/entry-token-key',
    {
      config: { rateLimit: rateLimitFor('public') },
      schema: {
        tags: ['edge'],
        summary: 'Public key that verifies entry tokens',
        response: {
          200: Type.Object({
            kid: Type.String(),
            alg: Type.Literal(ENTRY_TOKEN_ALG),
            publicKeyPem: Type.String({ description: 'SPKI PEM' }),
          }),
        },
      },
    },
    async () => ({ kid: signer.kid, alg: ENTRY_TOKEN_ALG, publicKeyPem: signer.publicKeyPem }),
  );
};
