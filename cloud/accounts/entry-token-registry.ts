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
  /** The payment hold placed for this entry (absent: the store holds nothing). */
  holdId?: string;
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
   * Binds every named token to this visit, or none: each must have been issued to `accountId` for `storeId`
   * within the retention and not be bound to another visit (binding to the same visit again is a no-op, so
   * a retried upload passes). Throws the ApiError the edge should see otherwise (and binds none).
   */
  async claim(db: Queryable, visitId: string, storeId: string, accountId: string, named: string[]) {
    const jtis = [...new Set(named)];
    const now = this.clock.now();
    const oldest = now - this.settings.retentionMs;
    // One statement: lock the named rows, bind them only if every one passes, and return them as they were,
    // so the refusal (if any) is worked out from what was locked. A concurrent duplicate of the same visit
    // waits on the lock and then finds its own visit id: a no-op.
    const rows = await db.query<TokenRow & { ok: boolean }>(
      `WITH locked AS (
         SELECT jti, account_id, store_id, issued_at, visit_id FROM entry_tokens
         WHERE jti = ANY($1::text[]) ORDER BY jti FOR UPDATE
       ), passes AS (
         SELECT count(*) = cardinality($1::text[]) AND coalesce(bool_and(
           account_id = $3 AND store_id = $4 AND issued_at >= $5 AND (visit_id IS NULL OR visit_id = $2)), false) AS ok
         FROM locked
       ), bound AS (
         UPDATE entry_tokens t SET visit_id = $2, used_at = $6 FROM passes
         WHERE passes.ok AND t.jti = ANY($1::text[]) AND t.visit_id IS NULL RETURNING t.jti
       )
       SELECT jti, account_id, store_id, issued_at, visit_id, (SELECT ok FROM passes) AS ok FROM locked`,
      [jtis, visitId, accountId, storeId, oldest, now],
    );
    const byJti = new Map(rows.map((row) => [row.jti, row]));
    for (const jti of jtis) {
      const refusal = refusalOf(byJti.get(jti), { visitId, storeId, accountId, oldest });
      if (refusal !== undefined) throw refusalError(refusal, jti, storeId, accountId);
    }
    if (rows[0]?.ok !== true) throw new Error(`entry tokens of visit ${visitId} passed but were not bound`);
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
