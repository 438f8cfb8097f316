-- E-mail (CH-1, CH-7, TR-1, TR-3): raw messages kept before anything else, the message ids of
-- each ticket's mail for threading, and the durable outbox of mail to send.

-- Every inbound message as it arrived, stored once by the SHA-256 of its bytes before it is
-- parsed, so nothing received is ever lost (CH-7). `ticket_id` is set once it was turned into
-- a ticket or a message on one; `outcome` says how (new, threaded, duplicate, refused).
CREATE TABLE raw_mail (
    sha256      TEXT PRIMARY KEY,
    size        BIGINT NOT NULL,
    content     BLOB NOT NULL,
    received_at BIGINT NOT NULL,
    message_id  TEXT,
    ticket_id   BIGINT REFERENCES tickets(id),
    outcome     TEXT
);

-- Message ids of each ticket's mail, both ways: a reply's In-Reply-To/References finds its
-- ticket here. One id belongs to one ticket, which also makes ingestion idempotent.
CREATE TABLE mail_messages (
    message_id TEXT PRIMARY KEY,
    ticket_id  BIGINT NOT NULL REFERENCES tickets(id),
    direction  TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX mail_messages_ticket ON mail_messages(ticket_id, created_at);

-- Mail to send, written in the same transaction as the event that causes it (TR-3). A worker
-- claims rows with a lease, so several nodes never send one row at the same time.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    idempotency_key TEXT NOT NULL UNIQUE,
    ticket_id       BIGINT REFERENCES tickets(id),
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    message_id      TEXT NOT NULL,
    in_reply_to     TEXT,
    refs            TEXT,
    automatic       BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT,
    sent_at         BIGINT,
    failed_at       BIGINT,
    last_error      TEXT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox(sent_at, failed_at, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox(recipient, created_at);
