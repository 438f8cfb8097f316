-- Who changed staff and tokens, and when (issue 16, SC-1): every change an administrator or
-- the operator makes to a member of staff or a token is a row here, written in the same
-- transaction as the change, so no change is without its record. Never a password or a token
-- secret: `detail` holds only values (a role, a department, a token's label). Rows are never
-- updated or deleted. Instants are Unix milliseconds.
CREATE TABLE staff_audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        BIGINT NOT NULL,
    -- NULL: the operator at the command line (hotro user …, hotro token …).
    actor_id  BIGINT REFERENCES staff(id),
    -- staff.added, staff.role, staff.department, staff.disabled, staff.enabled,
    -- staff.password_reset, token.created, token.revoked.
    action    TEXT NOT NULL,
    target_id BIGINT NOT NULL REFERENCES staff(id),
    token_id  BIGINT REFERENCES api_tokens(id),
    detail    TEXT NOT NULL DEFAULT ''
);

-- Shown on the staff page; written with each new sign-in session. NULL: never signed in.
ALTER TABLE staff ADD COLUMN last_sign_in_at BIGINT;
