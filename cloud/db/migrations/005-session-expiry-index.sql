-- Expired sign-in sessions are deleted hourly (cloud/accounts/shopper-sessions.ts, #15): found by expiry.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
