-- Star Console schema, version 3: the durable command queue (leases, P2P pairs, wake-up feed).
-- docs/schema.md and docs/commands.md explain every column.

ALTER TABLE commands
    -- ADD/REMOVE_P2P_SPN_TUNNEL issued on both ends: both commands carry the id of the first.
    ADD COLUMN operation_id       bigint,
    -- A command queued by the console to undo its P2P partner's effect (the pair's rollback).
    ADD COLUMN undoes_command_id  bigint REFERENCES commands (id) ON DELETE SET NULL,
    -- Set by a cancel: late joiners no longer get the command.
    ADD COLUMN cancelled_at       timestamptz,
    ADD COLUMN updated_at         timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT commands_type_known CHECK (type BETWEEN 100 AND 111),
    ADD CONSTRAINT commands_contents_size CHECK (octet_length(contents) <= 900);

CREATE INDEX commands_operation_idx ON commands (operation_id) WHERE operation_id IS NOT NULL;
-- Late joiners: the open broadcast and group commands, looked up on every lease and registration.
CREATE INDEX commands_late_joiners_idx ON commands (target_kind, target_value)
    WHERE include_late_joiners AND cancelled_at IS NULL;
CREATE INDEX commands_state_idx ON commands (state, id DESC);

ALTER TABLE command_deliveries
    ADD COLUMN created_at  timestamptz NOT NULL DEFAULT now(),
    -- The edge that last leased the delivery.
    ADD COLUMN leased_by   text;

-- The edges' wake-up feed: queued deliveries after a cursor, in id order.
CREATE INDEX command_deliveries_queued_id_idx ON command_deliveries (id) WHERE state = 'queued';
-- A box's command history, newest first.
CREATE INDEX command_deliveries_box_idx ON command_deliveries (box_id, id DESC);
-- The sweep: delivered rows whose lease ran out.
CREATE INDEX command_deliveries_leased_idx ON command_deliveries (leased_until) WHERE state = 'delivered';
-- Each box's edge, for the feed's join.
CREATE INDEX spnclients_edge_idx ON spnclients (edge_id);
