package io.starconsole.functions.command;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A P2P tunnel issued on both ends is one operation: done when both ends succeeded, undone on both
 * when one end fails. When one end's delivery ends badly (failed, rolled back, expired, cancelled),
 * the other end's still-queued delivery is cancelled, and an end that already succeeded gets the
 * opposite command (ADD undone by REMOVE and back) with the same rule, at high priority, marked as
 * the undo of its command ({@code undoes_command_id}).
 */
@ApplicationScoped
public class PairedOperations {

    private static final Set<String> BAD = Set.of("failed", "rolled_back", "expired", "cancelled");

    private final Targets targets;

    public PairedOperations(Targets targets) {
        this.targets = targets;
    }

    private record End(long commandId, CommandType type, String contents, int boxId, String state, long operationId) {
        static End from(Row row) {
            return new End(row.getLong("id"), CommandType.ofCode(row.getShort("type")), row.getString("contents"),
                    row.getInteger("box_id"), row.getString("state"), row.getLong("operation_id"));
        }
    }

    /** Settles the operations of these commands (those not in a pair are left alone). */
    public Uni<Void> settle(SqlClient db, List<Long> commandIds) {
        if (commandIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return db.preparedQuery("SELECT DISTINCT operation_id FROM commands WHERE id = ANY($1)"
                        + " AND operation_id IS NOT NULL AND undoes_command_id IS NULL")
                .execute(Tuple.of((Object) commandIds.toArray(new Long[0])))
                .flatMap(rows -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row row : rows) {
                        long operation = row.getLong(0);
                        chain = chain.flatMap(v -> settleOne(db, operation));
                    }
                    return chain;
                });
    }

    private Uni<Void> settleOne(SqlClient db, long operationId) {
        return db.preparedQuery("SELECT c.id, c.type, c.contents, c.operation_id, d.box_id, d.state"
                        + " FROM commands c JOIN command_deliveries d ON d.command_id = c.id"
                        + " WHERE c.operation_id = $1 AND c.undoes_command_id IS NULL ORDER BY c.id")
                .execute(Tuple.of(operationId))
                .flatMap(rows -> {
                    List<End> ends = new ArrayList<>();
                    rows.forEach(row -> ends.add(End.from(row)));
                    if (ends.size() != 2 || ends.stream().noneMatch(end -> BAD.contains(end.state()))) {
                        return Uni.createFrom().voidItem();
                    }
                    End other = BAD.contains(ends.get(0).state()) ? ends.get(1) : ends.get(0);
                    if ("queued".equals(other.state())) {
                        return db.preparedQuery("UPDATE command_deliveries SET state = 'cancelled', updated_at = now(),"
                                        + " result = 'cancelled: the other end of operation ' || $2::bigint || ' failed'"
                                        + " WHERE command_id = $1 AND state = 'queued'")
                                .execute(Tuple.of(other.commandId(), operationId))
                                .flatMap(v -> CommandStates.recompute(db, List.of(other.commandId())));
                    }
                    if ("succeeded".equals(other.state())) {
                        return undo(db, other);
                    }
                    return Uni.createFrom().voidItem(); // still delivered: settled when its result comes
                });
    }

    private Uni<Void> undo(SqlClient db, End end) {
        CommandType opposite = end.type() == CommandType.ADD_P2P_SPN_TUNNEL
                ? CommandType.REMOVE_P2P_SPN_TUNNEL : CommandType.ADD_P2P_SPN_TUNNEL;
        return db.preparedQuery("SELECT 1 FROM commands WHERE undoes_command_id = $1").execute(Tuple.of(end.commandId()))
                .flatMap(existing -> existing.size() > 0 ? Uni.createFrom().voidItem()
                        : CommandService.insert(db, new CommandService.NewCommand(opposite, 1, "box",
                                        Integer.toString(end.boxId()), end.contents(), false, null, null,
                                        end.operationId(), end.commandId(), "system", "console"))
                                .flatMap(id -> targets.deliverTo(db, id, end.boxId())));
    }
}
