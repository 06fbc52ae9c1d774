-- Accounts, sessions, payment methods, entry-token signing keys, stores and catalogs, visits and receipts.
-- Times are ms since the Unix epoch (bigint); money is integer cents (bigint); ids are text.

CREATE TABLE accounts (
  account_id       text PRIMARY KEY,
  email            text NOT NULL UNIQUE,
  name             text NOT NULL,
  password_hash    text NOT NULL,
  -- 'declined' after a declined charge: no entry token until a new payment method is added.
  payment_standing text NOT NULL DEFAULT 'ok' CHECK (payment_standing IN ('ok', 'declined')),
  created_at       bigint NOT NULL
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (account_id),
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);

CREATE TABLE payment_methods (
  payment_method_id text PRIMARY KEY,
  account_id        text NOT NULL REFERENCES accounts (account_id),
  provider_token    text NOT NULL,
  brand             text NOT NULL,
  last4             text NOT NULL,
  created_at        bigint NOT NULL
);
CREATE INDEX payment_methods_by_account ON payment_methods (account_id, created_at DESC);

CREATE TABLE signing_keys (
  kid             text PRIMARY KEY,
  alg             text NOT NULL,
  private_key_pem text NOT NULL,
  public_key_pem  text NOT NULL,
  created_at      bigint NOT NULL
);

CREATE TABLE stores (
  store_id        text PRIMARY KEY,
  name            text NOT NULL,
  currency        text NOT NULL,
  credential_hash text NOT NULL UNIQUE,
  updated_at      bigint NOT NULL
);

CREATE TABLE products (
  store_id    text NOT NULL REFERENCES stores (store_id),
  sku         text NOT NULL,
  name        text NOT NULL,
  category    text NOT NULL,
  price_cents bigint NOT NULL CHECK (price_cents >= 0),
  PRIMARY KEY (store_id, sku)
);

CREATE TABLE visits (
  visit_id    text PRIMARY KEY,
  store_id    text NOT NULL REFERENCES stores (store_id),
  account_id  text NOT NULL REFERENCES accounts (account_id),
  entered_at  bigint NOT NULL,
  exited_at   bigint NOT NULL,
  party       integer NOT NULL,
  -- Hash of what the bill depends on: a redelivery with other content is a conflict, not a repeat.
  fingerprint text NOT NULL,
  events      jsonb NOT NULL,
  received_at bigint NOT NULL
);

CREATE TABLE receipts (
  receipt_id   text PRIMARY KEY,
  visit_id     text NOT NULL UNIQUE REFERENCES visits (visit_id),
  store_id     text NOT NULL REFERENCES stores (store_id),
  account_id   text NOT NULL REFERENCES accounts (account_id),
  entered_at   bigint NOT NULL,
  exited_at    bigint NOT NULL,
  total_cents  bigint NOT NULL CHECK (total_cents >= 0),
  currency     text NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending_payment', 'paid', 'declined')),
  -- Chosen when the receipt is made, so a retried charge goes to the same card under the same key.
  payment_method_token text,
  charge_id    text,
  decline_code text,
  created_at   bigint NOT NULL,
  updated_at   bigint NOT NULL
);
CREATE INDEX receipts_by_account ON receipts (account_id, created_at DESC);

CREATE TABLE receipt_lines (
  receipt_id       text NOT NULL REFERENCES receipts (receipt_id),
  line_no          integer NOT NULL,
  sku              text NOT NULL,
  name             text NOT NULL,
  quantity         integer NOT NULL CHECK (quantity > 0),
  unit_price_cents bigint NOT NULL,
  total_cents      bigint NOT NULL,
  PRIMARY KEY (receipt_id, line_no)
);
