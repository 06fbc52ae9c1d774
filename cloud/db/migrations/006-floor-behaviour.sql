-- Behaviour from the store floor (#19), as the edge derived it for a consenting shopper: lingers, comparisons,
-- dwell per shelf and category, time to the first pick, a coarse path (shared/schemas/visit-behaviour.ts).
-- Kept with the visit's behaviour row, so withdrawing consent and erasure delete it with that row.
ALTER TABLE behaviour_visits ADD COLUMN floor jsonb;
