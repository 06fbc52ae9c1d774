-- The shopper's live cart (#18): the latest snapshot the edge sent of each visit still in progress (kept a day:
-- the receipt replaces it), and the shopper's "I didn't take this" flags waiting for the edge to pull them.
-- Both belong to the account and go with it on erasure.
CREATE TABLE live_carts (
  store_id   text NOT NULL REFERENCES stores (store_id),
  -- the edge's session id; the visit upload names it as visit_id
  session_id text NOT NULL,
  account_id text NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
  seq        integer NOT NULL,
  cart       jsonb NOT NULL,
  updated_at bigint NOT NULL,
  -- set when the visit's receipt exists: the app shows the receipt instead
  receipt_id text,
  PRIMARY KEY (store_id, session_id)
);
CREATE INDEX live_carts_account ON live_carts (account_id, updated_at);
CREATE INDEX live_carts_updated ON live_carts (updated_at);

CREATE TABLE cart_flags (
  flag_id    text PRIMARY KEY,
  store_id   text NOT NULL REFERENCES stores (store_id),
  session_id text NOT NULL,
  account_id text NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
  sku        text NOT NULL,
  created_at bigint NOT NULL,
  -- when the edge acknowledged it (it opened the staff decision)
  pulled_at  bigint
);
CREATE INDEX cart_flags_unpulled ON cart_flags (store_id, created_at) WHERE pulled_at IS NULL;
CREATE INDEX cart_flags_created ON cart_flags (created_at);

-- the visit's flags and staff's decision on each, as the edge reported them (evaluation, dataset export)
ALTER TABLE visits ADD COLUMN shopper_flags jsonb;
