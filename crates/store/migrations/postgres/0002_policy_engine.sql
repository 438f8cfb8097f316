-- The policy engine (issue 3): SLA due times on the ticket read row, stored policy versions
-- (PL-2) and the timers that fire warnings and escalations (SL-6). Instants are Unix ms.

-- SL-2/SL-3 due instants (NULL: no such clock, or paused), SL-5 pause, SL-4 time bar, QF-3.
ALTER TABLE tickets ADD COLUMN ack_due_at BIGINT;
ALTER TABLE tickets ADD COLUMN resolve_due_at BIGINT;
ALTER TABLE tickets ADD COLUMN sla_paused BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN time_barred BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN start_by_at BIGINT;

-- PL-2: every policy version ever in force, with its source, so a ticket keeps the
-- deadlines of the version it was received under and the policy page lists earlier versions.
CREATE TABLE policy_versions (
    version       TEXT PRIMARY KEY,
    source        TEXT NOT NULL,
    published     TEXT,
    first_used_at BIGINT NOT NULL
);

-- SL-6: one row per (ticket, clock, warning or escalation). A node claims due rows with a
-- lease; firing checks the ticket's history, so an alert is recorded exactly once even when
-- a lease expires and another node runs it again.
CREATE TABLE timers (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id   BIGINT NOT NULL REFERENCES tickets(id),
    clock       TEXT NOT NULL,
    escalation  BIGINT NOT NULL,
    due_at      BIGINT NOT NULL,
    lease_until BIGINT,
    done_at     BIGINT,
    UNIQUE (ticket_id, clock, escalation)
);
CREATE INDEX timers_due ON timers(done_at, due_at);
