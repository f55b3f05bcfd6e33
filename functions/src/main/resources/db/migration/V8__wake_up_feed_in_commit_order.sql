-- Star Console schema, version 8: the edges' wake-up feed in commit order.
-- The feed's cursor was the highest delivery id it had returned. Ids are taken when a row is
-- inserted, not when its transaction commits, so an enqueue that took id 10 and committed after
-- another that took id 11 was passed over for good once the feed had returned 11: its box heard of
-- the command only through the flag of its next PONG, up to a keepalive later (about 2% of the
-- single-box commands of a 50/s load). Each queued delivery now records the transaction that queued
-- it, and the feed's cursor is a snapshot of transactions (what had committed when it last looked),
-- so a delivery is reported once its transaction has committed, whatever its id.
--
-- Rows queued before this version get transaction id 1, older than any snapshot: they count as
-- reported (a new edge's first call, with no cursor, still reports every queued delivery). The
-- constant default is stored in the catalogue, so adding the column does not rewrite the table.
ALTER TABLE command_deliveries ADD COLUMN enqueued_xid xid8 NOT NULL DEFAULT '1';
ALTER TABLE command_deliveries ALTER COLUMN enqueued_xid SET DEFAULT pg_current_xact_id();

-- The feed reads queued deliveries whose transaction is not older than its cursor's oldest
-- transaction that was still running; the id index it replaces ordered by id, which is now only
-- the order within one answer.
CREATE INDEX command_deliveries_queued_xid_idx ON command_deliveries (enqueued_xid) WHERE state = 'queued';
DROP INDEX command_deliveries_queued_id_idx;
