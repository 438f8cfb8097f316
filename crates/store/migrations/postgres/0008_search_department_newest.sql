-- SE-1, an agent's search (store/src/search/postgres.rs): one department's index rows, newest
-- first, down to a window's lower bound. On (department, message_id) PostgreSQL could not
-- stop there: written `department = $d AND message_id > $after` the planner walked the primary
-- key through every department's rows instead, and written as a row comparison a backward
-- scan stops only where the department changes, walking the rest of the department's entries
-- (38 ms for sales at a million tickets). Keyed on the negated id, the newest come first in a
-- forward scan that both keys bound, and the primary key cannot offer that order.
CREATE INDEX IF NOT EXISTS search_index_department_newest
    ON search_index (department, (-message_id));
DROP INDEX IF EXISTS search_index_department;
