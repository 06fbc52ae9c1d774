// The entry tokens the cloud issued (table entry_tokens): recorded at issue, claimed by the one visit that
// names them at upload, pruned after a retention that outlasts any visit plus the edge's outbox retries.
import type { Clock } from '../../shared/clock.ts';
import type { Database, Queryable } from '../db/database.ts';
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
}

/** Why a visit may not be billed on the tokens it names (the ApiError codes a store edge sees). */
export type EntryTokenRefusal =
  | 'entry_token_unknown'
  | 'entry_token_wrong_store'
  | 'entry_token_wrong_account'
  | 'entry_token_used';

interface TokenRow {
  jti: string;
  account_id: string;
  store_id: string;
  issued_at: unknown;
  visit_id: string | null;
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
      `INSERT INTO entry_tokens (jti, account_id, store_id, party, issued_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [token.jti, token.accountId, token.storeId, token.party, token.issuedAt, token.expiresAt],
    );
  }

  /**
   * Binds every named token to this visit, or none: each must have been issued to `accountId` for `storeId`
   * within the retention and not be bound to another visit (binding to the same visit again is a no-op, so
   * a retried upload passes). Throws the ApiError the edge should see otherwise.
   */
  async claim(tx: Queryable, visitId: string, storeId: string, accountId: string, jtis: string[]) {
    const now = this.clock.now();
    const rows = await tx.query<TokenRow>(
      `SELECT jti, account_id, store_id, issued_at, visit_id FROM entry_tokens
       WHERE jti = ANY($1::text[]) ORDER BY jti FOR UPDATE`,
      [jtis],
    );
    const byJti = new Map(rows.map((row) => [row.jti, row]));
    for (const jti of jtis) {
      const row = byJti.get(jti);
      const refusal = refusalOf(row, {
        visitId,
        storeId,
        accountId,
        oldest: now - this.settings.retentionMs,
      });
      if (refusal !== undefined) throw refusalError(refusal, jti, storeId, accountId);
    }
    await tx.query(
      `UPDATE entry_tokens SET visit_id = $1, used_at = $2 WHERE jti = ANY($3::text[]) AND visit_id IS NULL`,
      [visitId, now, jtis],
    );
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

function refusalOf(
  row: TokenRow | undefined,
  expected: { visitId: string; storeId: string; accountId: string; oldest: number },
): EntryTokenRefusal | undefined {
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
