// Claims of the entry token the app shows as a QR code: signed by the cloud (EdDSA), verified by edges
// with the cloud's public key, for one store (aud), valid for seconds, usable once.
import { type Static, Type } from 'typebox';

export const ENTRY_TOKEN_TYPE = 'walkout-entry+jwt';
export const ENTRY_TOKEN_ISSUER = 'walkout-cloud';
export const ENTRY_TOKEN_TTL_S = 60;
export const MAX_PARTY = 6;

/** A token's id (its jti): the edge admits it once and names it in the visit upload. */
export const EntryTokenIdSchema = Type.String({ minLength: 8, maxLength: 64 });

export const EntryTokenClaimsSchema = Type.Object({
  iss: Type.Literal(ENTRY_TOKEN_ISSUER),
  /** The store the token admits to (store id): an edge refuses a token for another store. */
  aud: Type.String({ minLength: 1, maxLength: 64 }),
  /** Account id. */
  sub: Type.String({ minLength: 1, maxLength: 64 }),
  /** Unique token id: an edge admits a jti once. */
  jti: EntryTokenIdSchema,
  iat: Type.Integer(),
  exp: Type.Integer(),
  /** People admitted on this token: the shopper plus companions. */
  party: Type.Integer({ minimum: 1, maximum: MAX_PARTY }),
  /**
   * The shopper consents to behaviour from the store floor (#19: lingering, comparisons, dwell, path derived by
   * the edge and uploaded with the visit). Absent (tokens from before the claim) or false: nothing is derived.
   */
  behaviour: Type.Optional(Type.Boolean()),
});

export type EntryTokenClaims = Static<typeof EntryTokenClaimsSchema>;
