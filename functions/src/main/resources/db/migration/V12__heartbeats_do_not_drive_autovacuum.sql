-- Star Console schema, version 12: heartbeats do not have the boxes' table vacuumed every second.
-- Autovacuum now looks every second (the queue's tables are vacuumed after 10,000 changed rows, V11).
-- Every online box's heartbeat updates its spnclients row every 5 s, so by PostgreSQL's default
-- rule (a fifth of the table dead, a tenth changed for analysis) the table was vacuumed and analyzed
-- about every second whatever the fleet's size: 10,000 idle boxes doubled PostgreSQL's CPU (5% to 10%
-- of a core). A heartbeat updates its row in place (V10): no index entry to clean, and the page prunes
-- itself as it is used. Twelve times the table in changes is about a minute of heartbeats (N boxes
-- write N/5 rows a second), as often as the minute between autovacuum's looks allowed before V11.
ALTER TABLE spnclients SET (autovacuum_vacuum_scale_factor = 12, autovacuum_analyze_scale_factor = 12);
