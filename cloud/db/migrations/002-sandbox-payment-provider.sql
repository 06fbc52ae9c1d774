-- The sandbox payment provider's own ledger: it stands in for an external processor, so the cloud's tables
-- never join it. The unique idempotency keys make repeated and concurrent requests return one result.

CREATE TABLE provider_charges (
  charge_id            text PRIMARY KEY,
  idempotency_key      text NOT NULL UNIQUE,
  customer_ref         text NOT NULL,
  payment_method_token text NOT NULL,
  amount_cents         bigint NOT NULL CHECK (amount_cents >= 0),
  currency             text NOT NULL,
  status               text NOT NULL CHECK (status IN ('succeeded', 'declined')),
  decline_code         text,
  refunded_cents       bigint NOT NULL DEFAULT 0,
  created_at           bigint NOT NULL,
  CHECK (refunded_cents >= 0 AND refunded_cents <= amount_cents)
);

CREATE TABLE provider_refunds (
  refund_id       text PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  charge_id       text NOT NULL REFERENCES provider_charges (charge_id),
  amount_cents    bigint NOT NULL CHECK (amount_cents > 0),
  created_at      bigint NOT NULL
);
