-- SE-1 with RT-4 in the index: each message's index row now carries its ticket's department
-- (store::search::index_message), so an agent's search reads that department's rows, newest
-- first, instead of the newest rows of every department (on SQLite a term among the words,
-- migrations/sqlite/0007). Rows written before lack it: forgetting that the index is complete
-- makes the store rebuild it, with the department, the next time it opens (Store::open →
-- reindex). A store without messages has nothing to rebuild.
ALTER TABLE search_index ADD COLUMN IF NOT EXISTS department TEXT;
CREATE INDEX IF NOT EXISTS search_index_department ON search_index (department, message_id);
DELETE FROM counters WHERE name = 'search:ready' AND EXISTS (SELECT 1 FROM messages);
