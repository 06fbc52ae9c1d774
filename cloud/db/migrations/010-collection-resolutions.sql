-- Staff resolve a receipt in collection (#18): the money was collected by another means (cash at the store,
-- a bank transfer) or the store wrote it off. The receipt leaves 'collection' for 'collected' or
-- 'written_off'; one resolution per receipt, with who decided, when and why (the audit trail). A financial
-- record: kept.
ALTER TABLE receipts DROP CONSTRAINT receipts_status_check;
ALTER TABLE receipts ADD CONSTRAINT receipts_status_check
  CHECK (status IN ('pending_payment', 'paid', 'declined', 'collection', 'collected', 'written_off'));

CREATE TABLE collection_resolutions (
  receipt_id   text PRIMARY KEY REFERENCES receipts (receipt_id),
  outcome      text NOT NULL CHECK (outcome IN ('collected', 'written_off')),
  -- the receipt's total when it was resolved: collected, or lost
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
  currency     text NOT NULL,
  note         text NOT NULL,
  -- how it was collected (a till receipt or transfer reference); null for a write-off without one
  reference    text,
  resolved_by  text NOT NULL,
  resolved_at  bigint NOT NULL
);
