package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.starconsole.functions.database.PlannerStatistics;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue's operations a rollout uses: one UPDATE_FIRMWARE command per rollout, whose deliveries
 * are added wave by wave, cancelled when the rollout halts and queued again when it resumes. Each
 * keeps the command's state in step with its deliveries, in the caller's transaction.
 */
@ApplicationScoped
public class FirmwareDeliveries {

    /** The rollout's command: no late joiners of its own (the rollout adds them), never delivered by itself. */
    public Uni<Long> createCommand(SqlClient db, String targetKind, String targetValue, CommandArguments.Firmware contents,
                                   String createdBy, String createdFrom) {
        return CommandService.insert(db, new CommandService.NewCommand(CommandType.UPDATE_FIRMWARE, 0, targetKind,
                targetValue, contents.format(), false, null, null, null, null, createdBy, createdFrom));
    }

    /** A queued delivery of the command to each box; the delivery id by box id. */
    public Uni<Map<Integer, Long>> deliver(SqlClient db, long commandId, List<Integer> boxIds) {
        if (boxIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return db.preparedQuery("INSERT INTO command_deliveries (command_id, box_id)"
                        + " SELECT $1, b FROM unnest($2::int[]) AS u(b) ORDER BY b"
                        + " ON CONFLICT (command_id, box_id) DO UPDATE SET updated_at = now() RETURNING id, box_id")
                .execute(Tuple.of(commandId, boxIds.toArray(new Integer[0])))
                .flatMap(rows -> {
                    Map<Integer, Long> ids = new LinkedHashMap<>();
                    for (Row row : rows) {
                        ids.put(row.getInteger("box_id"), row.getLong("id"));
                    }
                    return PlannerStatistics.refreshAfterBulkWrite(db, "command_deliveries", rows.rowCount())
                            .flatMap(v -> CommandStates.recompute(db, List.of(commandId))).replaceWith(ids);
                });
    }

    /** Cancels the still-queued deliveries of the command (a halted rollout); how many. */
    public Uni<Integer> cancelQueued(SqlClient db, long commandId, String reason) {
        return db.preparedQuery("UPDATE command_deliveries SET state = 'cancelled', result = $2, updated_at = now()"
                        + " WHERE command_id = $1 AND state = 'queued'")
                .execute(Tuple.of(commandId, reason))
                .flatMap(rows -> CommandStates.recompute(db, List.of(commandId)).replaceWith(rows.rowCount()));
    }

    /** Cancels one box's delivery if it is still queued (the box was judged before it asked). */
    public Uni<Void> cancelIfQueued(SqlClient db, long deliveryId, String reason) {
        return db.preparedQuery("UPDATE command_deliveries SET state = 'cancelled', result = $2, updated_at = now()"
                        + " WHERE id = $1 AND state = 'queued' RETURNING command_id")
                .execute(Tuple.of(deliveryId, reason))
                .flatMap(rows -> CommandStates.recompute(db, CommandStates.commandIds(rows)));
    }

    /**
     * Queues again the deliveries a halt cancelled (a resumed rollout); how many. They are queued by
     * this transaction for the edges' wake-up feed; the caller announces them after its commit
     * ({@link DeliveryNotices}: the database announces inserted deliveries only).
     */
    public Uni<Integer> requeue(SqlClient db, long commandId, List<Long> deliveryIds) {
        return db.preparedQuery("UPDATE command_deliveries SET state = 'queued', result = NULL, attempts = 0,"
                        + " leased_until = NULL, updated_at = now(), enqueued_xid = pg_current_xact_id()"
                        + " WHERE command_id = $1 AND id = ANY($2) AND state = 'cancelled'")
                .execute(Tuple.of(commandId, deliveryIds.toArray(new Long[0])))
                .flatMap(rows -> CommandStates.recompute(db, List.of(commandId)).replaceWith(rows.rowCount()));
    }
}
