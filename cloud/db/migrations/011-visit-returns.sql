-- Items returned to the shelf after the receipt (#13): a shopper handed an item to someone who put it back once
-- the receipt was issued. The store edge reports it (POST /v1/stores/:storeId/returns); the cloud refunds the
-- units the line still had under the provider key refund:return:<returnId>. One row per return, keyed by the
-- store and the edge's return id (the put-back's event id), so a retried delivery never refunds twice. A
-- financial record: kept.
CREATE TABLE visit_returns (
  store_id     text NOT NULL REFERENCES stores (store_id),
  return_id    text NOT NULL,
  receipt_id   text NOT NULL REFERENCES receipts (receipt_id),
  line_no      integer NOT NULL,
  sku          text NOT NULL,
  -- units the edge said came back, and those refunded (the line's units not returned before, at most)
  reported_quantity integer NOT NULL CHECK (reported_quantity > 0),
  quantity     integer NOT NULL CHECK (quantity > 0),
  amount_cents bigint NOT NULL CHECK (amount_cents >= 0),
  lane         text NOT NULL,
  returned_at  bigint NOT NULL,
  -- refunding: the provider has not confirmed the refund yet (the edge's retry completes it); refunded
  status       text NOT NULL CHECK (status IN ('refunding', 'refunded')),
  refund_id    text,
  created_at   bigint NOT NULL,
  refunded_at  bigint,
  PRIMARY KEY (store_id, return_id)
);
CREATE INDEX visit_returns_by_receipt ON visit_returns (receipt_id, line_no);
