-- The entry tokens the cloud issued, so a visit upload is billed only to the account a token was issued to,
-- at the store it was issued for, once. Rows are pruned ENTRY_TOKEN_RETENTION after issue (see
-- cloud/accounts/entry-token-registry.ts); a visit naming a pruned token is refused like an unknown one.
CREATE TABLE entry_tokens (
  jti        text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
  store_id   text NOT NULL REFERENCES stores (store_id),
  party      integer NOT NULL,
  issued_at  bigint NOT NULL,
  expires_at bigint NOT NULL,
  -- The visit billed on this token: set once, by the first visit upload that names it.
  visit_id   text,
  used_at    bigint
);
CREATE INDEX entry_tokens_by_issue ON entry_tokens (issued_at);
CREATE INDEX entry_tokens_by_account ON entry_tokens (account_id);

-- The tokens a visit was admitted on (empty for visits from before tokens were named).
ALTER TABLE visits ADD COLUMN entry_token_ids text[] NOT NULL DEFAULT '{}';
