-- Payment holds (#18): the cloud authorises an amount on the shopper's card before it issues an entry token,
-- captures the receipt's total against it at exit and voids what is left; a visit whose capture keeps failing
-- goes to staff collection.

-- The sandbox provider's authorisations (its own ledger, never joined by the cloud's tables). A capture is a
-- provider_charges row naming its authorisation, so refunds of it work as for any charge.
CREATE TABLE provider_authorisations (
  authorisation_id     text PRIMARY KEY,
  idempotency_key      text NOT NULL UNIQUE,
  customer_ref         text NOT NULL,
  payment_method_token text NOT NULL,
  amount_cents         bigint NOT NULL CHECK (amount_cents > 0),
  currency             text NOT NULL,
  status               text NOT NULL CHECK (status IN ('authorised', 'declined', 'captured', 'voided')),
  decline_code         text,
  -- set by the capture: the charge it made and its amount (may exceed amount_cents: the sandbox over-captures)
  charge_id            text,
  captured_cents       bigint NOT NULL DEFAULT 0,
  -- the idempotency key of the void that released it
  void_key             text UNIQUE,
  created_at           bigint NOT NULL,
  updated_at           bigint NOT NULL
);
CREATE INDEX provider_authorisations_open ON provider_authorisations (created_at) WHERE status = 'authorised';
ALTER TABLE provider_charges ADD COLUMN authorisation_id text;

-- The cloud's record of each hold: placed for an account at a store before an entry token is issued (entry
-- tokens name it), bound to the one visit billed on those tokens, then captured or voided. Open holds are
-- 'held' (authorised, nothing decided) and 'voiding' (a void is due and not yet confirmed by the provider).
-- A financial record: kept, and the account id is cleared on erasure.
CREATE TABLE payment_holds (
  hold_id              text PRIMARY KEY,
  account_id           text REFERENCES accounts (account_id) ON DELETE SET NULL,
  store_id             text NOT NULL REFERENCES stores (store_id),
  authorisation_id     text NOT NULL UNIQUE,
  payment_method_token text NOT NULL,
  amount_cents         bigint NOT NULL CHECK (amount_cents > 0),
  currency             text NOT NULL,
  status               text NOT NULL CHECK (status IN ('held', 'voiding', 'captured', 'voided')),
  visit_id             text UNIQUE,
  captured_cents       bigint,
  created_at           bigint NOT NULL,
  -- an unbound hold past this is voided by the hold-release job (its tokens were never used)
  expires_at           bigint NOT NULL,
  closed_at            bigint,
  -- failed voids so far, and the last provider error (reconciliation lists them)
  void_failures        integer NOT NULL DEFAULT 0,
  last_error           text
);
CREATE INDEX payment_holds_open ON payment_holds (expires_at) WHERE status IN ('held', 'voiding');
CREATE INDEX payment_holds_reusable ON payment_holds (account_id, store_id)
  WHERE status = 'held' AND visit_id IS NULL;

ALTER TABLE entry_tokens ADD COLUMN hold_id text;

-- A receipt whose capture still failed after the retries goes to staff collection ('collection').
ALTER TABLE receipts DROP CONSTRAINT receipts_status_check;
ALTER TABLE receipts ADD CONSTRAINT receipts_status_check
  CHECK (status IN ('pending_payment', 'paid', 'declined', 'collection'));
ALTER TABLE receipts ADD COLUMN payment_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE receipts ADD COLUMN last_payment_error text;
CREATE INDEX receipts_in_collection ON receipts (updated_at) WHERE status = 'collection';
