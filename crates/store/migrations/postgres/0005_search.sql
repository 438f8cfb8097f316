-- SE-1: the search index. One row per message (the first one also carries the ticket's code,
-- subject and customer name). The words are folded by hotro_core::search before they get here
-- (diacritics off, đ → d, lower case), so the 'simple' configuration only splits and never
-- stems; no extension (unaccent) is needed. Only the tsvector is kept: the text is in
-- `messages`.
CREATE TABLE search_index (
    message_id BIGINT PRIMARY KEY REFERENCES messages(id),
    words      TSVECTOR NOT NULL
);
CREATE INDEX search_index_words ON search_index USING GIN (words);

-- A store with no messages yet has nothing to index; any other needs `hotro reindex` (which
-- the store runs on its own at the first start after this migration).
INSERT INTO counters (name, value)
SELECT 'search:ready', 1 WHERE NOT EXISTS (SELECT 1 FROM messages);
