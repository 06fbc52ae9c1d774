-- The customer relationship: staff roles and consent on accounts, a money ledger per receipt, points, line
-- disputes, online orders, behaviour kept only with consent, lane stock, click & collect holds, online-shop
-- credentials. Erasing a person unlinks receipts, visits and orders from the account (nullable account_id).

ALTER TABLE accounts ADD COLUMN role text NOT NULL DEFAULT 'shopper' CHECK (role IN ('shopper', 'staff'));
ALTER TABLE accounts ADD COLUMN consent_behaviour boolean NOT NULL DEFAULT false;
ALTER TABLE accounts ADD COLUMN consent_marketing boolean NOT NULL DEFAULT false;

ALTER TABLE visits ALTER COLUMN account_id DROP NOT NULL;
ALTER TABLE receipts ALTER COLUMN account_id DROP NOT NULL;
ALTER TABLE receipts ADD COLUMN points_earned bigint NOT NULL DEFAULT 0;
CREATE INDEX visits_by_account ON visits (account_id);
CREATE INDEX receipt_lines_by_sku ON receipt_lines (sku);

-- Every money movement the cloud made, one row per provider charge or refund: the source of reconciliation.
CREATE TABLE ledger_entries (
  provider_ref text PRIMARY KEY,
  receipt_id   text NOT NULL REFERENCES receipts (receipt_id),
  kind         text NOT NULL CHECK (kind IN ('charge', 'refund')),
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  currency     text NOT NULL,
  created_at   bigint NOT NULL
);
CREATE INDEX ledger_by_receipt ON ledger_entries (receipt_id);

-- Points earned (positive) and taken back (negative), once per source.
CREATE TABLE points_entries (
  source     text NOT NULL,
  source_id  text NOT NULL,
  account_id text NOT NULL REFERENCES accounts (account_id),
  points     bigint NOT NULL,
  created_at bigint NOT NULL,
  PRIMARY KEY (source, source_id)
);
CREATE INDEX points_by_account ON points_entries (account_id);

-- "I didn't take this": one dispute per receipt line.
CREATE TABLE disputes (
  dispute_id   text PRIMARY KEY,
  receipt_id   text NOT NULL REFERENCES receipts (receipt_id),
  line_no      integer NOT NULL,
  account_id   text REFERENCES accounts (account_id),
  quantity     integer NOT NULL CHECK (quantity > 0),
  amount_cents bigint NOT NULL CHECK (amount_cents > 0),
  reason       text NOT NULL,
  status       text NOT NULL CHECK (status IN ('refunding', 'refunded', 'pending_review', 'rejected')),
  decided_by   text,
  decision_note text,
  refund_id    text,
  created_at   bigint NOT NULL,
  decided_at   bigint,
  UNIQUE (receipt_id, line_no)
);
CREATE INDEX disputes_by_status ON disputes (status, created_at);
CREATE INDEX disputes_by_account ON disputes (account_id);

CREATE TABLE online_shops (
  shop_id         text PRIMARY KEY,
  credential_hash text NOT NULL UNIQUE
);

CREATE TABLE online_orders (
  order_id      text PRIMARY KEY,
  shop_id       text NOT NULL REFERENCES online_shops (shop_id),
  account_id    text REFERENCES accounts (account_id),
  store_id      text NOT NULL REFERENCES stores (store_id),
  placed_at     bigint NOT NULL,
  total_cents   bigint NOT NULL CHECK (total_cents >= 0),
  currency      text NOT NULL,
  points_earned bigint NOT NULL,
  fingerprint   text NOT NULL,
  created_at    bigint NOT NULL
);
CREATE INDEX online_orders_by_account ON online_orders (account_id, placed_at DESC);

CREATE TABLE order_lines (
  order_id         text NOT NULL REFERENCES online_orders (order_id),
  line_no          integer NOT NULL,
  sku              text NOT NULL,
  name             text NOT NULL,
  quantity         integer NOT NULL CHECK (quantity > 0),
  unit_price_cents bigint NOT NULL,
  total_cents      bigint NOT NULL,
  PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_lines_by_sku ON order_lines (sku);

-- What a shopper did in store beyond the bill, stored only while the account consents to it.
CREATE TABLE behaviour_visits (
  visit_id   text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (account_id),
  store_id   text NOT NULL,
  entered_at bigint NOT NULL,
  exited_at  bigint NOT NULL,
  summary    jsonb NOT NULL
);
CREATE INDEX behaviour_by_account ON behaviour_visits (account_id, entered_at DESC);

-- Units on each lane as the edge last reported them (latest ts wins); seeded from the store config.
CREATE TABLE lane_stock (
  store_id text NOT NULL REFERENCES stores (store_id),
  lane     text NOT NULL,
  sku      text NOT NULL,
  units    integer NOT NULL CHECK (units >= 0),
  ts       bigint NOT NULL,
  PRIMARY KEY (store_id, lane)
);
CREATE INDEX lane_stock_by_sku ON lane_stock (store_id, sku);

-- Click & collect: units held for a shopper until collected, cancelled or expired.
CREATE TABLE reservations (
  reservation_id text PRIMARY KEY,
  account_id     text NOT NULL REFERENCES accounts (account_id),
  store_id       text NOT NULL REFERENCES stores (store_id),
  sku            text NOT NULL,
  quantity       integer NOT NULL CHECK (quantity > 0),
  status         text NOT NULL CHECK (status IN ('held', 'collected', 'cancelled')),
  expires_at     bigint NOT NULL,
  created_at     bigint NOT NULL
);
CREATE INDEX reservations_by_sku ON reservations (store_id, sku, status);
CREATE INDEX reservations_by_account ON reservations (account_id, created_at DESC);
