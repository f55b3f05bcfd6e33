-- Star Console schema, version 11: vacuum the command queue as it churns, not once a fraction of it.
-- Each command a box carries out inserts a command and a delivery and updates the delivery twice
-- (queued, delivered, succeeded). A state change is never a heap-only update (state is in the
-- key or the predicate of the partial indexes), so each one leaves dead entries in the partial
-- indexes of queued and of open deliveries until VACUUM removes them; bitmap scans, which the
-- planner picks for those small indexes, never mark them dead either. By default autovacuum waits for
-- a fifth of the table to be dead, and the table only grows (the deliveries are the fleet's command
-- history): under the queue bench's 6,000 cycles a second the queued-deliveries index held 101,400
-- entries for a few hundred queued rows, and a supersede check that found nothing read 3,400 pages.
-- Here the two tables are vacuumed and analyzed after every 10,000 changed rows, unthrottled (the
-- work is the same; throttled, it falls behind the churn), and the statistics follow the states.
ALTER TABLE command_deliveries SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 10000, autovacuum_vacuum_cost_delay = 0);
ALTER TABLE commands SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 10000, autovacuum_vacuum_cost_delay = 0);
