// Verifies a scanned entry token: the cloud's EdDSA signature (edges hold only the public key),
// issuer, type, audience (this store: a token for another store is refused), expiry against the edge's clock,
// claim shape, and single use (jti kept until expiry).
import { errors, importSPKI, jwtVerify } from 'jose';
import type { Clock } from '../../shared/clock.ts';
import {
  ENTRY_TOKEN_ISSUER,
  ENTRY_TOKEN_TYPE,
  type EntryTokenClaims,
  EntryTokenClaimsSchema,
} from '../../shared/schemas/entry-token.ts';
import { compileValidator } from '../../shared/validator.ts';
import type { EdgeDatabase } from '../db/edge-database.ts';

export type TokenRejection =
  | 'malformed'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'invalid-claims'
  | 'wrong-store'
  | 'replayed';

export type TokenCheck =
  | { ok: true; claims: EntryTokenClaims }
  | { ok: false; reason: TokenRejection; detail: string };

const claimsValidator = compileValidator(EntryTokenClaimsSchema);
/** Seconds of clock skew tolerated between cloud and edge. */
const CLOCK_TOLERANCE_S = 5;

export class EntryTokenVerifier {
  private constructor(
    private readonly key: CryptoKey,
    /** This edge's store id: the audience every token must name. */
    private readonly storeId: string,
    private readonly db: EdgeDatabase,
    private readonly clock: Clock,
  ) {}

  static async create(
    publicKeyPem: string,
    storeId: string,
    db: EdgeDatabase,
    clock: Clock,
  ): Promise<EntryTokenVerifier> {
    const key = await importSPKI(publicKeyPem, 'EdDSA');
    return new EntryTokenVerifier(key, storeId, db, clock);
  }

  /** Checks the token and, when valid, consumes it (a second presentation is 'replayed'). */
  async verifyAndConsume(token: string): Promise<TokenCheck> {
    let payload: unknown;
    try {
      const result = await jwtVerify(token, this.key, {
        algorithms: ['EdDSA'],
        issuer: ENTRY_TOKEN_ISSUER,
        typ: ENTRY_TOKEN_TYPE,
        audience: this.storeId,
        currentDate: new Date(this.clock.now()),
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['aud', 'exp', 'iat', 'jti', 'sub'],
      });
      payload = result.payload;
    } catch (err) {
      return { ok: false, ...classify(err) };
    }
    const checked = claimsValidator.check(payload);
    if (!checked.ok) return { ok: false, reason: 'invalid-claims', detail: checked.errors.join('; ') };
    const claims = checked.value;
    const nowS = this.clock.now() / 1000;
    this.db.prepare('DELETE FROM used_tokens WHERE expires_at < ?').run(nowS - CLOCK_TOLERANCE_S);
    const inserted = this.db
      .prepare('INSERT INTO used_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING')
      .run(claims.jti, claims.exp);
    if (inserted.changes === 0)
      return { ok: false, reason: 'replayed', detail: `token ${claims.jti} was already used` };
    return { ok: true, claims };
  }
}

function classify(err: unknown): { reason: TokenRejection; detail: string } {
  const detail = err instanceof Error ? err.message : String(err);
  if (err instanceof errors.JWTExpired) return { reason: 'expired', detail };
  if (err instanceof errors.JWSSignatureVerificationFailed) return { reason: 'bad-signature', detail };
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iat' || err.claim === 'nbf') return { reason: 'not-yet-valid', detail };
    // A missing aud is a token from before audiences (or not ours): only a present, other store is 'wrong-store'.
    if (err.claim === 'aud' && err.reason === 'check_failed') return { reason: 'wrong-store', detail };
    return { reason: 'invalid-claims', detail };
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return { reason: 'bad-signature', detail };
  return { reason: 'malformed', detail };
}
