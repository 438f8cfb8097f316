-- SE-1 with RT-4 in the index, as on SQLite (migrations/sqlite/0007): each message's index
-- row now carries its ticket's department as a term (store::search::index_message), so an
-- agent's search is narrowed by the GIN index itself. Rows written before lack it: forgetting
-- that the index is complete makes the store rebuild it, with the terms, the next time it
-- opens (Store::open → reindex). A store without messages has nothing to rebuild.
DELETE FROM counters WHERE name = 'search:ready' AND EXISTS (SELECT 1 FROM messages);
