-- hotro's first schema (SQLite). Instants are Unix milliseconds (BIGINT) so that one query
-- text serves SQLite and PostgreSQL alike; never edit a migration once it has landed.

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    department    TEXT NOT NULL,
    role          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    active        BIGINT NOT NULL DEFAULT 1,
    created_at    BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    staff_id   BIGINT NOT NULL REFERENCES staff(id),
    token_hash TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id   BIGINT NOT NULL REFERENCES staff(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);

CREATE TABLE customers (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    email      TEXT,
    phone      TEXT,
    address    TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX customers_email ON customers(email) WHERE email IS NOT NULL;
CREATE INDEX customers_phone ON customers(phone) WHERE phone IS NOT NULL;

-- The read table of tickets; everything here can be rebuilt from `events`.
CREATE TABLE tickets (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    code               TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL,
    channel            TEXT NOT NULL,
    department         TEXT NOT NULL,
    topic              TEXT,
    priority           TEXT NOT NULL,
    priority_rank      BIGINT NOT NULL,
    status             TEXT NOT NULL,
    is_open            BIGINT NOT NULL,
    assignee_id        BIGINT REFERENCES staff(id),
    customer_id        BIGINT NOT NULL REFERENCES customers(id),
    customer_name      TEXT NOT NULL,
    subject            TEXT NOT NULL,
    complaint_round    BIGINT NOT NULL,
    received_at        BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    policy_version     TEXT NOT NULL,
    tracking_hash      TEXT NOT NULL,
    event_count        BIGINT NOT NULL,
    head_hash          TEXT NOT NULL
);
-- QF-1: the queue is read in (priority, received time) order per department.
CREATE INDEX tickets_queue ON tickets(department, is_open, priority_rank, received_at, id);
CREATE INDEX tickets_queue_all ON tickets(is_open, priority_rank, received_at, id);
CREATE INDEX tickets_customer ON tickets(customer_id, is_open);

-- The append-only log (SC-3): each row's hash covers the previous row's hash.
CREATE TABLE events (
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    seq       BIGINT NOT NULL,
    at        BIGINT NOT NULL,
    actor     TEXT NOT NULL,
    kind      TEXT NOT NULL,
    payload   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    PRIMARY KEY (ticket_id, seq)
);

-- Messages (customer contacts, replies, notes) as a read table for timelines and search.
CREATE TABLE messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id  BIGINT NOT NULL REFERENCES tickets(id),
    event_seq  BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    channel    TEXT NOT NULL,
    author     TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX messages_ticket ON messages(ticket_id, id);
