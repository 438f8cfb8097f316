-- Credentials that can be cut off (issue 14). A token may expire, be revoked, and remembers
-- when it was last used (written at most about once a minute, so a busy integration does not
-- write on every call). Its scope says what it may do: 'staff' acts as its owner, and
-- 'mail-inbound' may only post inbound mail. Instants are Unix milliseconds; NULL = never.
ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'staff';
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN revoked_at BIGINT;
ALTER TABLE api_tokens ADD COLUMN last_used_at BIGINT;

-- Disabling a person ends their sessions and tokens at once: both are found by the owner.
CREATE INDEX api_tokens_staff ON api_tokens (staff_id);
CREATE INDEX sessions_staff ON sessions (staff_id);
