// Signs entry tokens (compact JWS, EdDSA over Ed25519) with the cloud's key pair, which is created once
// and kept in signing_keys so every instance and restart signs with the key the edges already trust.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, SignJWT } from 'jose';
import type { Clock } from '../../shared/clock.ts';
import { ENTRY_TOKEN_ISSUER, ENTRY_TOKEN_TTL_S, ENTRY_TOKEN_TYPE } from '../../shared/schemas/entry-token.ts';
import type { Database } from '../db/database.ts';

export const ENTRY_TOKEN_ALG = 'EdDSA' as const;

interface KeyRow {
  kid: string;
  private_key_pem: string;
  public_key_pem: string;
}

export interface SignedEntryToken {
  token: string;
  /** The token's id (jti), recorded by the cloud and named by the visit upload. */
  jti: string;
  /** ms since the Unix epoch. */
  issuedAt: number;
  /** ms since the Unix epoch. */
  expiresAt: number;
}

export class EntryTokenSigner {
  constructor(
    readonly kid: string,
    /** SPKI PEM, published for edges at GET /v1/entry-token-key. */
    readonly publicKeyPem: string,
    private readonly privateKey: KeyObject,
    private readonly clock: Clock,
  ) {}

  /** Uses the oldest stored key; generates and stores one when there is none. */
  static async loadOrCreate(db: Database, clock: Clock): Promise<EntryTokenSigner> {
    const select = () =>
      db.query<KeyRow>(
        `SELECT kid, private_key_pem, public_key_pem FROM signing_keys WHERE alg = $1
         ORDER BY created_at, kid LIMIT 1`,
        [ENTRY_TOKEN_ALG],
      );
    let row = (await select())[0];
    if (row === undefined) {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
      await db.query(
        `INSERT INTO signing_keys (kid, alg, private_key_pem, public_key_pem, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (kid) DO NOTHING`,
        [
          kid,
          ENTRY_TOKEN_ALG,
          privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          publicKey.export({ type: 'spki', format: 'pem' }).toString(),
          clock.now(),
        ],
      );
      // Read back rather than use our own: two instances starting together both settle on the oldest key.
      row = (await select())[0];
      if (row === undefined) throw new Error('signing key missing right after it was stored');
    }
    // Normalise the PEM through a KeyObject so what we publish is exactly the key we sign with.
    const publicKeyPem = createPublicKey(row.public_key_pem)
      .export({ type: 'spki', format: 'pem' })
      .toString();
    return new EntryTokenSigner(row.kid, publicKeyPem, createPrivateKey(row.private_key_pem), clock);
  }

  /**
   * A token admitting `accountId`'s party to store `storeId` (its audience) only. `behaviour`: the account
   * consents to behaviour from the floor; the edge derives it only then (default off).
   */
  async sign(
    accountId: string,
    party: number,
    storeId: string,
    behaviour = false,
  ): Promise<SignedEntryToken> {
    const iat = Math.floor(this.clock.now() / 1000);
    const exp = iat + ENTRY_TOKEN_TTL_S;
    const jti = randomUUID();
    const token = await new SignJWT({ party, behaviour })
      .setProtectedHeader({ alg: ENTRY_TOKEN_ALG, typ: ENTRY_TOKEN_TYPE, kid: this.kid })
      .setIssuer(ENTRY_TOKEN_ISSUER)
      .setSubject(accountId)
      .setAudience(storeId)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.privateKey);
    return { token, jti, issuedAt: iat * 1000, expiresAt: exp * 1000 };
  }
}
