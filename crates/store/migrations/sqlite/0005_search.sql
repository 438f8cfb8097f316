-- SE-1: the search index. One row per message (the first one also carries the ticket's code,
-- subject and customer name), its rowid the message's id. The words are folded by
-- hotro_core::search before they get here (diacritics off, đ → d, lower case), so the
-- tokenizer only splits on spaces. Contentless: the text is in `messages`; the index keeps
-- only what it needs to match and rank.
CREATE VIRTUAL TABLE search_index USING fts5(
    words,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 0'
);

-- A store with no messages yet has nothing to index; any other needs `hotro reindex` (which
-- the store runs on its own at the first start after this migration).
INSERT INTO counters (name, value)
SELECT 'search:ready', 1 WHERE NOT EXISTS (SELECT 1 FROM messages);
