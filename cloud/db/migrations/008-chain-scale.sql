-- Cloud replicas on one PostgreSQL: rate-limit counters every replica shares, store configs registered and
-- versioned per store through the API, and the catalog version each replica checks its cached prices against.

-- One row per limiter key (caller kind + credential hash or address): the current fixed window and its count.
-- Rows whose window ended are deleted by the retention job.
CREATE TABLE rate_limit_counters (
  key          text PRIMARY KEY,
  window_start bigint NOT NULL,
  window_ms    bigint NOT NULL,
  hits         integer NOT NULL
);
CREATE INDEX rate_limit_counters_by_end ON rate_limit_counters ((window_start + window_ms));

-- Every store config a store has had, in order; the highest version is the one in force. content_hash makes
-- registering the same config again (a second replica starting from the same file) a no-op.
CREATE TABLE store_config_versions (
  store_id      text NOT NULL REFERENCES stores (store_id),
  version       integer NOT NULL CHECK (version > 0),
  config        jsonb NOT NULL,
  content_hash  text NOT NULL,
  registered_by text NOT NULL,
  created_at    bigint NOT NULL,
  PRIMARY KEY (store_id, version)
);

-- Bumped whenever the store's catalog (prices, names) changes: replicas re-read a cached price list whose
-- version differs from the one their store-credential lookup returns.
ALTER TABLE stores ADD COLUMN config_version integer NOT NULL DEFAULT 0;

-- Held reservations past their expiry are marked expired by the reservation-expiry job.
ALTER TABLE reservations DROP CONSTRAINT reservations_status_check;
ALTER TABLE reservations ADD CONSTRAINT reservations_status_check
  CHECK (status IN ('held', 'collected', 'cancelled', 'expired'));
CREATE INDEX reservations_held_by_expiry ON reservations (expires_at) WHERE status = 'held';
