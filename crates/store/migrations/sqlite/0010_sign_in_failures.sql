-- Failed sign-ins per e-mail address (SC-1): the counters behind the growing delays and the
-- lock of `core::sign_in`, kept in the database so every node of one installation sees the
-- same ones. The address is lower-cased as typed, known or not, so the answers do not tell
-- which addresses belong to staff. A successful sign-in or `hotro user unlock` deletes the row.
CREATE TABLE sign_in_failures (
    email        TEXT PRIMARY KEY,
    failures     BIGINT NOT NULL,
    first_at     BIGINT,
    last_at      BIGINT,
    locked_until BIGINT
);
-- Old rows are pruned by the time of their newest attempt.
CREATE INDEX sign_in_failures_last ON sign_in_failures(last_at);
