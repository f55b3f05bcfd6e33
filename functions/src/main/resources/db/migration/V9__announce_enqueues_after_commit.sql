-- Star Console schema, version 9: an enqueue's announcement leaves its commit.
-- A transaction that has sent a NOTIFY takes one lock for the whole PostgreSQL instance at commit
-- and holds it until its commit is flushed, so that notifications queue in commit order. With the
-- V6 trigger in every enqueue, enqueues committed one at a time, each waiting for the one before it
-- to reach the disk (at 50 enqueues/s on a loaded machine, one backend on average waited on that
-- lock, and the commands' p99 rose past 2 s). The operators' enqueue now tells the trigger it will
-- announce after its commit (a setting local to its transaction), and announces in a transaction of
-- its own that does not wait for the disk: the lock is held for microseconds, the deliveries it
-- announces are already durable. The rarer writers of deliveries (late joiners, rollout waves, a
-- P2P pair's undo) keep the trigger.
CREATE OR REPLACE FUNCTION notify_new_command_deliveries() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    edges text;
BEGIN
    IF current_setting('star_console.announce_after_commit', true) = 'on' THEN
        RETURN NULL;
    END IF;
    SELECT string_agg(DISTINCT b.edge_id, ',') INTO edges
    FROM inserted i JOIN spnclients b ON b.id = i.box_id
    WHERE i.state = 'queued' AND b.edge_id IS NOT NULL;
    IF edges IS NOT NULL THEN
        PERFORM pg_notify('star_console_new_deliveries', CASE WHEN length(edges) > 7000 THEN '' ELSE edges END);
    END IF;
    RETURN NULL;
END
$$;
