// The entry tokens the cloud issued (table entry_tokens): recorded at issue, claimed by the one visit that
// names them at upload (the rules here, the statement in receipts/visit-lookup.ts), pruned after a retention
// that outlasts any visit plus the edge's outbox retries.
import type { Clock } from '../../shared/clock.ts';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';

export interface EntryTokenRegistrySettings {
  /**
   * How long after issue a token may still be named by a visit upload, and its row kept (ms). A token is
   * valid at the gate for seconds, but the visit follows hours later and the edge's outbox may retry for
   * days when the store is offline: 14 days covers the outbox's retry horizon with a week to spare.
   */
  retentionMs: number;
  /** Prune old rows at most this often (ms): pruning rides on issuing, so a busy cloud prunes in small steps. */
  pruneEveryMs: number;
}

export const DEFAULT_ENTRY_TOKEN_REGISTRY_SETTINGS: EntryTokenRegistrySettings = {
  retentionMs: 14 * 24 * 3600_000,
  pruneEveryMs: 60_000,
};

export interface IssuedEntryToken {
  jti: string;
  accountId: string;
  storeId: string;
  party: number;
  /** ms since the Unix epoch. */
  issuedAt: number;
  expiresAt: number;
  /** The payment hold placed for this entry (absent: the store holds nothing). */
  holdId?: string;
}

/** Why a visit may not be billed on the tokens it names (the ApiError codes a store edge sees). */
export type EntryTokenRefusal =
  | 'entry_token_unknown'
  | 'entry_token_wrong_store'
  | 'entry_token_wrong_account'
  | 'entry_token_used';

/** A claim of entry tokens by one visit: whom and where they must have been issued to, and since when. */
export interface TokenClaim {
  visitId: string;
  storeId: string;
  accountId: string;
  /** Tokens issued before this (ms since the epoch) are past the retention: unknown. */
  oldest: number;
  /** When the tokens are used (ms since the epoch). */
  now: number;
}

/** A named token's row as the claim locked it, before binding it. */
export interface ClaimedTokenRow {
  jti: string;
  account_id: string;
  store_id: string;
  issued_at: unknown;
  visit_id: string | null;
}

/**
 * Throws the ApiError the edge should see when a named token (`jtis`, each at most once) fails `claim`,
 * worked out from the rows the claim locked; `bound` says whether the claim bound them (all or none), which
 * it must have done when none fails.
 */
export function assertClaimed(
  jtis: readonly string[],
  locked: readonly ClaimedTokenRow[],
  claim: TokenClaim,
  bound: boolean,
): void {
  const byJti = new Map(locked.map((row) => [row.jti, row]));
  for (const jti of jtis) {
    const refusal = refusalOf(byJti.get(jti), claim);
    if (refusal !== undefined) throw refusalError(refusal, jti, claim.storeId, claim.accountId);
  }
  if (!bound) throw new Error(`entry tokens of visit ${claim.visitId} passed but were not bound`);
}

export class EntryTokenRegistry {
  private lastPruneAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly settings: EntryTokenRegistrySettings = DEFAULT_ENTRY_TOKEN_REGISTRY_SETTINGS,
  ) {}

  async record(token: IssuedEntryToken): Promise<void> {
    await this.pruneIfDue();
    await this.db.query(
      `INSERT INTO entry_tokens (jti, account_id, store_id, party, issued_at, expires_at, hold_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        token.jti,
        token.accountId,
        token.storeId,
        token.party,
        token.issuedAt,
        token.expiresAt,
        token.holdId ?? null,
      ],
    );
  }

  /**
   * What a visit's claim of its named tokens checks (the claim itself is one statement of the visit's
   * lookup, receipts/visit-lookup.ts): each token must have been issued to `accountId` for `storeId` since
   * `oldest` and not be bound to another visit (binding to the same visit again is a no-op, so a retried
   * upload passes); `now` is stamped as its use.
   */
  claimOf(visitId: string, storeId: string, accountId: string): TokenClaim {
    const now = this.clock.now();
    return { visitId, storeId, accountId, oldest: now - this.settings.retentionMs, now };
  }

  /** Deletes rows issued before the retention: returns how many. */
  async prune(): Promise<number> {
    this.lastPruneAt = this.clock.now();
    const rows = await this.db.query<{ jti: string }>(
      'DELETE FROM entry_tokens WHERE issued_at < $1 RETURNING jti',
      [this.lastPruneAt - this.settings.retentionMs],
    );
    return rows.length;
  }

  private async pruneIfDue(): Promise<void> {
    if (this.clock.now() - this.lastPruneAt >= this.settings.pruneEveryMs) await this.prune();
  }
}

function refusalOf(row: ClaimedTokenRow | undefined, expected: TokenClaim): EntryTokenRefusal | undefined {
  if (row === undefined || Number(row.issued_at) < expected.oldest) return 'entry_token_unknown';
  if (row.store_id !== expected.storeId) return 'entry_token_wrong_store';
  if (row.account_id !== expected.accountId) return 'entry_token_wrong_account';
  if (row.visit_id !== null && row.visit_id !== expected.visitId) return 'entry_token_used';
  return undefined;
}

function refusalError(refusal: EntryTokenRefusal, jti: string, storeId: string, accountId: string): ApiError {
  switch (refusal) {
    case 'entry_token_unknown':
      return new ApiError(
        403,
        refusal,
        `Entry token ${jti} was not issued by this cloud (or is older than the retention): nothing is billed.`,
      );
    case 'entry_token_wrong_store':
      return new ApiError(
        403,
        refusal,
        `Entry token ${jti} was issued for another store, not ${storeId}: nothing is billed.`,
      );
    case 'entry_token_wrong_account':
      return new ApiError(
        403,
        refusal,
        `Entry token ${jti} was not issued to account ${accountId}: nothing is billed.`,
      );
    case 'entry_token_used':
      return new ApiError(
        409,
        refusal,
        `Entry token ${jti} was already billed with another visit: a token pays for one visit.`,
      );
  }
}
