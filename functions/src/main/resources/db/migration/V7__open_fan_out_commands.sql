-- Star Console schema, version 7: the open group and all-boxes commands, for the sweep's last step.
-- Only these are settled after their results' commit (CommandStates.settleAfterCommit), so only these
-- can be left open with no open delivery; a box command's state changes in the transaction that
-- ends its delivery. The sweep looked for them among every open command through commands_state_idx,
-- which also holds an entry for each queued and in_progress version of every finished command until
-- a vacuum. A box command's rows never enter this index, so the queue's cycle does not pay for it.
CREATE INDEX commands_open_fan_out_idx ON commands (id)
    WHERE target_kind <> 'box' AND state IN ('queued', 'in_progress');
