-- Star Console schema, version 10: a heartbeat updates its box's row in place.
-- Every heartbeat (each online box every 5 s) sets spnclients.last_seen. PostgreSQL keeps an updated
-- row in its page without touching any index (a heap-only tuple) only when no indexed column
-- changes; with last_seen in spnclients_online_last_seen_idx, every heartbeat wrote a new entry into
-- each of the table's six indexes and left them for vacuum. No index now holds last_seen: the
-- offline check has a partial index of the online boxes' ids instead (a box's `online` flag
-- changes only when it comes or goes), and the table leaves a fifth of each page free so that a
-- row's new version fits beside the old one.
DROP INDEX spnclients_online_last_seen_idx;
CREATE INDEX spnclients_online_idx ON spnclients (id) WHERE online;
ALTER TABLE spnclients SET (fillfactor = 80);
