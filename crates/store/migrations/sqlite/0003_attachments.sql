-- Attachments (CH-6 evidence, mail attachments), stored once by the SHA-256 of their content,
-- in the database itself so that every node of a PostgreSQL deployment reads the same files.

CREATE TABLE attachments (
    sha256       TEXT PRIMARY KEY,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    content      BLOB NOT NULL,
    created_at   BIGINT NOT NULL
);

-- Which ticket refers to which file, under which name: the read table that decides who
-- may download it (the ticket's department, or the customer with the tracking secret).
CREATE TABLE ticket_attachments (
    ticket_id BIGINT NOT NULL REFERENCES tickets(id),
    sha256    TEXT NOT NULL REFERENCES attachments(sha256),
    name      TEXT NOT NULL,
    event_seq BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, event_seq, sha256)
);
CREATE INDEX ticket_attachments_file ON ticket_attachments(sha256);
