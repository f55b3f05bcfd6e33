-- Star Console schema, version 6: new deliveries announce themselves, so the edges' wake-up feed
-- answers within milliseconds instead of at the next poll. One NOTIFY per inserting statement (not
-- per row), carrying the distinct edge ids of the boxes that got work, comma-separated; an empty
-- payload (too many edges to name) means "every edge, look". PostgreSQL delivers it at commit, and
-- only if the transaction commits.
CREATE FUNCTION notify_new_command_deliveries() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    edges text;
BEGIN
    SELECT string_agg(DISTINCT b.edge_id, ',') INTO edges
    FROM inserted i JOIN spnclients b ON b.id = i.box_id
    WHERE i.state = 'queued' AND b.edge_id IS NOT NULL;
    IF edges IS NOT NULL THEN
        PERFORM pg_notify('star_console_new_deliveries', CASE WHEN length(edges) > 7000 THEN '' ELSE edges END);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER command_deliveries_announce
    AFTER INSERT ON command_deliveries
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION notify_new_command_deliveries();

-- The edge's relay request that leased a delivery: a retry of the same request (its answer lost on
-- the way back to the edge) gets the same delivery again instead of nothing until the lease runs out.
ALTER TABLE command_deliveries ADD COLUMN lease_request text;

-- A command's open deliveries: "is any left?" after each result of a broadcast is one probe.
CREATE INDEX command_deliveries_open_idx ON command_deliveries (command_id) WHERE state IN ('queued', 'delivered');
