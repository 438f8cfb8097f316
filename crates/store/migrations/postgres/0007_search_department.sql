-- SE-1 with RT-4 in the index: each message's index row now carries its ticket's department
-- (store::search::index_message), so an agent's search reads that department's rows, newest
-- first, instead of the newest rows of every department (on SQLite a term among the words,
-- migrations/sqlite/0007, where the index must be rebuilt). Here it is a column, filled in
-- place from the tickets: no words are folded again, so an upgraded store starts without
-- rebuilding its index.
ALTER TABLE search_index ADD COLUMN IF NOT EXISTS department TEXT;
UPDATE search_index f SET department = t.department
  FROM messages m JOIN tickets t ON t.id = m.ticket_id
 WHERE m.id = f.message_id AND f.department IS DISTINCT FROM t.department;
CREATE INDEX IF NOT EXISTS search_index_department ON search_index (department, message_id);
